/// Re-indents minified JSON so line- and paragraph-based chunking has structure to work with. Works on tokens, not a
/// parsed tree: key order, number spelling and string bytes are kept exactly, and malformed JSON is reflowed as well
/// as it can be rather than rejected (it is still searchable text).
enum JSONLayout {
    /// A document whose lines average more than this many bytes is treated as minified.
    static let minifiedLineLength = 500
    /// Indentation stops growing past this depth, and stops altogether once the output is `maximumGrowth` times the
    /// input: each line is indented by its depth, so 1 MB of `[[[[…` would otherwise grow into a terabyte.
    static let maximumIndentDepth = 32
    static let maximumGrowth = 4

    static func isMinified(_ text: String) -> Bool {
        let bytes = text.utf8.count
        let lines = text.utf8.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        return bytes / lines > minifiedLineLength
    }

    /// The reflowed text (two-space indent) and, for each output line, the 1-based source lines it came from.
    static func reindent(_ text: String) -> (text: String, sourceLineSpans: [ClosedRange<Int>]) {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 5 / 4)
        var spans = [1...1]
        var sourceLine = 1
        var depth = 0
        var inString = false, escaped = false
        var lineStarted = false
        let src = Array(text.utf8)
        let indentBudget = maximumGrowth * src.count

        func newline() {
            out.append(0x0A)
            if out.count < indentBudget {
                out.append(contentsOf: repeatElement(0x20, count: 2 * min(depth, maximumIndentDepth)))
            }
            spans.append(sourceLine...sourceLine)
            lineStarted = false
        }
        func emit(_ b: UInt8) {
            let last = spans.count - 1
            if !lineStarted { spans[last] = sourceLine...sourceLine; lineStarted = true }
            spans[last] = spans[last].lowerBound...max(spans[last].upperBound, sourceLine)
            out.append(b)
        }
        func nextSignificant(after index: Int) -> UInt8? {
            var j = index + 1
            while j < src.count, [0x20, 0x09, 0x0A, 0x0D].contains(src[j]) { j += 1 }
            return j < src.count ? src[j] : nil
        }

        for (index, b) in src.enumerated() {
            if b == 0x0A { sourceLine += 1 }
            if inString {
                if b != 0x0A { emit(b) }
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == 0x22 { inString = false }
                continue
            }
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D:
                continue
            case 0x22:
                inString = true
                emit(b)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                emit(b)
                let close = b == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                depth += 1
                if nextSignificant(after: index) != close { newline() }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth = max(0, depth - 1)
                if lineStarted, let last = out.last, last != UInt8(ascii: "{") && last != UInt8(ascii: "[") { newline() }
                emit(b)
            case UInt8(ascii: ","):
                emit(b)
                newline()
            case UInt8(ascii: ":"):
                emit(b)
                emit(0x20)
            default:
                emit(b)
            }
        }
        return (String(decoding: out, as: UTF8.self), spans)
    }
}
