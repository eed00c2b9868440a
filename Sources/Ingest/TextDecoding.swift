/// Turns a file's bytes into a Swift string, whatever its encoding: byte-order marks, UTF-8, UTF-16 and UTF-32,
/// legacy charsets, binary detection and line endings. Pure (no file access) so every rule is testable on byte
/// arrays. A file never fails because of its encoding; only a binary file fails.
///
/// The policy, in order:
/// 1. A byte-order mark decides: UTF-8, UTF-16 LE/BE, UTF-32 LE/BE (`UnicodeForm.marked`).
/// 2. Without one, UTF-32 and UTF-16 are recognised by the NUL bytes ASCII-heavy text leaves in them
///    (`UnicodeForm.unmarked`), before the binary check, which they would fail.
/// 3. NUL bytes or more than 10% control bytes in the first 8 KB: binary, rejected.
/// 4. Valid UTF-8 (pure ASCII included) is UTF-8; the charset detector is never asked.
/// 5. UTF-8 with a few stray bytes — no more invalid sequences than valid non-ASCII characters (a truncated copy,
///    one Windows-1252 character pasted into a UTF-8 file) — stays UTF-8, each bad sequence replaced with U+FFFD and
///    a warning saying how many and where the first is. Read in a legacy charset instead, each of those valid
///    characters would turn into two or three wrong ones: UTF-8 damages fewer characters.
/// 6. Anything else is in another encoding: ICU's detector names it (`LegacyDecoding`) and ICU converts it, with a
///    warning "read as windows-1252 (detected, confidence 63%)". An ASCII file with a single Latin-1 "é" comes here,
///    and its "é" is read right rather than replaced.
/// 7. If the detector has no usable answer, the bytes are read as UTF-8 with replacement and a warning counting the
///    replaced sequences.
enum TextDecoding {
    /// How far the binary and UTF-16/UTF-32 checks look (as git and ripgrep-all do).
    static let sniffLength = 8192
    /// Share of control bytes (other than tab, newlines, form feed, escape) above which a file is binary.
    static let maxControlRatio = 0.10

    struct Decoded: Equatable {
        var text: String
        var warnings: [String]
        /// The encoding the text was read in: "UTF-8", "UTF-16LE", "windows-1252", "Shift_JIS"…
        var encoding: String
    }

    enum Failure: Error, Equatable {
        case binary(String)
    }

    /// Decodes `bytes` and normalises line endings (`\r\n` and lone `\r` become `\n`, so line numbers are those an
    /// editor shows).
    static func decode(_ bytes: [UInt8]) -> Result<Decoded, Failure> {
        var decoded: Decoded
        if let form = UnicodeForm.marked(bytes) {
            let body = bytes[form.byteOrderMark.count...]
            if form == .utf8 {
                decoded = decodeUTF8(body, offsetBase: form.byteOrderMark.count)
            } else {
                let wide = form.decodeWide(body)
                decoded = Decoded(text: wide.text, warnings: wide.warnings, encoding: form.name)
            }
        } else if let form = UnicodeForm.unmarked(bytes) {
            let wide = form.decodeWide(bytes[...])
            let order = form == .utf16LE || form == .utf32LE ? "LE" : "BE"
            let family = form == .utf16LE || form == .utf16BE ? "UTF-16" : "UTF-32"
            let guess = "no byte-order mark: read as \(family) \(order) from its NUL byte pattern"
            decoded = Decoded(text: wide.text, warnings: [guess] + wide.warnings, encoding: form.name)
        } else {
            if let reason = binaryReason(bytes) { return .failure(.binary(reason)) }
            decoded = decodeUTF8OrLegacy(bytes)
        }
        decoded.text = normalizeLineEndings(decoded.text)
        return .success(decoded)
    }

    /// Why the start of `bytes` looks binary, or nil for text.
    static func binaryReason(_ bytes: [UInt8]) -> String? {
        let head = bytes.prefix(sniffLength)
        if let nul = head.firstIndex(of: 0) { return "NUL byte at offset \(nul)" }
        guard !head.isEmpty else { return nil }
        let controls = head.reduce(0) { count, b in count + (isControl(Unicode.Scalar(b)) ? 1 : 0) }
        let ratio = Double(controls) / Double(head.count)
        if ratio > maxControlRatio {
            return "\(Int((ratio * 100).rounded()))% control bytes in the first \(head.count) bytes"
        }
        return nil
    }

    /// A control character that does not occur in text: C0 other than tab, newlines, form feed and escape; DEL.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D && v != 0x0C && v != 0x1B) || v == 0x7F
    }

    /// Steps 4 to 7 of the policy, for bytes without a byte-order mark that are not binary.
    private static func decodeUTF8OrLegacy(_ bytes: [UInt8]) -> Decoded {
        let scan = UTF8Scan(bytes[...])
        if scan.invalidSequences <= scan.validMultibyte {
            return decodeUTF8(bytes[...], offsetBase: 0, scan: scan)
        }
        if let legacy = LegacyDecoding.decode(bytes, scan: scan) { return legacy }
        var fallback = decodeUTF8(bytes[...], offsetBase: 0, scan: scan)
        fallback.warnings[0] += "; the encoding could not be detected"
        return fallback
    }

    /// UTF-8, each invalid sequence replaced with U+FFFD and counted in a warning.
    private static func decodeUTF8(_ bytes: ArraySlice<UInt8>, offsetBase: Int, scan: UTF8Scan? = nil) -> Decoded {
        let text = String(decoding: bytes, as: UTF8.self)
        let scan = scan ?? UTF8Scan(bytes)
        guard scan.invalidSequences > 0 else { return Decoded(text: text, warnings: [], encoding: "UTF-8") }
        let count = scan.invalidSequences
        let warning = "\(count) invalid UTF-8 sequence\(count == 1 ? "" : "s") replaced with U+FFFD "
            + "(the first at byte offset \(offsetBase + scan.firstInvalidOffset))"
        return Decoded(text: text, warnings: [warning], encoding: "UTF-8")
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
