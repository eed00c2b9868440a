import Foundation

/// A byte-level BPE tokenizer as a single-file model format stores it: llama.cpp's GGUF `tokenizer.ggml.*` keys
/// (tokens in id order, a type per token, merges as "left right" lines, the name of the pre-tokenizer, BOS/EOS and
/// whether BOS is added) plus the chat template. The file reader fills it in; `Tokenizer(vocabulary:)` builds the
/// same tables `tokenizer.json` gives, so both paths encode with one implementation.
public struct EmbeddedVocabulary: Sendable {
    /// llama.cpp's `llama_token_type` (gguf-py `TokenType`).
    public enum TokenType: Int, Sendable {
        case undefined = 0, normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    /// Where the vocabulary came from (the GGUF path), for error messages.
    public var source: URL
    /// `tokenizer.ggml.model`: only "gpt2" (byte-level BPE) is read.
    public var model: String
    /// `tokenizer.ggml.pre`: which split regex runs before BPE ("lfm2", "llama-bpe", "gpt2", …).
    public var preTokenizer: String
    public var tokens: [String]
    /// One type per token; nil when the file has none (every token then counts as normal).
    public var tokenTypes: [TokenType]?
    public var merges: [String]
    public var bosTokenID: Int?
    public var eosTokenID: Int?
    public var padTokenID: Int?
    public var addsBOS: Bool
    public var addsEOS: Bool
    public var chatTemplate: String?

    public init(source: URL, model: String, preTokenizer: String, tokens: [String], tokenTypes: [TokenType]?,
                merges: [String], bosTokenID: Int?, eosTokenID: Int?, padTokenID: Int?, addsBOS: Bool,
                addsEOS: Bool, chatTemplate: String?) {
        self.source = source
        self.model = model
        self.preTokenizer = preTokenizer
        self.tokens = tokens
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
        self.padTokenID = padTokenID
        self.addsBOS = addsBOS
        self.addsEOS = addsEOS
        self.chatTemplate = chatTemplate
    }

    /// The split regexes of llama.cpp's pre-tokenizer names (`llama-vocab.cpp`), for the names this module can run.
    /// `lfm2` and `llama-bpe` use the Llama-3 regex and skip merges for whole pieces that are tokens
    /// (`ignore_merges`), as llama.cpp does for them.
    static func splitPattern(forPreTokenizer name: String) -> (pattern: SplitPattern?, ignoreMerges: Bool)? {
        switch name {
        case "lfm2", "llama-bpe":
            return (.llama3(maxDigits: 3), true)
        case "gpt2", "default":
            return (nil, false)
        default:
            return nil
        }
    }
}

extension TokenizerFile {
    /// The tables of an embedded vocabulary, checked like a tokenizer.json: known model and pre-tokenizer, one type
    /// per token, ids in range, merges of two parts.
    init(vocabulary v: EmbeddedVocabulary) throws {
        let url = v.source
        guard v.model == "gpt2" else {
            throw TokenizerError.unsupported(url, component: "tokenizer.ggml.model", found: "\"\(v.model)\"")
        }
        guard let split = EmbeddedVocabulary.splitPattern(forPreTokenizer: v.preTokenizer) else {
            throw TokenizerError.unsupported(url, component: "tokenizer.ggml.pre", found: "\"\(v.preTokenizer)\"")
        }
        guard v.tokens.count < Self.idLimit else {
            throw TokenizerError.invalidField(url, path: "tokenizer.ggml.tokens",
                                              reason: "has \(v.tokens.count) tokens; at most \(Self.idLimit) are read")
        }
        if let types = v.tokenTypes, types.count != v.tokens.count {
            throw TokenizerError.invalidField(url, path: "tokenizer.ggml.token_type",
                                              reason: "has \(types.count) entries for \(v.tokens.count) tokens")
        }
        for (key, id) in [("bos", v.bosTokenID), ("eos", v.eosTokenID), ("padding", v.padTokenID)] {
            if let id, !(0..<v.tokens.count).contains(id) {
                throw TokenizerError.invalidField(url, path: "tokenizer.ggml.\(key)_token_id",
                                                  reason: "is \(id), outside the \(v.tokens.count) tokens")
            }
        }
        var vocab: [(token: String, id: Int)] = []
        var added: [AddedToken] = []
        vocab.reserveCapacity(v.tokens.count)
        for (id, token) in v.tokens.enumerated() {
            switch v.tokenTypes?[id] ?? .normal {
            // llama.cpp's converter pads the vocabulary to the embedding's rows with "[PAD…]" entries: no token.
            case .unused:
                continue
            // Special tokens (<|im_start|>…) are matched in the raw text before BPE, as tokenizer.json's
            // `added_tokens` with `special: true`.
            case .control where !token.isEmpty:
                added.append(AddedToken(id: id, content: token, special: true))
            // The converter writes non-special added tokens as plain text, not in the byte-level alphabet.
            case .userDefined where !token.isEmpty:
                added.append(AddedToken(id: id, content: token, special: false))
            case .control, .userDefined:
                continue  // an empty added token can never be matched
            case .normal, .byte, .unknown, .undefined:
                vocab.append((token, id))
            }
        }
        let merges = try v.merges.enumerated().map { index, line -> (left: String, right: String) in
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw TokenizerError.invalidField(url, path: "tokenizer.ggml.merges[\(index)]",
                                                  reason: "should be two tokens separated by one space")
            }
            return (String(parts[0]), String(parts[1]))
        }
        addedTokens = added
        normalizer = nil
        if let pattern = split.pattern {
            preTokenizer = PreTokenizer(steps: [.split(pattern, keepsMatches: true),
                                                .byteLevel(addPrefixSpace: false, useRegex: false)])
        } else {
            preTokenizer = PreTokenizer(steps: [.byteLevel(addPrefixSpace: false, useRegex: true)])
        }
        var post = PostProcessor()
        if v.addsBOS, let bos = v.bosTokenID { post.prefix = [bos] }
        if v.addsEOS, let eos = v.eosTokenID { post.suffix = [eos] }
        postProcessor = post
        decoder = .byteLevel
        model = BPEFile(vocab: vocab, merges: merges, ignoreMerges: split.ignoreMerges, byteFallback: false,
                        unkToken: nil, fuseUnk: false)
    }
}

extension TokenizerConfig {
    /// Special tokens and template of an embedded vocabulary. llama.cpp's detokenizer does not clean up spaces.
    init(vocabulary v: EmbeddedVocabulary) {
        func token(_ id: Int?) -> String? { id.flatMap { v.tokens.indices.contains($0) ? v.tokens[$0] : nil } }
        bosToken = token(v.bosTokenID)
        eosToken = token(v.eosTokenID)
        padToken = token(v.padTokenID)
        cleanUpTokenizationSpaces = false
        chatTemplate = v.chatTemplate
        addPrefixSpace = false
    }
}

extension PostProcessor {
    init() {}
}

extension AddedToken {
    init(id: Int, content: String, special: Bool) {
        self.id = id
        self.content = content
        self.special = special
        singleWord = false
        lstrip = false
        rstrip = false
        normalized = !special
    }
}

extension Tokenizer {
    /// The tokenizer an embedded vocabulary (a GGUF file's) describes, encoding as llama.cpp does with that file.
    public init(vocabulary: EmbeddedVocabulary) throws {
        let file = try TokenizerFile(vocabulary: vocabulary)
        try self.init(file: file, fileURL: vocabulary.source, config: TokenizerConfig(vocabulary: vocabulary))
    }
}
