/// One `[n]` marker in an answer, resolved against the passages the model was given and checked against the text of
/// passage `n` (see `CitationSupport` for the rules).
///
/// `verified` is true only when `support` is `quoted` or `supported`; otherwise `problem` says why, e.g.
/// `"unknown passage 7"`, `"quote not found in [2]"`, `"3 is not in [1]"` or `"20% of the claim's words are in [2]"`.
/// Such citations are reported, never silently kept or dropped.
public struct Citation: Sendable, Codable, Equatable {
    /// The number inside the marker.
    public var n: Int
    /// The cited passage; nil when `n` names no given passage.
    public var passageID: Int64?
    public var path: String?
    /// `"start-end"` (or `"start"` for one line).
    public var lines: String?
    public var page: Int?
    /// `page=3`, `slide=2`…: where the passage is in a container format.
    public var fragment: String?
    /// The words the model quoted next to the marker, as written; nil when it quoted nothing.
    public var quote: String?
    /// The answer text the marker vouches for (its sentence, or the part of it since the previous marker), without
    /// markers; nil when the citation was not made from an answer sentence.
    public var claim: String?
    public var support: SupportLevel
    /// Share of the claim's content words found in the passage; nil for an unknown passage.
    public var coverage: Double?
    /// The passage words that support the claim; nil when none match or the passage is unknown.
    public var span: SupportSpan?
    /// `support` is `quoted` or `supported`.
    public var verified: Bool
    public var problem: String?

    public init(n: Int, passage: RetrievedPassage?, quote: String?, claim: String? = nil, support: SupportLevel,
                coverage: Double? = nil, span: SupportSpan? = nil, problem: String?) {
        self.n = n
        self.passageID = passage?.passageID
        self.path = passage?.path
        self.lines = passage?.citesLines == true ? passage?.lines : nil
        self.page = passage?.page
        self.fragment = passage?.fragment
        self.quote = quote
        self.claim = claim
        self.support = support
        self.coverage = coverage
        self.span = span
        self.verified = support.isVerified
        self.problem = problem
    }

    /// A citation of `passage` judged by `assessment`.
    public init(n: Int, passage: RetrievedPassage, quote: String?, claim: String?, assessment: CitationSupport.Assessment) {
        self.init(n: n, passage: passage, quote: quote, claim: claim, support: assessment.level,
                  coverage: assessment.coverage, span: assessment.span, problem: assessment.problem)
    }

    /// `path:start-end` or `path#page=N`, as in the Sources block; nil for an unknown passage.
    public var location: String? {
        guard let path else { return nil }
        if let fragment { return "\(path)#\(fragment)" }
        return lines.map { "\(path):\($0)" } ?? path
    }

    enum CodingKeys: String, CodingKey {
        case n, path, lines, page, fragment = "location", passageID = "passage_id", quote, claim, support, coverage, span
        case verified, problem
    }

    /// Always writes every key (`null` when absent), so `--json` consumers see a fixed shape.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(n, forKey: .n)
        try container.encode(path, forKey: .path)
        try container.encode(lines, forKey: .lines)
        try container.encode(page, forKey: .page)
        try container.encode(fragment, forKey: .fragment)
        try container.encode(passageID, forKey: .passageID)
        try container.encode(quote, forKey: .quote)
        try container.encode(claim, forKey: .claim)
        try container.encode(support, forKey: .support)
        try container.encode(coverage, forKey: .coverage)
        try container.encode(span, forKey: .span)
        try container.encode(verified, forKey: .verified)
        try container.encode(problem, forKey: .problem)
    }
}
