/// How well a cited passage backs the claim next to its `[n]` (see `CitationSupport` for the rules).
public enum SupportLevel: String, Sendable, Codable, Equatable, Comparable {
    /// Words the model quoted beside the marker occur in the passage.
    case quoted
    /// The claim's content words are (mostly) in the passage and every number is, or its token vectors align well.
    case supported
    /// Some of the claim's words are in the passage, not enough to call it supported.
    case weak
    /// Few or none of the claim's words are in the passage, a number differs, a quote is not there, or the passage
    /// does not exist.
    case unsupported

    /// True for `quoted` and `supported`: what `Citation.verified` means.
    public var isVerified: Bool { self == .quoted || self == .supported }

    /// Ordered from best to worst.
    public static func < (lhs: SupportLevel, rhs: SupportLevel) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .quoted: 0
        case .supported: 1
        case .weak: 2
        case .unsupported: 3
        }
    }
}

/// The words of a passage that support a claim: the smallest run of the passage holding one occurrence of every
/// claim word found in it, as text and as offsets into `RetrievedPassage.text`.
public struct SupportSpan: Sendable, Codable, Equatable {
    /// The passage's words from the first to the last matched one, as written there.
    public var text: String
    /// Character offsets (Swift `Character`s, i.e. grapheme clusters) into the passage text.
    public var start: Int
    public var end: Int
    /// UTF-8 byte offsets into the passage text.
    public var utf8Start: Int
    public var utf8End: Int

    public init(text: String, start: Int, end: Int, utf8Start: Int, utf8End: Int) {
        self.text = text
        self.start = start
        self.end = end
        self.utf8Start = utf8Start
        self.utf8End = utf8End
    }

    enum CodingKeys: String, CodingKey { case text, start, end, utf8Start = "utf8_start", utf8End = "utf8_end" }
}
