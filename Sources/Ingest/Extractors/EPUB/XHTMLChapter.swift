/// The text of one EPUB chapter: its XHTML decoded (UTF-8 or UTF-16, as `TextDecoding` reads it), `nav` elements
/// (tables of contents, landmarks) removed, then read by `HTMLExtractor`: headings as `#` lines, paragraphs, lists,
/// tables, scripts and styles dropped.
enum XHTMLChapter {
    static func text(_ bytes: [UInt8]) -> String {
        let html: String
        switch TextDecoding.decode(bytes) {
        case .success(let decoded): html = decoded.text
        case .failure: html = String(decoding: bytes, as: UTF8.self)
        }
        return HTMLExtractor.extract(removingNavigation(html)).text
    }

    /// `html` without its `<nav>…</nav>` elements (nested ones included; an unclosed one runs to the end).
    static func removingNavigation(_ html: String) -> String {
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var depth = 0, i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "<") {
                let closing = tag(bytes, at: i + 1, "/nav"), opening = !closing && tag(bytes, at: i + 1, "nav")
                if opening || (closing && depth > 0) {
                    let end = bytes[i...].firstIndex(of: UInt8(ascii: ">")) ?? bytes.count - 1
                    let selfClosing = end > i && bytes[end - 1] == UInt8(ascii: "/")
                    if opening, !selfClosing { depth += 1 }
                    if closing { depth -= 1 }
                    i = end + 1
                    continue
                }
            }
            if depth == 0 { out.append(bytes[i]) }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `name` (ASCII, lower case) starts at `at`, ignoring case, followed by the end of the tag name.
    private static func tag(_ bytes: [UInt8], at: Int, _ name: String) -> Bool {
        let name = Array(name.utf8)
        guard at >= 0, at <= bytes.count - name.count else { return false }
        for (k, c) in name.enumerated() where bytes[at + k] | (c >= 0x61 ? 0x20 : 0) != c { return false }
        let after = at + name.count
        guard after < bytes.count else { return true }
        let next = bytes[after]
        return next == UInt8(ascii: ">") || next == UInt8(ascii: "/") || next == 0x20 || next == 0x09
            || next == 0x0A || next == 0x0D
    }
}
