import Index

/// One result. JSON keys are snake_case and always present (`null` when a signal did not score the passage).
public struct SearchHit: Sendable, Equatable, Codable {
    /// Scores per signal: `maxsim` is the sum over query tokens of the best dot product (not normalised),
    /// `bm25` is FTS5's BM25 negated (larger is better), `rrf` the fused reciprocal-rank score.
    public struct Scores: Sendable, Equatable, Codable {
        public var maxsim: Float?
        public var bm25: Double?
        public var rrf: Double?

        public init(maxsim: Float? = nil, bm25: Double? = nil, rrf: Double? = nil) {
            self.maxsim = maxsim
            self.bm25 = bm25
            self.rrf = rrf
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(maxsim, forKey: .maxsim)
            try container.encode(bm25, forKey: .bm25)
            try container.encode(rrf, forKey: .rrf)
        }
    }

    /// `[start, end)` in Unicode scalars of `snippet`.
    public struct Highlight: Sendable, Equatable, Codable {
        public var start: Int
        public var end: Int

        public init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }
    }

    /// 1-based.
    public var rank: Int
    public var passageID: Int64
    public var path: String
    /// 1-based, inclusive.
    public var lineStart: Int
    public var lineEnd: Int
    public var page: Int?
    /// Where the passage is in a container format, as a URL fragment (`page=3`, `slide=2`, `sheet=Q3`); nil for text.
    public var location: String?
    /// The headings above the passage, outermost first.
    public var headingPath: [String] = []
    /// The score the hits are ordered by: `rrf` in hybrid mode, `maxsim` in semantic mode, `bm25` in lexical mode.
    public var score: Double
    public var scores: Scores
    /// A window of the passage around its best-matching words, whitespace collapsed, `…` where cut.
    public var snippet: String
    public var highlights: [Highlight]

    public init(rank: Int, passageID: Int64, path: String, lineStart: Int, lineEnd: Int, page: Int?, score: Double,
                scores: Scores, snippet: String, highlights: [Highlight]) {
        self.rank = rank
        self.passageID = passageID
        self.path = path
        self.lineStart = lineStart
        self.lineEnd = lineEnd
        self.page = page
        self.score = score
        self.scores = scores
        self.snippet = snippet
        self.highlights = highlights
    }

    enum CodingKeys: String, CodingKey {
        case rank, passageID = "passage_id", path, lineStart = "line_start", lineEnd = "line_end", page, score, scores
        case snippet, highlights, location, headingPath = "heading_path"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rank, forKey: .rank)
        try container.encode(passageID, forKey: .passageID)
        try container.encode(path, forKey: .path)
        try container.encode(lineStart, forKey: .lineStart)
        try container.encode(lineEnd, forKey: .lineEnd)
        try container.encode(page, forKey: .page)
        try container.encode(location, forKey: .location)
        try container.encode(headingPath, forKey: .headingPath)
        var extra = encoder.container(keyedBy: DerivedKeys.self)
        try extra.encode(citation, forKey: .citation)
        try container.encode(score, forKey: .score)
        try container.encode(scores, forKey: .scores)
        try container.encode(snippet, forKey: .snippet)
        try container.encode(highlights, forKey: .highlights)
    }

    /// Written to JSON, not read back.
    enum DerivedKeys: String, CodingKey { case citation }

    /// `notes.md:12-18`, `manual.pdf#page=3`, `deck.pptx#slide=2`: how to cite the hit.
    public var citation: String { CitationForm.label(path: path, lineStart: lineStart, lineEnd: lineEnd, location: location) }
}
