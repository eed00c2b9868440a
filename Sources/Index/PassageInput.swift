/// One passage of a document, ready to store: its text, where it came from, and (unless the index is lexical-only)
/// one vector per kept token.
public struct PassageInput: Sendable, Equatable {
    /// Position within the document, 0-based; unique per document.
    public var ordinal: Int
    public var text: String
    /// `[byteStart, byteEnd)` in the extracted text of the document.
    public var byteStart: Int
    public var byteEnd: Int
    /// 1-based, inclusive.
    public var lineStart: Int
    public var lineEnd: Int
    /// 1-based page for paged formats (PDF), nil otherwise.
    public var page: Int?
    /// Where the passage is in a container format, as a URL fragment without `#` (`page=3`, `slide=2`, `sheet=Q3`).
    public var location: String?
    /// The headings in force where the passage starts, outermost first.
    public var headingPath: [String]
    /// The encoder's kept token ids, one per vector, when known.
    public var tokenIDs: [Int]?
    /// `[n, dimension]` row-major; empty for a lexical-only index.
    public var vectors: [Float]

    public init(ordinal: Int, text: String, byteStart: Int, byteEnd: Int, lineStart: Int, lineEnd: Int,
                page: Int? = nil, location: String? = nil, headingPath: [String] = [], tokenIDs: [Int]? = nil,
                vectors: [Float] = []) {
        self.location = location
        self.headingPath = headingPath
        self.ordinal = ordinal
        self.text = text
        self.byteStart = byteStart
        self.byteEnd = byteEnd
        self.lineStart = lineStart
        self.lineEnd = lineEnd
        self.page = page
        self.tokenIDs = tokenIDs
        self.vectors = vectors
    }
}
