/// Python `str` semantics on Unicode scalars: Python indexes, strips, splits and compares code points, while Swift's
/// `String` works on grapheme clusters and canonical equivalence. Everything the renderer does to text goes through
/// here so that `len`, slices, `strip()` and `==` agree with the reference byte for byte.
enum PythonText {
    /// `str.isspace()` (also what `\s` matches in Python's `re` for text patterns): Unicode White_Space plus the
    /// four information separators U+001C…U+001F.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    static func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

    static func string<C: Collection>(_ scalars: C) -> String where C.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// Code-point equality (Swift's `==` would also equate canonically equivalent strings).
    static func equal(_ a: String, _ b: String) -> Bool { a.unicodeScalars.elementsEqual(b.unicodeScalars) }

    /// Code-point order, as Python's `<` on `str`.
    static func less(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
    }

    static func count(_ text: String) -> Int { text.unicodeScalars.count }

    // MARK: strip

    /// `str.strip(chars)`, `lstrip`, `rstrip`: `chars == nil` strips whitespace.
    static func strip(_ text: String, _ chars: String?, leading: Bool = true, trailing: Bool = true) -> String {
        let set = chars.map { Set($0.unicodeScalars.map(\.value)) }
        let strips: (Unicode.Scalar) -> Bool = { scalar in set.map { $0.contains(scalar.value) } ?? isSpace(scalar) }
        let s = scalars(text)
        var start = 0, end = s.count
        if leading { while start < end, strips(s[start]) { start += 1 } }
        if trailing { while end > start, strips(s[end - 1]) { end -= 1 } }
        return string(s[start..<end])
    }

    // MARK: search

    /// Index (in scalars) of the first occurrence of `needle` at or after `from`, as `str.find`.
    static func find(_ haystack: [Unicode.Scalar], _ needle: [Unicode.Scalar], from: Int = 0) -> Int? {
        if needle.isEmpty { return from <= haystack.count ? from : nil }
        guard haystack.count >= needle.count else { return nil }
        var i = max(0, from)
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    static func contains(_ haystack: String, _ needle: String) -> Bool {
        find(scalars(haystack), scalars(needle)) != nil
    }

    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        text.unicodeScalars.starts(with: prefix.unicodeScalars)
    }

    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        text.unicodeScalars.reversed().starts(with: suffix.unicodeScalars.reversed())
    }

    // MARK: split / replace

    /// `str.split(sep, maxsplit)`; `sep == nil` splits on whitespace runs and drops empty pieces.
    static func split(_ text: String, _ separator: String?, maxSplit: Int = -1) -> [String] {
        let s = scalars(text)
        guard let separator else {
            var parts: [String] = []
            var i = 0
            while i < s.count {
                while i < s.count, isSpace(s[i]) { i += 1 }
                guard i < s.count else { break }
                if maxSplit >= 0, parts.count == maxSplit {
                    parts.append(string(s[i...]))  // Python keeps the remainder's trailing whitespace
                    return parts
                }
                let start = i
                while i < s.count, !isSpace(s[i]) { i += 1 }
                parts.append(string(s[start..<i]))
            }
            return parts
        }
        let sep = scalars(separator)
        var parts: [String] = []
        var start = 0
        while maxSplit < 0 || parts.count < maxSplit, let hit = find(s, sep, from: start) {
            parts.append(string(s[start..<hit]))
            start = hit + sep.count
        }
        parts.append(string(s[start...]))
        return parts
    }

    /// `str.rsplit(sep, maxsplit)` for an explicit separator; whitespace splitting when `sep == nil`.
    static func rsplit(_ text: String, _ separator: String?, maxSplit: Int = -1) -> [String] {
        guard maxSplit >= 0 else { return split(text, separator) }
        let reversedText = string(scalars(text).reversed())
        let reversedSep = separator.map { string(scalars($0).reversed()) }
        return split(reversedText, reversedSep, maxSplit: maxSplit).reversed().map { string(scalars($0).reversed()) }
    }

    /// `str.replace(old, new, count)`.
    static func replace(_ text: String, _ old: String, _ new: String, count: Int = -1) -> String {
        let s = scalars(text), o = scalars(old), n = scalars(new)
        var out: [Unicode.Scalar] = []
        var done = 0
        if o.isEmpty {
            for scalar in s {
                if count < 0 || done < count { out += n; done += 1 }
                out.append(scalar)
            }
            if count < 0 || done < count { out += n }
            return string(out)
        }
        var i = 0
        while i < s.count {
            if count < 0 || done < count, s[i] == o[0], i + o.count <= s.count, s[i..<(i + o.count)].elementsEqual(o) {
                out += n
                i += o.count
                done += 1
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return string(out)
    }

    // MARK: case

    static func capitalize(_ text: String) -> String {
        let s = scalars(text)
        guard let first = s.first else { return text }
        return String(first).uppercased() + string(s.dropFirst()).lowercased()
    }

    /// Jinja's `title` filter: upper-case the first letter of each word (words start after whitespace or `-([{<`).
    static func title(_ text: String) -> String {
        var out = ""
        var atWordStart = true
        for scalar in text.unicodeScalars {
            let piece = String(scalar)
            out += atWordStart ? piece.uppercased() : piece.lowercased()
            atWordStart = isSpace(scalar) || "-([{<".unicodeScalars.contains(scalar)
        }
        return out
    }

    /// Python's `str.title()`: a cased letter after an uncased character starts a word (`"it's"` → `"It'S"`).
    static func pythonTitle(_ text: String) -> String {
        var out = ""
        var previousCased = false
        for scalar in text.unicodeScalars {
            let piece = String(scalar)
            let cased = scalar.properties.isCased
            out += cased ? (previousCased ? piece.lowercased() : piece.uppercased()) : piece
            previousCased = cased
        }
        return out
    }

    // MARK: slices

    /// The indices selected by Python's `seq[start:stop:step]` on a sequence of `count` elements.
    static func sliceIndices(count: Int, start: Int?, stop: Int?, step: Int) -> [Int] {
        func clamp(_ value: Int?, _ fallback: Int, low: Int, high: Int) -> Int {
            guard var v = value else { return fallback }
            if v < 0 { v += count }
            return min(max(v, low), high)
        }
        if step > 0 {
            let from = clamp(start, 0, low: 0, high: count), to = clamp(stop, count, low: 0, high: count)
            return from < to ? Array(stride(from: from, to: to, by: step)) : []
        }
        let from = clamp(start, count - 1, low: -1, high: count - 1), to = clamp(stop, -1, low: -1, high: count - 1)
        return from > to ? Array(stride(from: from, to: to, by: step)) : []
    }

    // MARK: repr

    /// Python `repr(str)`: single quotes unless the text has a single quote and no double quote.
    static func repr(_ text: String) -> String {
        let quote: Unicode.Scalar = text.unicodeScalars.contains("'") && !text.unicodeScalars.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case quote: out += "\\" + String(quote)
            default:
                if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x100 {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value < 0x10000 {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        out.unicodeScalars.append(quote)
        return out
    }

    /// `str.isprintable()` for one scalar: everything except categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs (but space).
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
             .spaceSeparator:
            return false
        default:
            return true
        }
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Python `repr(float)`: the shortest text that reads back to the same value (Swift prints the same digits and
    /// switches to exponent form at the same thresholds: below 1e-4 and from 1e16).
    static func repr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return value.description
    }
}
