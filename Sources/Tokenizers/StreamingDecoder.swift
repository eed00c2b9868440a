/// Decodes generated ids one at a time, so that text can be shown as it is produced.
///
/// Concatenating what `append` returns and then what `finish` returns gives exactly `Tokenizer.decode` of all the ids.
/// Two things are held back to make that true:
/// - bytes that might still become a valid UTF-8 character (an emoji arrives as up to four byte tokens);
/// - when the tokenizer cleans up spaces (`" ,"` → `","`, `" 's"` → `"'s"`), a short tail that a later token could
///   still change: a cut is only made where no clean-up pattern can straddle it.
public struct StreamingDecoder: Sendable {
    private let decoder: TokenDecoder
    private let skipSpecialTokens: Bool
    /// Bytes of the last, maybe unfinished, UTF-8 sequence.
    private var pendingBytes: [UInt8] = []
    /// Decoded text not yet returned because the clean-up could still change it.
    private var pendingText: [UInt8] = []
    private var sawToken = false

    init(decoder: TokenDecoder, skipSpecialTokens: Bool) {
        self.decoder = decoder
        self.skipSpecialTokens = skipSpecialTokens
    }

    /// Adds one id; returns the text it completes (often empty while a character or clean-up is pending).
    public mutating func append(_ id: Int) -> String {
        guard decoder.append(id, skipSpecialTokens: skipSpecialTokens, to: &pendingBytes, isFirst: !sawToken) else {
            return ""
        }
        sawToken = true
        let decided = Self.decidedLength(pendingBytes)
        guard decided > 0 else { return "" }
        let text = String(decoding: pendingBytes[..<decided], as: UTF8.self)
        pendingBytes.removeFirst(decided)
        return release(text, final: false)
    }

    /// Returns everything still held; bytes that never formed a character become U+FFFD, as in `decode`.
    public mutating func finish() -> String {
        let text = String(decoding: pendingBytes, as: UTF8.self)
        pendingBytes.removeAll()
        return release(text, final: true)
    }

    private mutating func release(_ text: String, final: Bool) -> String {
        guard decoder.cleansUpSpaces else { return text }
        pendingText.append(contentsOf: text.utf8)
        let cut = final ? pendingText.count : Self.safeCut(pendingText)
        guard cut > 0 else { return "" }
        let ready = String(decoding: pendingText[..<cut], as: UTF8.self)
        pendingText.removeFirst(cut)
        return TokenDecoder.cleanUp(ready)
    }

    /// How many leading bytes can be decoded now: all of them, unless they end with the beginning of a well-formed
    /// UTF-8 sequence that more bytes could complete. Cutting just before a lead byte never changes how the whole
    /// would decode, invalid bytes included.
    static func decidedLength(_ bytes: [UInt8]) -> Int {
        var start = bytes.count - 1
        while start >= 0, start >= bytes.count - 4, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        guard start >= 0, start >= bytes.count - 4 else { return bytes.count }
        let lead = bytes[start]
        let needed: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: needed = 2
        case 0xE0: needed = 3; second = 0xA0...0xBF
        case 0xED: needed = 3; second = 0x80...0x9F
        case 0xE1...0xEF: needed = 3
        case 0xF0: needed = 4; second = 0x90...0xBF
        case 0xF4: needed = 4; second = 0x80...0x8F
        case 0xF1...0xF3: needed = 4
        default: return bytes.count
        }
        let have = bytes.count - start
        guard have < needed else { return bytes.count }
        if have >= 2, !second.contains(bytes[start + 1]) { return bytes.count }
        return start
    }

    /// The longest prefix of `text` that the clean-up treats independently of whatever follows. Every clean-up
    /// pattern starts with a space, is at most 4 bytes, and only ever deletes spaces; so a cut is safe after a byte
    /// that no pattern contains, or after three bytes none of which is a space.
    static func safeCut(_ text: [UInt8]) -> Int {
        var cut = text.count
        while cut > 0 {
            let atBoundary = cut == text.count || text[cut] & 0xC0 != 0x80
            if atBoundary, !cleanUpBytes[Int(text[cut - 1])] || !text[max(0, cut - 3)..<cut].contains(0x20) {
                return cut
            }
            cut -= 1
        }
        return 0
    }

    private static let cleanUpBytes: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in " .?!,'ntmsver".utf8 { table[Int(byte)] = true }
        return table
    }()
}
