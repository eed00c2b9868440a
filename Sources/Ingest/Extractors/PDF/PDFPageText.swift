/// The pure part of PDF extraction: from the layout poppler found to one text per page. No I/O, so the tests and
/// the fuzzer (`scripts/fuzz_pdf_text.sh`) call it directly.
///
/// 1. Words are cleaned: ligatures spelled out (`ﬁ` → `fi`, so "file" is found), control and zero-width characters
///    removed, a soft hyphen kept only at a word's end; lines and blocks left without words are dropped.
/// 2. Running headers and footers and bare page numbers are dropped (`PDFRunningLines`).
/// 3. The lines of each block become one paragraph (`PDFParagraphs`: hyphenated words joined, bullets as `- ` list
///    items); paragraphs are separated by a blank line.
///
/// Each page's text is what `StructuredText` expects of a section: words separated by single spaces, paragraphs by
/// one blank line, no blank line at either end; a page without text is "".
enum PDFPageText {
    struct Result: Sendable, Equatable {
        /// One text per page of the layout, in order.
        var pages: [String]
        /// How many running header, footer and page-number lines were dropped, over all pages.
        var droppedLines: Int
    }

    static func pages(of layout: PDFLayout) -> Result {
        let pages = layout.pages.map(cleaned)
        let drops = PDFRunningLines.find(in: pages)
        let paragraphs = PDFParagraphs(pages: pages)
        var texts: [String] = []
        texts.reserveCapacity(pages.count)
        for (page, dropped) in zip(pages, drops) {
            var pageParagraphs: [String] = []
            for (b, block) in page.blocks.enumerated() {
                let kept = block.lines.indices.filter { !dropped.contains(.init(block: b, line: $0)) }
                for text in paragraphs.paragraphs(kept.map { block.lines[$0] }) {
                    pageParagraphs.append(withoutSoftHyphens(text))
                }
            }
            texts.append(pageParagraphs.joined(separator: "\n\n"))
        }
        return Result(pages: texts, droppedLines: drops.reduce(0) { $0 + $1.count })
    }

    /// A soft hyphen left inside a paragraph (one that ended a word, not a line) is invisible in print.
    static func withoutSoftHyphens(_ text: String) -> String {
        guard text.utf8.contains(0xAD) else { return text }   // U+00AD is C2 AD in UTF-8
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\u{AD}" }))
    }

    /// The page with its words cleaned and empty lines and blocks removed.
    static func cleaned(_ page: PDFLayout.Page) -> PDFLayout.Page {
        var blocks: [PDFLayout.Block] = []
        for block in page.blocks {
            var lines: [PDFLayout.Line] = []
            for var line in block.lines {
                line.words = line.words.flatMap(cleanedWords)
                if !line.words.isEmpty { lines.append(line) }
            }
            if !lines.isEmpty { blocks.append(PDFLayout.Block(lines: lines)) }
        }
        return PDFLayout.Page(blocks: blocks)
    }

    /// A word as poppler gave it, cleaned; a space or line break inside it (rare, from odd fonts) splits it.
    static func cleanedWords(_ word: String) -> [String] {
        // Nearly every word is printable ASCII, which needs nothing (and scalar-by-scalar work was most of the time).
        if word.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) { return [word] }
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func finish() {
            // A soft hyphen matters only at the end of a word, where it may mark a line-end break.
            let endsSoft = current.last == "\u{AD}"
            var kept = String.UnicodeScalarView(current.filter { $0 != "\u{AD}" })
            if !kept.isEmpty {
                if endsSoft { kept.append("\u{AD}") }
                words.append(String(kept))
            }
            current = String.UnicodeScalarView()
        }
        for scalar in word.unicodeScalars {
            if let spelled = ligatures[scalar.value] {
                current.append(contentsOf: spelled.unicodeScalars)
            } else if scalar.properties.isWhitespace {
                finish()
            } else if scalar.properties.generalCategory != .control && !ignorable.contains(scalar.value) {
                current.append(scalar)
            }
        }
        finish()
        return words
    }

    /// The Latin ligatures of the Alphabetic Presentation Forms block, spelled out.
    private static let ligatures: [UInt32: String] = [
        0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st",
    ]
    /// Zero-width space, joiners, word joiner, byte-order mark.
    private static let ignorable: Set<UInt32> = [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]
}
