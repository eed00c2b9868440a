import Foundation
import Tokenizers
import Weights

extension EmbeddedVocabulary {
    /// The tokenizer a GGUF file carries in its `tokenizer.ggml.*` metadata and `tokenizer.chat_template`, so a
    /// single file is a whole model. Errors name the file and the key.
    public init(gguf file: GGUFFile) throws {
        let url = URL(fileURLWithPath: file.path)
        func optionalID(_ key: String) throws -> Int? {
            guard let value = file.metadata[key] else { return nil }
            guard let id = value.int else {
                throw TokenizerError.invalidField(url, path: key, reason: "must be an integer token id")
            }
            return id
        }
        func optionalFlag(_ key: String) throws -> Bool? {
            guard let value = file.metadata[key] else { return nil }
            guard let flag = value.bool else { throw TokenizerError.invalidField(url, path: key, reason: "must be a boolean") }
            return flag
        }
        guard file.metadata["tokenizer.ggml.tokens"] != nil else {
            throw TokenizerError.invalidField(url, path: "tokenizer.ggml.tokens",
                                              reason: "is missing: the file has no tokenizer, so it cannot run on its own")
        }
        let tokens = try file.strings("tokenizer.ggml.tokens")
        var types: [TokenType]? = nil
        if file.metadata["tokenizer.ggml.token_type"] != nil {
            types = try file.ints("tokenizer.ggml.token_type").enumerated().map { index, raw in
                guard let type = TokenType(rawValue: raw) else {
                    throw TokenizerError.invalidField(url, path: "tokenizer.ggml.token_type[\(index)]",
                                                      reason: "is \(raw), not a llama.cpp token type (0 to 6)")
                }
                return type
            }
        }
        let merges = file.metadata["tokenizer.ggml.merges"] == nil ? [] : try file.strings("tokenizer.ggml.merges")
        let template = file.metadata["tokenizer.chat_template"] == nil ? nil : try file.string("tokenizer.chat_template")
        self.init(source: url,
                  model: try file.string("tokenizer.ggml.model"),
                  preTokenizer: file.metadata["tokenizer.ggml.pre"] == nil ? "default" : try file.string("tokenizer.ggml.pre"),
                  tokens: tokens, tokenTypes: types, merges: merges,
                  bosTokenID: try optionalID("tokenizer.ggml.bos_token_id"),
                  eosTokenID: try optionalID("tokenizer.ggml.eos_token_id"),
                  padTokenID: try optionalID("tokenizer.ggml.padding_token_id"),
                  // llama.cpp's defaults for a BPE vocabulary when the keys are absent.
                  addsBOS: try optionalFlag("tokenizer.ggml.add_bos_token") ?? true,
                  addsEOS: try optionalFlag("tokenizer.ggml.add_eos_token") ?? false,
                  chatTemplate: template)
    }
}
