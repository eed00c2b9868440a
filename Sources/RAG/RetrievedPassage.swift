/// One passage handed to the answerer: where it comes from, its text, and how relevant retrieval found it.
/// The RAG module's own input type, so it does not depend on how `Search` shapes its hits.
public struct RetrievedPassage: Sendable, Codable, Equatable {
    /// The passage's row id in the index.
    public var passageID: Int64
    /// The file, relative to the indexed folder.
    public var path: String
    /// First and last line of the passage in the file, 1-based, inclusive.
    public var lineStart: Int
    public var lineEnd: Int
    /// The page for paged formats (PDF), 1-based; nil for text files.
    public var page: Int?
    /// The passage text as indexed. `PromptBuilder` may shorten it to fit the context; the shortened text is what the
    /// model saw and what citations are checked against.
    public var text: String
    /// Absolute relevance, larger is better; compared against `RelevanceFloor.minScore`.
    public var score: Double

    public init(passageID: Int64, path: String, lineStart: Int, lineEnd: Int, page: Int? = nil, text: String,
                score: Double) {
        self.passageID = passageID
        self.path = path
        self.lineStart = lineStart
        self.lineEnd = lineEnd
        self.page = page
        self.text = text
        self.score = score
    }

    /// `"12-18"` (or `"12"` when the passage is one line).
    public var lines: String { lineStart == lineEnd ? "\(lineStart)" : "\(lineStart)-\(lineEnd)" }

    /// `path#page=N` for paged files, else `path:start-end`: the form used in prompts and the Sources block.
    public var location: String {
        if let page { return "\(path)#page=\(page)" }
        return "\(path):\(lines)"
    }

    enum CodingKeys: String, CodingKey {
        case passageID = "passage_id", path, lineStart = "line_start", lineEnd = "line_end", page, text, score
    }
}
