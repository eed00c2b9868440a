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
    /// Where the passage is in a container format as a URL fragment (`page=3`, `slide=2`, `sheet=Q3`); nil for text.
    public var fragment: String?
    /// Whether `lineStart…lineEnd` are lines of the file (false for PDFs and office documents, cited otherwise).
    public var citesLines: Bool
    /// The headings above the passage, outermost first.
    public var headingPath: [String]
    /// The passage text as indexed. `PromptBuilder` may shorten it to fit the context; the shortened text is what the
    /// model saw and what citations are checked against.
    public var text: String
    /// Absolute relevance, larger is better; compared against `RelevanceFloor.minScore`.
    public var score: Double

    public init(passageID: Int64, path: String, lineStart: Int, lineEnd: Int, page: Int? = nil, text: String,
                score: Double, fragment: String? = nil, citesLines: Bool = true, headingPath: [String] = []) {
        self.fragment = fragment ?? page.map { "page=\($0)" }
        self.citesLines = citesLines && fragment == nil && page == nil
        self.headingPath = headingPath
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

    /// `path#page=N` (slide, sheet…) for container formats, the bare path for those without locations (DOCX),
    /// else `path:start-end`: the form used in prompts and the Sources block.
    public var location: String {
        if let fragment { return "\(path)#\(fragment)" }
        return citesLines ? "\(path):\(lines)" : path
    }

    enum CodingKeys: String, CodingKey {
        case passageID = "passage_id", path, lineStart = "line_start", lineEnd = "line_end", page, text, score
        case fragment = "location", citesLines = "cites_lines", headingPath = "heading_path"
    }

    /// The location fields are optional in JSON (passages written before they existed are text-file passages).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(passageID: try c.decode(Int64.self, forKey: .passageID), path: try c.decode(String.self, forKey: .path),
                  lineStart: try c.decode(Int.self, forKey: .lineStart), lineEnd: try c.decode(Int.self, forKey: .lineEnd),
                  page: try c.decodeIfPresent(Int.self, forKey: .page), text: try c.decode(String.self, forKey: .text),
                  score: try c.decode(Double.self, forKey: .score),
                  fragment: try c.decodeIfPresent(String.self, forKey: .fragment),
                  citesLines: try c.decodeIfPresent(Bool.self, forKey: .citesLines) ?? true,
                  headingPath: try c.decodeIfPresent([String].self, forKey: .headingPath) ?? [])
    }
}
