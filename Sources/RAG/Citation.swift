/// One `[n]` marker in an answer, resolved against the passages the model was given.
///
/// `verified` is true when `n` names a given passage and, if the model quoted words next to the marker, those words
/// occur in that passage (see `QuoteMatcher`). Otherwise `problem` says why, e.g. `"unknown passage 7"` or
/// `"quote not found in [2]"`; such citations are reported, never silently kept or dropped.
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
    public var verified: Bool
    public var problem: String?

    public init(n: Int, passage: RetrievedPassage?, quote: String?, verified: Bool, problem: String?) {
        self.n = n
        self.passageID = passage?.passageID
        self.path = passage?.path
        self.lines = passage?.citesLines == true ? passage?.lines : nil
        self.page = passage?.page
        self.fragment = passage?.fragment
        self.quote = quote
        self.verified = verified
        self.problem = problem
    }

    /// `path:start-end` or `path#page=N`, as in the Sources block; nil for an unknown passage.
    public var location: String? {
        guard let path else { return nil }
        if let fragment { return "\(path)#\(fragment)" }
        return lines.map { "\(path):\($0)" } ?? path
    }

    enum CodingKeys: String, CodingKey {
        case n, path, lines, page, fragment = "location", passageID = "passage_id", quote, verified, problem
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
        try container.encode(verified, forKey: .verified)
        try container.encode(problem, forKey: .problem)
    }
}
