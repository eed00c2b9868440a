/// A PDF's text as poppler lays it out: pages of blocks of lines of words, in reading order, with each line's
/// vertical extent. Read from `pdftotext -bbox-layout` output by `PDFLayout(bboxLayout:)`.
///
/// Why the layout and not plain `pdftotext` output: plain output already joins every line that ends in a hyphen
/// (`well-` + `Known` → `wellKnown`, `1990-` + `2000` → `19902000`) and separates the paragraphs of one column only by
/// a newline, so neither can be undone afterwards. The layout keeps each line's words as printed and each paragraph
/// as its own block; `PDFPageText` makes the decisions. Checked with poppler 22.12.
struct PDFLayout: Sendable, Equatable {
    /// One printed line: its words in reading order and its box, in points from the page's top left corner.
    struct Line: Sendable, Equatable {
        var words: [String]
        var top: Double
        var bottom: Double
        var left: Double
        var right: Double

        init(words: [String], top: Double = 0, bottom: Double = 0, left: Double = 0, right: Double = 0) {
            self.words = words
            self.top = top
            self.bottom = bottom
            self.left = left
            self.right = right
        }
    }

    /// Lines poppler grouped together: a paragraph, a heading, a table cell, a header or footer.
    struct Block: Sendable, Equatable {
        var lines: [Line]
    }

    /// A page's blocks in reading order (columns one after another). A page without text has no blocks.
    struct Page: Sendable, Equatable {
        var blocks: [Block]
    }

    /// The document information dictionary's title, as poppler wrote it (nil when the PDF has none).
    var title: String?
    /// Every page poppler finished, blank ones included.
    var pages: [Page]
    /// The output ended with `</doc>`: it is complete and was in the expected format.
    var isComplete: Bool

    init(title: String? = nil, pages: [Page], isComplete: Bool = true) {
        self.title = title
        self.pages = pages
        self.isComplete = isComplete
    }
}
