/// One query.
public struct SearchRequest: Sendable {
    /// The query as typed; segmented with ICU for BM25 and for highlighting.
    public var text: String
    /// The encoded query, required by `.hybrid` and `.semantic`.
    public var queryVectors: QueryVectors?
    /// Number of hits wanted.
    public var k: Int
    public var mode: SearchMode
    /// Keep only documents whose path matches (see `PathGlob`).
    public var pathGlob: String?
    /// Keep only documents whose stored path passes this test (the server's confinement to its roots).
    public var allowsPath: (@Sendable (String) -> Bool)?
    /// Places a passage's stored token ids in its text (UTF-8 byte ranges, nil where a token cannot be placed), so
    /// snippets centre on and highlight the very tokens MaxSim aligned with the query (`ColBERTEncoder.tokenRanges`).
    /// Without it the snippet falls back to the aligned tokens' relative position.
    public var locateTokens: (@Sendable (_ text: String, _ ids: [Int]) -> [Range<Int>?])?

    public init(text: String, queryVectors: QueryVectors? = nil, k: Int = 10, mode: SearchMode, pathGlob: String? = nil,
                locateTokens: (@Sendable (_ text: String, _ ids: [Int]) -> [Range<Int>?])? = nil) {
        self.text = text
        self.locateTokens = locateTokens
        self.queryVectors = queryVectors
        self.k = k
        self.mode = mode
        self.pathGlob = pathGlob
    }
}
