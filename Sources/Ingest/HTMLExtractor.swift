/// Text of an HTML page as a reader sees it: tags removed; `script`, `style`, `noscript`, `template`, `svg` dropped
/// (the `head` yields only its `title`); entities decoded; whitespace collapsed except in `pre`; block elements on
/// their own lines, paragraphs and headings separated by a blank line, headings written as Markdown (`## Heading`)
/// so the chunker starts a passage at them; list items as `- item`; table cells joined with ` | `.
///
/// For every line of the output it records the 1-based source line its first character came from, so passages can
/// cite lines of the HTML file itself. A tolerant scanner, not a parser: unclosed tags, stray `<` and unknown
/// entities come out as text rather than errors.
struct HTMLExtractor {
    struct Output: Equatable {
        var text: String
        var title: String?
        /// `sourceLineSpans[i]`: the source lines output line `i + 1` came from.
        var sourceLineSpans: [ClosedRange<Int>]
    }

    static func extract(_ html: String) -> Output {
        var extractor = HTMLExtractor(Array(html.utf8))
        extractor.run()
        let text = String(decoding: extractor.out, as: UTF8.self)
        var title = extractor.title.map { collapseWhitespace($0) }
        if title?.isEmpty ?? true {
            title = text.split(separator: "\n").first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)) }
        }
        return Output(text: text, title: title, sourceLineSpans: extractor.spans)
    }

    private static let skippedElements: Set<String> = ["script", "style", "noscript", "template", "svg", "iframe",
                                                       "object", "canvas", "nav"]
    /// Page chrome when outside `main`/`article` (site header, footer, sidebar); content inside them.
    private static let chromeElements: Set<String> = ["header", "footer", "aside"]
    private static let contentElements: Set<String> = ["main", "article"]
    /// Elements whose text is raw (no tags inside): we jump straight to their end tag.
    private static let rawTextElements: Set<String> = ["script", "style", "title", "textarea", "xmp"]
    private static let paragraphElements: Set<String> = [
        "p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre", "table",
        "ul", "ol", "dl", "figure", "figcaption", "address", "details", "summary", "form", "fieldset", "hr", "body",
        "caption", "h1", "h2", "h3", "h4", "h5", "h6",
    ]
    private static let lineElements: Set<String> = ["br", "li", "tr", "dt", "dd", "option", "legend", "thead",
                                                    "tbody", "tfoot"]

    private let src: [UInt8]
    private var i = 0
    private var line = 1
    private var out: [UInt8] = []
    private var spans: [ClosedRange<Int>] = []
    private var lineHasText = false
    private var pendingSpace = false
    private var pendingNewlines = 0
    private var preDepth = 0
    private var skipDepth = 0
    private var title: String?
    private var cellsInRow = 0
    /// Open `main`/`article` elements, and for each open header/footer/aside whether it was dropped as chrome.
    private var contentDepth = 0
    private var chromeStack: [Bool] = []

    /// Whether the page marks its content with `main` or `article`: only then are header, footer and aside outside
    /// them page chrome (a page without either keeps them, as they may be all it has).
    private let hasContentElement: Bool

    private init(_ src: [UInt8]) {
        self.src = src
        hasContentElement = Self.contains(src, "<main") || Self.contains(src, "<article")
    }

    private static func contains(_ bytes: [UInt8], _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard bytes.count >= pattern.count else { return false }
        outer: for start in 0...(bytes.count - pattern.count) {
            for (k, p) in pattern.enumerated() where bytes[start + k] | 0x20 != p | 0x20 { continue outer }
            return true
        }
        return false
    }

    private mutating func run() {
        while i < src.count {
            let b = src[i]
            if b == UInt8(ascii: "<"), tag() { continue }
            if b == UInt8(ascii: "&"), skipDepth == 0, let (text, next) = HTMLEntities.decode(src, at: i) {
                emitText(Array(text.utf8))
                i = next
                continue
            }
            if b == 0x0A { line += 1 }
            if skipDepth == 0 { emitText([b]) }
            i += 1
        }
    }

    // MARK: Tags

    /// Handles the markup at `src[i] == "<"`; false when the `<` is literal text.
    private mutating func tag() -> Bool {
        if starts(with: "<!--") { skip(past: "-->"); return true }
        if starts(with: "<!") || starts(with: "<?") { skip(past: ">"); return true }
        var j = i + 1
        let closing = j < src.count && src[j] == UInt8(ascii: "/")
        if closing { j += 1 }
        let nameStart = j
        while j < src.count, isNameByte(src[j]) { j += 1 }
        guard j > nameStart, isLetter(src[nameStart]) else { return false }
        let name = String(decoding: src[nameStart..<j], as: UTF8.self).lowercased()
        // Find the closing `>`, stepping over quoted attribute values (which may contain `>`).
        var quote: UInt8? = nil
        while j < src.count {
            let c = src[j]
            if c == 0x0A { line += 1 }
            if let q = quote { if c == q { quote = nil } } else if c == 0x22 || c == 0x27 { quote = c } else if c == UInt8(ascii: ">") { break }
            j += 1
        }
        let selfClosing = j > 0 && j < src.count && src[j - 1] == UInt8(ascii: "/")
        i = min(j + 1, src.count)
        closing ? endTag(name) : startTag(name, selfClosing: selfClosing)
        return true
    }

    private mutating func startTag(_ name: String, selfClosing: Bool) {
        if Self.rawTextElements.contains(name) && !selfClosing {
            let body = rawText(until: name)
            if name == "title" { if title == nil { title = decodeEntities(body) }; return }
            if name == "script" || name == "style" || skipDepth > 0 { return }
            // textarea / xmp: literal text.
            emitText(Array(decodeEntities(body).utf8))
            return
        }
        if Self.skippedElements.contains(name) { if !selfClosing { skipDepth += 1 }; return }
        if Self.chromeElements.contains(name), !selfClosing {
            let chrome = contentDepth == 0 && hasContentElement
            chromeStack.append(chrome)
            if chrome { skipDepth += 1; return }
        }
        if Self.contentElements.contains(name), !selfClosing { contentDepth += 1 }
        guard skipDepth == 0 else { return }
        if name == "pre" { preDepth += 1 }
        if let level = headingLevel(name) {
            breakLines(2)
            emitText(Array((String(repeating: "#", count: level) + " ").utf8))
            return
        }
        switch name {
        case "tr": breakLines(1); cellsInRow = 0
        case "td", "th":
            if cellsInRow > 0 { emitText(Array(" | ".utf8)) }
            cellsInRow += 1
        case "li": breakLines(1); emitText(Array("- ".utf8))
        case "img", "input", "wbr": pendingSpace = true
        default:
            if Self.paragraphElements.contains(name) { breakLines(2) } else if Self.lineElements.contains(name) { breakLines(1) }
        }
    }

    private mutating func endTag(_ name: String) {
        if Self.skippedElements.contains(name) { skipDepth = max(0, skipDepth - 1); return }
        if Self.chromeElements.contains(name), let chrome = chromeStack.popLast(), chrome {
            skipDepth = max(0, skipDepth - 1)
            return
        }
        if Self.contentElements.contains(name) { contentDepth = max(0, contentDepth - 1) }
        guard skipDepth == 0 else { return }
        if name == "pre" { preDepth = max(0, preDepth - 1) }
        if headingLevel(name) != nil || Self.paragraphElements.contains(name) { breakLines(2) } else if Self.lineElements.contains(name) { breakLines(1) }
    }

    /// The raw content of a `script`/`style`/`title`… element, leaving `i` after its end tag (or at the end).
    private mutating func rawText(until name: String) -> String {
        let start = i
        let end = Array("</\(name)".utf8)
        while i < src.count {
            if src[i] == 0x0A { line += 1 }
            if src[i] == UInt8(ascii: "<"), i + end.count <= src.count,
               zip(src[i..<(i + end.count)], end).allSatisfy({ lower($0) == $1 }) {
                let body = String(decoding: src[start..<i], as: UTF8.self)
                skip(past: ">")
                return body
            }
            i += 1
        }
        return String(decoding: src[start..<src.count], as: UTF8.self)
    }

    // MARK: Output

    private mutating func breakLines(_ count: Int) {
        if out.isEmpty { return }
        pendingNewlines = max(pendingNewlines, count)
        pendingSpace = false
    }

    private mutating func emitText(_ bytes: [UInt8]) {
        for b in bytes {
            let isSpace = b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
            if preDepth > 0 {
                flushPending()
                if b == 0x0A { newline() } else { append(b) }
                continue
            }
            if isSpace { if lineHasText { pendingSpace = true }; continue }
            flushPending()
            if pendingSpace { append(0x20); pendingSpace = false }
            append(b)
        }
    }

    private mutating func flushPending() {
        guard pendingNewlines > 0 else { return }
        for _ in 0..<pendingNewlines { newline() }
        pendingNewlines = 0
        pendingSpace = false
    }

    private mutating func newline() {
        if spans.isEmpty { spans.append(line...line) }
        out.append(0x0A)
        spans.append(line...line)
        lineHasText = false
    }

    private mutating func append(_ b: UInt8) {
        if spans.isEmpty { spans.append(line...line) }
        let last = spans.count - 1
        if !lineHasText { spans[last] = line...line; lineHasText = true }
        spans[last] = spans[last].lowerBound...max(spans[last].upperBound, line)
        out.append(b)
    }

    // MARK: Helpers

    private func headingLevel(_ name: String) -> Int? {
        let bytes = Array(name.utf8)
        guard bytes.count == 2, bytes[0] == UInt8(ascii: "h"), (0x31...0x36).contains(bytes[1]) else { return nil }
        return Int(bytes[1] - 0x30)
    }

    private func starts(with prefix: String) -> Bool {
        let p = Array(prefix.utf8)
        return i + p.count <= src.count && zip(src[i..<(i + p.count)], p).allSatisfy { lower($0) == lower($1) }
    }

    private mutating func skip(past terminator: String) {
        let t = Array(terminator.utf8)
        while i < src.count {
            if i + t.count <= src.count, Array(src[i..<(i + t.count)]) == t { i += t.count; return }
            if src[i] == 0x0A { line += 1 }
            i += 1
        }
    }

    private func decodeEntities(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var result: [UInt8] = []
        var k = 0
        while k < bytes.count {
            if bytes[k] == UInt8(ascii: "&"), let (decoded, next) = HTMLEntities.decode(bytes, at: k) {
                result += Array(decoded.utf8); k = next
            } else {
                result.append(bytes[k]); k += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func collapseWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    private func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }
    private func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    private func isNameByte(_ b: UInt8) -> Bool {
        isLetter(b) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: ":")
    }
}
