/// Ids back to text, as `PreTrainedTokenizerFast.decode` does it: `tokenizers`' `Tokenizer::decode` (unknown ids
/// skipped, special tokens skipped on request, ByteLevel bytes joined and read as UTF-8 with U+FFFD for invalid
/// bytes), then `transformers`' `clean_up_tokenization` when `clean_up_tokenization_spaces` is set (LFM2 sets it).
final class TokenDecoder: Sendable {
    /// `bytes[id]`: what the decoder makes of token `id`; nil for ids no token has.
    private let bytes: [[UInt8]?]
    /// Whether `id` is a special added token (skipped when asked to skip special tokens).
    private let special: [Bool]
    private let joinsWithSpaces: Bool
    let cleansUpSpaces: Bool

    init(tokens: [String?], special: [Bool], kind: TokenizerFile.DecoderKind, cleansUpSpaces: Bool) {
        switch kind {
        case .byteLevel: bytes = tokens.map { $0.map(ByteLevel.decodedBytes) }
        case .joinWithSpaces: bytes = tokens.map { $0.map { Array($0.utf8) } }
        }
        self.special = special
        joinsWithSpaces = kind == .joinWithSpaces
        self.cleansUpSpaces = cleansUpSpaces
    }

    /// Appends the bytes of `id` (nothing for unknown or skipped ids); returns whether it contributed a token.
    @discardableResult
    func append(_ id: Int, skipSpecialTokens: Bool, to out: inout [UInt8], isFirst: Bool) -> Bool {
        guard id >= 0, id < bytes.count, let tokenBytes = bytes[id] else { return false }
        if skipSpecialTokens, special[id] { return false }
        if joinsWithSpaces, !isFirst { out.append(0x20) }
        out.append(contentsOf: tokenBytes)
        return true
    }

    /// The raw bytes token `id` stands for; nil for special tokens and ids no token has.
    func bytes(of id: Int) -> [UInt8]? {
        guard id >= 0, id < bytes.count, !special[id] else { return nil }
        return bytes[id]
    }

    func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String {
        var out: [UInt8] = []
        var first = true
        for id in ids where append(id, skipSpecialTokens: skipSpecialTokens, to: &out, isFirst: first) { first = false }
        let text = String(decoding: out, as: UTF8.self)
        return cleansUpSpaces ? Self.cleanUp(text) : text
    }

    /// `PreTrainedTokenizerBase.clean_up_tokenization`: ten `str.replace` calls, in this order.
    static func cleanUp(_ text: String) -> String {
        var bytes = Array(text.utf8)
        guard bytes.contains(0x20) else { return text }
        for (pattern, replacement) in cleanUpRules { bytes = replaceAll(pattern, with: replacement, in: bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static let cleanUpRules: [([UInt8], [UInt8])] = [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
        (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ].map { (Array($0.utf8), Array($1.utf8)) }

    private static func replaceAll(_ pattern: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == pattern[0], i + pattern.count <= bytes.count,
               bytes[i..<(i + pattern.count)].elementsEqual(pattern) {
                out.append(contentsOf: replacement)
                i += pattern.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}
