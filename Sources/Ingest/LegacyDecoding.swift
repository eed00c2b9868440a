/// Text in a pre-Unicode charset (Windows-1252, ISO-8859-x, KOI8-R, Shift_JIS, EUC-JP, GB18030, Big5…): named by
/// ICU's charset detector and converted by ICU. Only asked about bytes that are clearly not UTF-8
/// (`TextDecoding`'s policy, step 6).
///
/// The detector works from byte statistics: on a paragraph of real prose it is right, with confidences from about
/// 50 (Cyrillic, Greek) to 100 (CJK); on a single sentence it can pick a neighbour (ISO-8859-2 for French). It
/// cannot tell apart charsets that differ only in rarely used bytes — it says ISO-8859-1 for Latin-1 text without
/// bytes 0x80…0x9F and windows-1252 with them — and for those the text comes out the same either way.
/// ISO-8859-15 is not among its candidates: see `latin9`.
enum LegacyDecoding {
    /// Below this ICU's guesses are noise: it scores 10 for any charset it cannot rule out (its UTF-16 recognisers
    /// say 10 for nearly every input; random high bytes get Shift_JIS, GB18030 and Big5 at 10). A paragraph in its
    /// right charset scores 50 to 100, a single short sentence about 30.
    static let minimumConfidence = 20
    /// How many of the detector's guesses are tried, best first.
    static let candidates = 3

    /// The text in the first acceptable charset the detector proposes, with a warning naming it; nil when it has
    /// none. A guess is acceptable when it is confident enough, is not a Unicode encoding (those were ruled out
    /// before), ICU can convert it, and its conversion replaces fewer sequences than reading the bytes as UTF-8
    /// would: a wrong multi-byte guess shows itself by failing on bytes it cannot pair.
    static func decode(_ bytes: [UInt8], scan: UTF8Scan) -> TextDecoding.Decoded? {
        for match in Charsets.detect(sample(bytes, scan: scan), limit: candidates) where isCandidate(match) {
            let charset = latin9(match.name, bytes) ?? match.name
            guard let converted = Charsets.decode(bytes, charset: charset),
                  converted.substitutions < scan.invalidSequences else { continue }
            var warnings = [charset == match.name
                ? "read as \(charset) (detected, confidence \(match.confidence)%)"
                : "read as \(charset) (detected as \(match.name), confidence \(match.confidence)%, but its 0xA4 bytes "
                    + "are euro signs)"]
            if converted.substitutions > 0 {
                let count = converted.substitutions
                warnings.append("\(count) byte sequence\(count == 1 ? "" : "s") invalid in \(charset) "
                                + "replaced with U+FFFD")
            }
            return TextDecoding.Decoded(text: converted.text, warnings: warnings, encoding: charset)
        }
        return nil
    }

    /// What the detector reads: from the start of the line holding the first byte that is not UTF-8, so that a
    /// large file whose first non-ASCII character comes late is judged on its non-ASCII bytes, not on an ASCII
    /// prefix that fits every charset. (A newline is never part of a multi-byte character in the charsets the
    /// detector knows, so the sample starts on a character boundary.)
    static func sample(_ bytes: [UInt8], scan: UTF8Scan) -> ArraySlice<UInt8> {
        let first = scan.firstInvalidOffset
        if first + 512 <= Charsets.detectionSample { return bytes[...] }   // well inside the usual sample
        let lineStart = bytes[..<first].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        return bytes[max(lineStart, first - 4096)...]
    }

    /// ISO-8859-15 ("Latin-9") when the detector says ISO-8859-1 and the bytes hold 0xA4: that byte is ¤ in
    /// Latin-1, a sign nobody types, and € in Latin-9, which replaced Latin-1 for exactly that reason. Nil otherwise.
    /// (The seven other bytes the two differ in — Š š Ž ž Œ œ Ÿ against ¦ ¨ ´ ¸ ¼ ½ ¾ — all occur in Latin-1 text.)
    static func latin9(_ detected: String, _ bytes: [UInt8]) -> String? {
        detected == "ISO-8859-1" && bytes.contains(0xA4) ? "ISO-8859-15" : nil
    }

    private static func isCandidate(_ match: Charsets.Match) -> Bool {
        match.confidence >= minimumConfidence && !match.name.uppercased().hasPrefix("UTF-")
    }
}
