/// A piece of a document small enough to encode in one go, with where it came from.
public struct Passage: Sendable, Equatable, Codable {
    /// 0-based position in the document.
    public let ordinal: Int
    /// Exactly the bytes `byteStart..<byteEnd` of the text that was split (never starts or ends with whitespace).
    public let text: String
    /// UTF-8 byte range in the extracted text.
    public let byteStart: Int
    public let byteEnd: Int
    /// 1-based, inclusive. Lines of the source file for plain-text formats, and for HTML and re-indented JSON when
    /// split with `Chunker.split(_: ExtractedText)`; lines of the split text otherwise.
    public let lineStart: Int
    public let lineEnd: Int
    /// `countTokens(text)`, measured on the whole passage (always ≤ the chunker's `maxTokens`).
    public let tokenCount: Int
    /// The Markdown headings in force where the passage starts, outermost first (`["Guide", "Install"]`); empty
    /// outside Markdown/HTML. Worth prepending to the text that is embedded.
    public let headingPath: [String]
    /// The page, slide or sheet the passage is on (container formats); nil for text files.
    public let location: DocumentLocation?

    public init(ordinal: Int, text: String, byteStart: Int, byteEnd: Int, lineStart: Int, lineEnd: Int,
                tokenCount: Int, headingPath: [String] = [], location: DocumentLocation? = nil) {
        self.location = location
        self.ordinal = ordinal
        self.text = text
        self.byteStart = byteStart
        self.byteEnd = byteEnd
        self.lineStart = lineStart
        self.lineEnd = lineEnd
        self.tokenCount = tokenCount
        self.headingPath = headingPath
    }
}

extension Passage {
    /// The same passage with other line numbers.
    func with(lines: ClosedRange<Int>) -> Passage {
        Passage(ordinal: ordinal, text: text, byteStart: byteStart, byteEnd: byteEnd, lineStart: lines.lowerBound,
                lineEnd: lines.upperBound, tokenCount: tokenCount, headingPath: headingPath, location: location)
    }
}
