import CICU

/// ICU's charset detector and converters (through `CICU`), for text that is not in a Unicode encoding.
enum Charsets {
    /// One guess of the detector.
    struct Match: Equatable, Sendable {
        /// ICU's name for the charset ("windows-1252", "Shift_JIS"…), accepted by `convert`.
        let name: String
        /// The language ICU guessed with it ("fr"), or "" when it has none.
        let language: String
        /// 0 to 100.
        let confidence: Int
    }

    /// Bytes converted, and how many bad input sequences or unrepresentable characters were replaced.
    struct Converted: Equatable, Sendable {
        var bytes: [UInt8]
        var substitutions: Int
    }

    /// How much of the input the detector reads: ICU scans everything it is given, and the statistics of the first
    /// 64 KB are as good as those of a whole large file.
    static let detectionSample = 65_536

    /// The detector's best `limit` guesses for the first `detectionSample` bytes of `bytes`, best first; empty when
    /// ICU has none.
    static func detect(_ bytes: ArraySlice<UInt8>, limit: Int = 5) -> [Match] {
        let sample = bytes.prefix(detectionSample)
        guard !sample.isEmpty, limit > 0 else { return [] }
        let blank = ferret_charset_match()
        var matches = [ferret_charset_match](repeating: blank, count: limit)
        let found = sample.withUnsafeBufferPointer { input in
            input.withMemoryRebound(to: CChar.self) { chars in
                ferret_detect_charset(chars.baseAddress, Int32(chars.count), &matches, Int32(limit))
            }
        }
        guard found > 0 else { return [] }
        return matches.prefix(Int(found)).map { match in
            Match(name: string(match.name), language: string(match.language), confidence: Int(match.confidence))
        }
    }

    /// `bytes` in charset `from`, re-encoded in charset `to`. Nil when ICU does not know a charset or the input or
    /// output passes 2 GB (the C interface counts in `Int32`).
    static func convert(_ bytes: [UInt8], from: String, to: String) -> Converted? {
        guard bytes.count <= Int(Int32.max) else { return nil }
        // Three bytes of UTF-8 per input byte covers every legacy charset's characters; a second call is for
        // the exotic rest (and for the non-UTF-8 targets the tests use, which are never larger than UTF-8 input).
        var capacity = min(3 * bytes.count + 4, Int(Int32.max))
        var substitutions: Int32 = 0
        while true {
            var output = [UInt8](repeating: 0, count: capacity)
            let length = bytes.withUnsafeBufferPointer { input in
                input.withMemoryRebound(to: CChar.self) { source in
                    output.withUnsafeMutableBufferPointer { out in
                        out.withMemoryRebound(to: CChar.self) { target in
                            ferret_convert(to, from, source.baseAddress, Int32(source.count), target.baseAddress,
                                           Int32(target.count), &substitutions)
                        }
                    }
                }
            }
            guard length >= 0 else { return nil }
            if Int(length) <= capacity {
                output.removeLast(capacity - Int(length))
                return Converted(bytes: output, substitutions: Int(substitutions))
            }
            capacity = Int(length)
        }
    }

    /// `bytes` in `charset`, decoded; nil when ICU does not know the charset.
    static func decode(_ bytes: [UInt8], charset: String) -> (text: String, substitutions: Int)? {
        guard let converted = convert(bytes, from: charset, to: "UTF-8") else { return nil }
        return (String(decoding: converted.bytes, as: UTF8.self), converted.substitutions)
    }

    /// `text` encoded in `charset`; nil when ICU does not know the charset.
    static func encode(_ text: String, charset: String) -> Converted? {
        convert(Array(text.utf8), from: "UTF-8", to: charset)
    }

    /// A fixed-size C string field of `ferret_charset_match`.
    private static func string<Field>(_ field: Field) -> String {
        withUnsafeBytes(of: field) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
