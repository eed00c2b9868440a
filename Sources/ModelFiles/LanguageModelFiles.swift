import Foundation
import Kernels
import LFM2
import Tokenizers
import Weights

/// A generator's network and tokenizer, from either kind of `ModelReference`.
public struct LanguageModelFiles: Sendable {
    public let model: LFM2Model
    public let tokenizer: Tokenizer

    /// Loads a Hugging Face folder (config.json, safetensors, tokenizer.json) or a GGUF file (config, weights and
    /// tokenizer all from the one file, memory-mapped).
    public static func load(_ reference: ModelReference, precision: Precision = .auto) throws -> LanguageModelFiles {
        switch reference {
        case .folder(let url):
            let files = LanguageModelFiles(model: try LFM2Model.load(directory: url, precision: precision),
                                           tokenizer: try Tokenizer.load(directory: url))
            try files.checkVocabulary(tokens: files.tokenizer.count, exact: false, source: url.path)
            return files
        case .gguf(let url):
            let file = try GGUFFile(path: url.path)
            let vocabulary = try EmbeddedVocabulary(gguf: file)
            let files = LanguageModelFiles(model: try LFM2Model.load(gguf: file, precision: precision),
                                           tokenizer: try Tokenizer(vocabulary: vocabulary))
            // llama.cpp's converter writes one token (or "[PAD…]" entry) per embedding row.
            try files.checkVocabulary(tokens: vocabulary.tokens.count, exact: true, source: url.path)
            return files
        }
    }

    /// Every token id must have an embedding row; a GGUF lists exactly one token per row.
    private func checkVocabulary(tokens: Int, exact: Bool, source: String) throws {
        let rows = model.weights.embedding.rows
        guard tokens <= rows, !exact || tokens == rows else {
            throw ModelFilesError.vocabularyMismatch(path: source, tokens: tokens, embeddingRows: rows)
        }
    }

    /// Loads what `argument` names (`--model` / `--generator`).
    public static func load(argument: String, precision: Precision = .auto) throws -> LanguageModelFiles {
        try load(ModelReference(argument: argument), precision: precision)
    }
}
