import Foundation

/// A Hugging Face byte-level BPE tokenizer (LFM2's), read from a model folder; encodes and decodes exactly like
/// `PreTrainedTokenizerFast` (`transformers` 4.57, `tokenizers` 0.22).
///
/// ```swift
/// let tokenizer = try Tokenizer.load(directory: modelFolder)
/// let ids = tokenizer.encode("Hello")          // [1, …]: <|startoftext|> first, as in HF
/// let text = tokenizer.decode(ids, skipSpecialTokens: true)
/// ```
/// Immutable and `Sendable`; copies share their tables and the cache of already-encoded words.
public struct Tokenizer: Sendable {
    private let model: BPEModel
    /// Added tokens matched in the raw text (`normalized: false`: LFM2's special tokens).
    private let rawTokens: AddedTokenMatcher
    /// Added tokens matched after normalization (`normalized: true`: LFM2's "python" and "Mathias").
    private let normalizedTokens: AddedTokenMatcher
    private let normalizer: Normalizer?
    private let preTokenizer: PreTokenizer
    private let postProcessor: PostProcessor
    private let decoder: TokenDecoder
    private let tokens: [String?]
    /// Token string (as UTF-8, so that canonically equivalent strings stay apart) → id.
    private let idsByToken: [[UInt8]: Int]

    /// Number of ids the tokenizer can produce: the highest id of the vocabulary or of an added token, plus one.
    /// (LFM2: 64,400; the model's embedding has more rows, which no token uses.)
    public var count: Int { tokens.count }
    /// The beginning-of-sequence token and its id (`<|startoftext|>`, 1 for LFM2), from tokenizer_config.json or
    /// special_tokens_map.json; nil when neither names one, or the named token is not in the vocabulary.
    public let bosTokenID: Int?
    /// The end-of-sequence token id (`<|im_end|>`, 7 for LFM2 chat models): generation stops on it.
    public let eosTokenID: Int?
    /// The padding token id (`<|pad|>`, 0 for LFM2).
    public let padTokenID: Int?
    public let bosToken: String?
    public let eosToken: String?
    public let padToken: String?
    /// Whether `encode(_:addSpecialTokens:)` puts the BOS token first when special tokens are added.
    public let addsBOS: Bool
    /// The Jinja chat template: `chat_template.jinja` when the folder has one, else `chat_template` from
    /// tokenizer_config.json (a string, or the entry named "default" of a list of named templates).
    public let chatTemplateSource: String?

    /// How far ids may run past twice the token count (holes are allowed; small test vocabularies have some).
    static let idSlack = 4096

    /// Loads `tokenizer.json` from `directory`, with `tokenizer_config.json`, `special_tokens_map.json` and
    /// `chat_template.jinja` when present.
    public static func load(directory: URL) throws -> Tokenizer {
        let fileURL = directory.appendingPathComponent("tokenizer.json")
        // tokenizer.json first: a folder without one gets the "no such file" error for it, not for a config.
        guard FileManager.default.fileExists(atPath: fileURL.path) else { throw TokenizerError.fileNotFound(fileURL) }
        let config = try TokenizerConfig(directory: directory)
        let file = try TokenizerFile(contentsOf: fileURL, prefixSpaceOverride: config.addPrefixSpace)
        return try Tokenizer(file: file, fileURL: fileURL, config: config)
    }

    init(file: TokenizerFile, fileURL: URL, config: TokenizerConfig) throws {
        model = try BPEModel(file.model, fileURL: fileURL)
        normalizer = file.normalizer
        preTokenizer = file.preTokenizer
        postProcessor = file.postProcessor

        // Ids index dense tables, so they must be about as many as the tokens: a few holes are fine, an id far past
        // the end (a damaged file) would cost memory for nothing.
        let highest = max(file.model.vocab.map(\.id).max() ?? -1, file.addedTokens.map(\.id).max() ?? -1)
        let tokenCount = file.model.vocab.count + file.addedTokens.count
        guard highest < 2 * tokenCount + Self.idSlack else {
            throw TokenizerError.invalidField(
                fileURL, path: "model.vocab",
                reason: "has ids up to \(highest) for only \(tokenCount) tokens (ids should run from 0 with few gaps)")
        }
        var tokens = [String?](repeating: nil, count: highest + 1)
        // `tokenizers` skips special tokens by content: any id whose string is a special added token's.
        var special = [Bool](repeating: false, count: highest + 1)
        let specialContents = Set(file.addedTokens.filter(\.special).map { Array($0.content.utf8) })
        var idsByToken: [[UInt8]: Int] = [:]
        idsByToken.reserveCapacity(file.model.vocab.count + file.addedTokens.count)
        for (token, id) in file.model.vocab {
            let utf8 = Array(token.utf8)
            tokens[id] = token
            idsByToken[utf8] = id
            if specialContents.contains(utf8) { special[id] = true }
        }
        // Added tokens win over the model's vocabulary in both directions, as in `tokenizers`.
        for added in file.addedTokens {
            let utf8 = Array(added.content.utf8)
            tokens[added.id] = added.content
            idsByToken[utf8] = added.id
            special[added.id] = specialContents.contains(utf8)
        }
        self.tokens = tokens
        self.idsByToken = idsByToken

        decoder = TokenDecoder(tokens: tokens, special: special, kind: file.decoder,
                               cleansUpSpaces: config.cleanUpTokenizationSpaces)

        func entry(_ token: AddedToken) -> AddedTokenMatcher.Entry {
            .init(id: token.id, singleWord: token.singleWord, lstrip: token.lstrip, rstrip: token.rstrip)
        }
        let normalizer = file.normalizer
        rawTokens = AddedTokenMatcher(file.addedTokens.filter { !$0.normalized }.map {
            (Array($0.content.utf8), entry($0))
        })
        normalizedTokens = AddedTokenMatcher(file.addedTokens.filter(\.normalized).map {
            (Array((normalizer?($0.content) ?? $0.content).utf8), entry($0))
        })

        bosToken = config.bosToken
        eosToken = config.eosToken
        padToken = config.padToken
        bosTokenID = config.bosToken.flatMap { idsByToken[Array($0.utf8)] }
        eosTokenID = config.eosToken.flatMap { idsByToken[Array($0.utf8)] }
        padTokenID = config.padToken.flatMap { idsByToken[Array($0.utf8)] }
        addsBOS = bosTokenID.map(postProcessor.prefix.contains) ?? false
        chatTemplateSource = config.chatTemplate
    }

    /// The ids of `text`, equal to HF `tokenizer.encode(text)`; with `addSpecialTokens: false`, to
    /// `encode(text, add_special_tokens=False)`. Special-token strings in the text (`<|im_end|>`) become their ids.
    public func encode(_ text: String, addSpecialTokens: Bool = true) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(text.utf8.count / 3 + 4)
        if addSpecialTokens { ids += postProcessor.prefix }
        var buffer = Array(text.utf8)
        var segments: [AddedTokenMatcher.Segment] = []
        rawTokens.segments(of: buffer, in: 0..<buffer.count, into: &segments)
        var scratch = EncodeScratch()
        for segment in segments {
            switch segment {
            case .token(let id):
                ids.append(id)
            case .text(let range):
                // Like `tokenizers`, normalize each stretch between raw-matched added tokens on its own.
                if let normalizer {
                    var normalized = Array(normalizer(String(decoding: buffer[range], as: UTF8.self)).utf8)
                    encodeNormalized(0..<normalized.count, in: &normalized, into: &ids, scratch: &scratch)
                } else {
                    encodeNormalized(range, in: &buffer, into: &ids, scratch: &scratch)
                }
            }
        }
        if addSpecialTokens { ids += postProcessor.suffix }
        return ids
    }

    /// Normalized text: added tokens matched against their normalized content, then the rest.
    private func encodeNormalized(_ range: Range<Int>, in buffer: inout [UInt8], into ids: inout [Int],
                                  scratch: inout EncodeScratch) {
        guard !normalizedTokens.isEmpty else { return encodeText(range, in: &buffer, into: &ids, scratch: &scratch) }
        var segments: [AddedTokenMatcher.Segment] = []
        normalizedTokens.segments(of: buffer, in: range, into: &segments)
        for segment in segments {
            switch segment {
            case .token(let id): ids.append(id)
            case .text(let range): encodeText(range, in: &buffer, into: &ids, scratch: &scratch)
            }
        }
    }

    private func encodeText(_ range: Range<Int>, in buffer: inout [UInt8], into ids: inout [Int],
                            scratch: inout EncodeScratch) {
        for piece in preTokenizer.pieces(of: range, in: &buffer, scratch: &scratch.preTokenizer) {
            model.encode(buffer[piece], into: &ids, scratch: &scratch.bpe)
        }
    }

    /// The text of `ids`, equal to HF `tokenizer.decode(ids, skip_special_tokens=…)`. Ids no token has are skipped;
    /// bytes that are not valid UTF-8 become U+FFFD; when tokenizer_config.json sets `clean_up_tokenization_spaces`
    /// (LFM2 does), `" ,"`, `" ."`, `" 's"` and the like lose their space, as in `transformers`.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        decoder.decode(ids, skipSpecialTokens: skipSpecialTokens)
    }

    /// The bytes of the text one token stands for (ByteLevel pieces may be part of a UTF-8 character), before any
    /// clean-up; nil for special tokens and unknown ids. Lets a caller find where each token lies in its text.
    public func bytes(of id: Int) -> [UInt8]? {
        decoder.bytes(of: id)
    }

    /// A decoder for ids that arrive one at a time (generation).
    public func makeStreamingDecoder(skipSpecialTokens: Bool = false) -> StreamingDecoder {
        StreamingDecoder(decoder: decoder, skipSpecialTokens: skipSpecialTokens)
    }

    /// The id of a vocabulary or added token, written as in tokenizer.json (`"<|im_end|>"`, `"Ġthe"`).
    public func id(forToken token: String) -> Int? {
        idsByToken[Array(token.utf8)]
    }

    /// The token string of `id` as written in tokenizer.json, or nil when no token has that id.
    public func token(forID id: Int) -> String? {
        id >= 0 && id < tokens.count ? tokens[id] : nil
    }
}

/// Scratch buffers for one `encode` call.
private struct EncodeScratch: ~Copyable {
    var preTokenizer = PreTokenizerScratch()
    var bpe = BPEScratch()
}
