/// Python's `str.strip()` with no argument, which sentence-transformers applies to every text before tokenizing.
/// It removes the characters for which `str.isspace()` is true — general category Zs or bidirectional class WS, B
/// or S — from both ends, one Unicode scalar at a time (so a combining mark after a leading space survives).
/// This is not Foundation's `.whitespacesAndNewlines`, which misses U+001C…U+001F.
enum PythonStrip {
    static func strip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        guard let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// `chr(c).isspace()` for every code point (checked against CPython 3.11 over the whole range).
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}
