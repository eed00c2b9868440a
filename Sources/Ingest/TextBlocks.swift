/// How a text is cut into blocks before sentences are packed into passages.
public enum Segmentation: Sendable, Equatable {
    /// Paragraphs (blank-line separated) of sentences.
    case prose
    /// Prose plus Markdown structure: ATX headings (`## Title`) start a passage, fenced code is kept whole
    /// where it fits and split by lines where it does not.
    case markdown
    /// Every line is a unit (CSV rows, JSON); blank lines separate blocks.
    case lines
    /// Source code: lines as units; blank lines and top-level declarations (`func`, `def`, `class`…, at column 0,
    /// with the comments and attributes just above them) start blocks, so passages break at function boundaries.
    case code
}

/// A run of lines that belongs together: a paragraph, a heading, a fenced code block.
struct TextBlock: Equatable {
    enum Kind: Equatable {
        case heading(level: Int, title: String)
        /// Sentences; each range in `items` (list items, table rows, quote lines, or the whole paragraph) is
        /// sentence-split on its own.
        case prose
        /// Each non-blank line is a unit.
        case lines
    }

    var kind: Kind
    /// A fenced code block: moved whole to a new passage whenever it fits one, never cut to fill a passage.
    var isFence = false
    /// Byte ranges of the block's parts: one per line for `.lines`, per item for `.prose`, one for a heading.
    var items: [Range<Int>]
}

/// Splits UTF-8 text into blocks and knows the line of every byte.
struct TextLayout {
    let bytes: [UInt8]
    /// Byte offset where each line starts; `lineStarts[0] == 0`.
    let lineStarts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i + 1) }
        lineStarts = starts
    }

    /// The 1-based line holding byte `offset`.
    func line(of offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count  // first index with lineStarts[index] > offset
        while lo < hi {
            let mid = (lo + hi) / 2
            if lineStarts[mid] <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Byte range of 0-based line `index`, without its `\n`.
    func lineRange(_ index: Int) -> Range<Int> {
        let start = lineStarts[index]
        let end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : bytes.count
        return start..<end
    }

    func isBlank(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy(Self.isSpace) }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C || b == 0x0B }

    /// `range` without leading and trailing ASCII whitespace (empty when all whitespace).
    func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, Self.isSpace(bytes[lo]) { lo += 1 }
        while hi > lo, Self.isSpace(bytes[hi - 1]) { hi -= 1 }
        return lo..<hi
    }

    func blocks(_ segmentation: Segmentation) -> [TextBlock] {
        var blocks: [TextBlock] = []
        var current: [Range<Int>] = []
        var fence: (marker: UInt8, length: Int)?
        func close(_ kind: TextBlock.Kind) {
            if !current.isEmpty { blocks.append(TextBlock(kind: kind, isFence: fence != nil, items: current)) }
            current = []
        }
        let paragraphKind: TextBlock.Kind = segmentation == .lines || segmentation == .code ? .lines : .prose
        for index in lineStarts.indices {
            let range = lineRange(index)
            if segmentation == .markdown, let marker = fenceMarker(range) {
                if let open = fence {
                    if marker.marker == open.marker && marker.length >= open.length {
                        current.append(range)
                        close(.lines)
                        fence = nil
                        continue
                    }
                } else {
                    close(paragraphKind)
                    fence = marker
                    current.append(range)
                    continue
                }
            }
            if fence != nil { current.append(range); continue }
            if isBlank(range) { close(paragraphKind); continue }
            if segmentation == .code, !current.isEmpty, startsDeclaration(range) {
                // The comments and attributes directly above a declaration belong to it.
                var split = current.count
                while split > 0, isDeclarationPreamble(current[split - 1]) { split -= 1 }
                if split > 0 {
                    let moved = Array(current[split...])
                    current.removeLast(current.count - split)
                    close(paragraphKind)
                    current = moved
                }
            }
            if segmentation == .markdown, let heading = heading(range) {
                close(paragraphKind)
                blocks.append(TextBlock(kind: .heading(level: heading.level, title: heading.title), isFence: false,
                                        items: [range]))
                continue
            }
            if paragraphKind == .prose, !current.isEmpty, !startsItem(range), let last = current.last {
                // A continuation line joins the item above (hard-wrapped prose).
                current[current.count - 1] = last.lowerBound..<range.upperBound
            } else {
                current.append(range)
            }
        }
        close(fence != nil ? .lines : paragraphKind)
        return blocks
    }

    /// Keywords that open a top-level declaration in common languages, when a line starts with one at column 0.
    private static let declarationKeywords: [String] = [
        "func ", "def ", "async def ", "class ", "struct ", "enum ", "protocol ", "extension ", "actor ", "fn ",
        "pub fn ", "pub(crate) fn ", "pub struct ", "pub enum ", "impl ", "trait ", "mod ", "function ",
        "async function ", "export ", "interface ", "type ", "public ", "private ", "internal ", "fileprivate ",
        "static ", "final ", "abstract ", "module ", "package ", "object ", "fun ", "val ", "var ", "let ", "const ",
        "CREATE ", "template<", "namespace ",
    ]

    private func startsDeclaration(_ range: Range<Int>) -> Bool {
        guard let first = range.first.map({ bytes[$0] }), first != 0x20, first != 0x09 else { return false }
        let head = String(decoding: bytes[range.lowerBound..<min(range.upperBound, range.lowerBound + 24)], as: UTF8.self)
        return Self.declarationKeywords.contains { head.hasPrefix($0) }
    }

    /// Comment and attribute lines at column 0 (`//`, `///`, `#`, `--`, `/*`, ` *`, `@decorator`, `#[attr]`).
    private func isDeclarationPreamble(_ range: Range<Int>) -> Bool {
        let text = String(decoding: bytes[range.lowerBound..<min(range.upperBound, range.lowerBound + 4)], as: UTF8.self)
        return ["//", "#", "--", "/*", " *", "*/", "@", "\"\"\""].contains { text.hasPrefix($0) }
    }

    /// `#`…`######` then a space or the end of the line, after at most three spaces of indent.
    private func heading(_ range: Range<Int>) -> (level: Int, title: String)? {
        var i = range.lowerBound
        var indent = 0
        while i < range.upperBound, bytes[i] == 0x20, indent < 4 { i += 1; indent += 1 }
        guard indent < 4 else { return nil }
        var level = 0
        while i < range.upperBound, bytes[i] == UInt8(ascii: "#") { i += 1; level += 1 }
        guard (1...6).contains(level), i == range.upperBound || bytes[i] == 0x20 || bytes[i] == 0x09 else { return nil }
        var title = Array(bytes[trimmed(i..<range.upperBound)])
        while title.last == UInt8(ascii: "#") { title.removeLast() }  // closing hashes: `## Title ##`
        return (level, String(decoding: title, as: UTF8.self).trimming(" \t"))
    }

    /// A code fence line: three or more backticks or tildes after at most three spaces.
    private func fenceMarker(_ range: Range<Int>) -> (marker: UInt8, length: Int)? {
        var i = range.lowerBound
        while i < range.upperBound, bytes[i] == 0x20, i - range.lowerBound < 4 { i += 1 }
        guard i < range.upperBound, bytes[i] == UInt8(ascii: "`") || bytes[i] == UInt8(ascii: "~") else { return nil }
        let marker = bytes[i]
        var length = 0
        while i < range.upperBound, bytes[i] == marker { i += 1; length += 1 }
        return length >= 3 ? (marker, length) : nil
    }

    /// Lines that begin a new item inside a paragraph: list items, table rows, block quotes.
    private func startsItem(_ range: Range<Int>) -> Bool {
        let t = trimmed(range)
        guard let first = t.first.map({ bytes[$0] }) else { return false }
        let second: UInt8? = t.count > 1 ? bytes[t.lowerBound + 1] : nil
        switch first {
        case UInt8(ascii: "|"), UInt8(ascii: ">"): return true
        case UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "+"): return second == 0x20
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            var i = t.lowerBound
            while i < t.upperBound, (0x30...0x39).contains(bytes[i]) { i += 1 }
            return i < t.upperBound && (bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ")"))
                && i + 1 < t.upperBound && bytes[i + 1] == 0x20
        default:
            // Full-width list markers and bullets used in CJK documents.
            return String(decoding: bytes[t.lowerBound..<min(t.upperBound, t.lowerBound + 3)], as: UTF8.self)
                .first.map { "・•●○■□◆◇▪▶※".contains($0) } ?? false
        }
    }
}

private extension String {
    func trimming(_ characters: String) -> String {
        let set = Set(characters)
        return String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
