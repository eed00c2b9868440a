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

    public init(text: String, queryVectors: QueryVectors? = nil, k: Int = 10, mode: SearchMode, pathGlob: String? = nil) {
        self.text = text
        self.queryVectors = queryVectors
        self.k = k
        self.mode = mode
        self.pathGlob = pathGlob
    }
}
