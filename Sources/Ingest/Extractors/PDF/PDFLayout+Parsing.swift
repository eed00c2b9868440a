extension PDFLayout {
    /// Reads the XHTML that `pdftotext -bbox-layout` writes:
    ///
    /// ```
    /// <head><title>Manual</title>…</head><body><doc>
    ///   <page width="612" height="792"><flow><block xMin=… yMin=… xMax=… yMax=…>
    ///     <line xMin=… yMin="84.10" xMax=… yMax="94.27"><word xMin=… >opera-</word>…</line>
    ///   </block></flow></page>
    /// </doc></body>
    /// ```
    ///
    /// A tolerant scanner, not an XML parser: it looks only at the `title`, `page`, `block`, `line` and `word` tags and
    /// never fails. A page counts once its `</page>` is read, so output cut short (a size limit, a crash) gives the
    /// pages before the cut. Words are XML-escaped by poppler and decoded here; the title likewise. Any input,
    /// including invalid UTF-8 (replaced by U+FFFD), gives a value: this is the fuzzed entry point.
    init(bboxLayout output: [UInt8]) {
        var scanner = Scanner(output)
        self.init(title: nil, pages: [], isComplete: false)
        var page: Page?
        var block: Block?
        var line: Line?
        while let tag = scanner.nextTag() {
            switch tag.name {
            case "title" where !tag.isClosing && title == nil:
                title = scanner.text()
            case "page":
                if tag.isClosing, let finished = page { pages.append(finished); page = nil }
                if !tag.isClosing { page = Page(blocks: []) }
                block = nil; line = nil
            case "block":
                if tag.isClosing, let finished = block, !finished.lines.isEmpty { page?.blocks.append(finished) }
                block = tag.isClosing || page == nil ? nil : Block(lines: [])
                line = nil
            case "line":
                if tag.isClosing, let finished = line, !finished.words.isEmpty { block?.lines.append(finished) }
                line = tag.isClosing || block == nil ? nil
                    : Line(words: [], top: tag.attribute("yMin") ?? 0, bottom: tag.attribute("yMax") ?? 0,
                           left: tag.attribute("xMin") ?? 0, right: tag.attribute("xMax") ?? 0)
            case "word" where !tag.isClosing:
                let word = scanner.text()
                if !word.isEmpty { line?.words.append(word) }
            case "doc" where tag.isClosing:
                isComplete = true
            default:
                break
            }
        }
    }

    /// Walks the bytes tag by tag.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        struct Tag {
            var name: String
            var isClosing: Bool
            /// The bytes between the name and `>`.
            var attributes: ArraySlice<UInt8>

            /// A numeric attribute `name="12.5"` (nil when absent, not a number, or not finite).
            func attribute(_ key: String) -> Double? {
                let pattern = Array(key.utf8) + [UInt8(ascii: "="), UInt8(ascii: "\"")]
                guard let start = Self.end(of: pattern, in: attributes) else { return nil }
                let end = attributes[start...].firstIndex(of: UInt8(ascii: "\"")) ?? attributes.endIndex
                guard let value = Double(String(decoding: attributes[start..<end], as: UTF8.self)), value.isFinite
                else { return nil }
                return value
            }

            /// The index just past the first occurrence of `pattern` in `bytes`.
            private static func end(of pattern: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
                guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
                var i = bytes.startIndex
                while i <= bytes.endIndex - pattern.count {
                    if bytes[i] == first && bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return i + pattern.count }
                    i += 1
                }
                return nil
            }
        }

        /// The next tag at or after `position`, leaving `position` just past its `>`.
        mutating func nextTag() -> Tag? {
            while let open = bytes[position...].firstIndex(of: UInt8(ascii: "<")) {
                var i = open + 1
                let isClosing = i < bytes.count && bytes[i] == UInt8(ascii: "/")
                if isClosing { i += 1 }
                let nameStart = i
                while i < bytes.count, Self.isNameByte(bytes[i]) { i += 1 }
                let nameEnd = i
                guard let close = bytes[i...].firstIndex(of: UInt8(ascii: ">")) else {
                    position = bytes.count
                    return nil
                }
                position = close + 1
                guard nameEnd > nameStart else { continue }   // `<!DOCTYPE`, `<?xml`, a stray `<`
                return Tag(name: String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self),
                           isClosing: isClosing, attributes: bytes[nameEnd..<close])
            }
            position = bytes.count
            return nil
        }

        /// The text from `position` to the next `<` (normally the closing tag), entities decoded; `position` moves
        /// to that `<`.
        mutating func text() -> String {
            let end = bytes[position...].firstIndex(of: UInt8(ascii: "<")) ?? bytes.count
            var text = ""
            var runStart = position
            var i = position
            while i < end {
                guard bytes[i] == UInt8(ascii: "&") else { i += 1; continue }
                if let (decoded, next) = HTMLEntities.decode(Array(bytes[i..<min(end, i + 40)]), at: 0) {
                    text += String(decoding: bytes[runStart..<i], as: UTF8.self) + decoded
                    i += next
                    runStart = i
                } else {
                    i += 1
                }
            }
            text += String(decoding: bytes[runStart..<end], as: UTF8.self)
            position = end
            return text
        }

        private static func isNameByte(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
        }
    }
}
