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
            return LanguageModelFiles(model: try LFM2Model.load(directory: url, precision: precision),
                                      tokenizer: try Tokenizer.load(directory: url))
        case .gguf(let url):
            let file = try GGUFFile(path: url.path)
            return LanguageModelFiles(model: try LFM2Model.load(gguf: file, precision: precision),
                                      tokenizer: try Tokenizer(vocabulary: EmbeddedVocabulary(gguf: file)))
        }
    }

    /// Loads what `argument` names (`--model` / `--generator`).
    public static func load(argument: String, precision: Precision = .auto) throws -> LanguageModelFiles {
        try load(ModelReference(argument: argument), precision: precision)
    }
}
