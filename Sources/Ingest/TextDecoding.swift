/// Turns a file's bytes into a Swift string: byte-order marks, UTF-16, binary detection, invalid UTF-8 and line
/// endings. Pure (no file access) so every rule is testable on byte arrays.
///
/// Invalid UTF-8 policy: a text file with a few bad bytes (a truncated copy, one Windows-1252 character pasted into
/// a UTF-8 file) is indexed with each bad sequence replaced by U+FFFD, and a warning says how many and where the
/// first one is, so nothing is lost silently. A file whose invalid sequences are both more than 1 per 1,000 bytes and
/// more numerous than its valid non-ASCII characters is really in another encoding (Latin-1, Shift-JIS, …): indexing
/// it would store garbage, so it is rejected with `IngestError.invalidUTF8` and a hint to convert it.
enum TextDecoding {
    /// How far the binary check looks (as git and ripgrep-all do).
    static let sniffLength = 8192
    /// Share of control bytes (other than tab, newlines, form feed, escape) above which a file is binary.
    static let maxControlRatio = 0.10

    struct Decoded: Equatable {
        var text: String
        var warnings: [String]
    }

    enum Failure: Error, Equatable {
        case binary(String)
        case invalidUTF8(offset: Int, count: Int)
    }

    /// Decodes `bytes` and normalises line endings (`\r\n` and lone `\r` become `\n`, so line numbers are those an
    /// editor shows).
    static func decode(_ bytes: [UInt8]) -> Result<Decoded, Failure> {
        var warnings: [String] = []
        let text: String
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            switch decodeUTF8(bytes[3...], offsetBase: 3) {
            case .failure(let failure): return .failure(failure)
            case .success(let decoded): text = decoded.text; warnings = decoded.warnings
            }
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            (text, warnings) = decodeUTF16(bytes[2...], littleEndian: little)
        } else if let little = unmarkedUTF16(bytes) {
            (text, warnings) = decodeUTF16(bytes[...], littleEndian: little)
            warnings.append("no byte-order mark: read as UTF-16 \(little ? "LE" : "BE") from its NUL byte pattern")
        } else {
            if let reason = binaryReason(bytes) { return .failure(.binary(reason)) }
            switch decodeUTF8(bytes[...], offsetBase: 0) {
            case .failure(let failure): return .failure(failure)
            case .success(let decoded): text = decoded.text; warnings = decoded.warnings
            }
        }
        return .success(Decoded(text: normalizeLineEndings(text), warnings: warnings))
    }

    /// Why the start of `bytes` looks binary, or nil for text.
    static func binaryReason(_ bytes: [UInt8]) -> String? {
        let head = bytes.prefix(sniffLength)
        if let nul = head.firstIndex(of: 0) { return "NUL byte at offset \(nul)" }
        guard !head.isEmpty else { return nil }
        let controls = head.reduce(0) { count, b in
            let isControl = (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x1B) || b == 0x7F
            return count + (isControl ? 1 : 0)
        }
        let ratio = Double(controls) / Double(head.count)
        if ratio > maxControlRatio {
            return "\(Int((ratio * 100).rounded()))% control bytes in the first \(head.count) bytes"
        }
        return nil
    }

    /// Recognises UTF-16 without a byte-order mark: ASCII-heavy UTF-16 has a NUL in (nearly) every other byte, on
    /// the odd offsets for little-endian and the even ones for big-endian. Returns `true` for LE, `false` for BE.
    static func unmarkedUTF16(_ bytes: [UInt8]) -> Bool? {
        let head = Array(bytes.prefix(sniffLength))
        guard head.count >= 4, head.count % 2 == 0 || head.count == sniffLength else { return nil }
        var evenNul = 0, oddNul = 0
        for (i, b) in head.enumerated() where b == 0 {
            if i % 2 == 0 { evenNul += 1 } else { oddNul += 1 }
        }
        let pairs = head.count / 2
        if oddNul * 10 >= pairs * 7 && evenNul * 50 <= pairs { return true }
        if evenNul * 10 >= pairs * 7 && oddNul * 50 <= pairs { return false }
        return nil
    }

    private static func decodeUTF16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> (String, [String]) {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(littleEndian ? a | b << 8 : a << 8 | b)
            i += 2
        }
        var warnings: [String] = []
        var invalid = 0
        var scalars = String.UnicodeScalarView()
        var decoder = UTF16()
        var iterator = units.makeIterator()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: break loop
            case .error: invalid += 1; scalars.append("\u{FFFD}")
            }
        }
        if bytes.count % 2 == 1 { warnings.append("odd number of bytes for UTF-16: the last byte was dropped") }
        if invalid > 0 {
            warnings.append("\(invalid) unpaired UTF-16 surrogate\(invalid == 1 ? "" : "s") replaced with U+FFFD")
        }
        return (String(scalars), warnings)
    }

    private static func decodeUTF8(_ bytes: ArraySlice<UInt8>, offsetBase: Int) -> Result<Decoded, Failure> {
        let scan = UTF8Scan(bytes)
        if scan.invalidSequences == 0 { return .success(Decoded(text: String(decoding: bytes, as: UTF8.self), warnings: [])) }
        let offset = offsetBase + scan.firstInvalidOffset
        let tooMany = scan.invalidSequences * 1000 > bytes.count && scan.invalidSequences > scan.validMultibyte
        if tooMany { return .failure(.invalidUTF8(offset: offset, count: scan.invalidSequences)) }
        let count = scan.invalidSequences
        let warning = "\(count) invalid UTF-8 sequence\(count == 1 ? "" : "s") replaced with U+FFFD "
            + "(the first at byte offset \(offset))"
        return .success(Decoded(text: String(decoding: bytes, as: UTF8.self), warnings: [warning]))
    }

    static func normalizeLineEndings(_ text: String) -> String {
        guard text.utf8.contains(0x0D) else { return text }
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        var previousCR = false
        for b in text.utf8 {
            if b == 0x0D { out.append(0x0A); previousCR = true; continue }
            if b == 0x0A && previousCR { previousCR = false; continue }
            previousCR = false
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Counts valid multi-byte characters and invalid sequences the way `String(decoding:as:)` replaces them
/// (one U+FFFD per maximal invalid subpart).
struct UTF8Scan {
    var invalidSequences = 0
    var validMultibyte = 0
    var firstInvalidOffset = 0

    init(_ bytes: ArraySlice<UInt8>) {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count > 1 { validMultibyte += 1 }
                offset += encoded.count
            case .emptyInput:
                break loop
            case .error(let length):
                if invalidSequences == 0 { firstInvalidOffset = offset }
                invalidSequences += 1
                offset += length
            }
        }
    }
}
