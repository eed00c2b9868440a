/// The searchable text of one file, with what is known about it.
public struct ExtractedText: Sendable, Equatable {
    /// The text, UTF-8, line endings normalised to `\n` (so line numbers are the source file's).
    public let text: String
    /// `# Title` / front matter for Markdown, `<title>` for HTML, the first underlined line for reStructuredText.
    public let title: String?
    /// A heuristic guess (`LanguageGuess`): en, fr, de, es, it, pt, nl, zh, ja, ko, ar, ru, el, he, th, hi, or nil.
    public let language: String?
    /// SHA-256 (lowercase hex) of the file's raw bytes, before any decoding: the key for "unchanged since last index".
    public let contentHash: String
    public let format: DocumentFormat
    /// Things the user should know that did not stop extraction (bytes replaced with U+FFFD, UTF-16 guessed without
    /// a byte-order mark). Each is a sentence without the file name.
    public let warnings: [String]
    /// For formats whose text is not line-for-line the source (HTML, re-indented JSON): `sourceLineSpans[i]` is the
    /// range of 1-based source lines that text line `i + 1` came from. Nil when text lines are the source lines.
    public let sourceLineSpans: [ClosedRange<Int>]?
    /// For container formats: the runs of text lines that share a location (a page, a slide), in order, covering
    /// the text. Passages never cross a section boundary. Empty for text formats (one section, no location).
    public let sections: [LocatedLines]
    /// Which extractor made this text and its version (`text/1`, `pdf/1`): a document extracted by another version
    /// is re-extracted on the next run.
    public let extractor: String

    /// Lines `lines` (1-based, of `text`) are at `location`.
    public struct LocatedLines: Sendable, Equatable {
        public let lines: ClosedRange<Int>
        public let location: DocumentLocation?

        public init(lines: ClosedRange<Int>, location: DocumentLocation?) {
            self.lines = lines
            self.location = location
        }
    }

    public init(text: String, title: String?, language: String?, contentHash: String, format: DocumentFormat,
                warnings: [String] = [], sourceLineSpans: [ClosedRange<Int>]? = nil, sections: [LocatedLines] = [],
                extractor: String = TextExtractor.identity, citesLines: Bool? = nil) {
        self.citesLines = citesLines ?? !format.isContainer
        self.text = text
        self.title = title
        self.language = language
        self.contentHash = contentHash
        self.format = format
        self.warnings = warnings
        self.sourceLineSpans = sourceLineSpans
        self.sections = sections
        self.extractor = extractor
    }

    /// Whether passages are cited by source line (`notes.md:12-18`). Container formats are cited by location or
    /// heading instead: their text lines are not lines of the file.
    public let citesLines: Bool

    /// The source lines of a range of 1-based lines of `text` (the same numbers when the text is the source).
    public func sourceLines(_ textLines: ClosedRange<Int>) -> ClosedRange<Int> {
        guard let spans = sourceLineSpans, !spans.isEmpty else { return textLines }
        func span(_ line: Int) -> ClosedRange<Int> { spans[min(max(line - 1, 0), spans.count - 1)] }
        let first = span(textLines.lowerBound).lowerBound
        return first...max(first, span(textLines.upperBound).upperBound)
    }
}
