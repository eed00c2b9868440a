/// Checks the citations of an answer while it streams: feed it each piece of text and it returns the sentences that
/// just became complete, checked exactly as `CitationChecker.checkSentences` checks the whole answer.
public final class StreamingCitationChecker {
    public let passages: [RetrievedPassage]
    public let support: CitationSupport
    private var text: [Character] = []
    /// Where the first sentence not yet reported starts.
    private var next = 0
    public private(set) var sentences: [CheckedSentence] = []

    public init(passages: [RetrievedPassage], support: CitationSupport = CitationSupport()) {
        self.passages = passages
        self.support = support
    }

    /// Adds `piece` and returns the sentences it completed.
    public func append(_ piece: String) -> [CheckedSentence] {
        text += Array(piece)
        return advance(isWhole: false)
    }

    /// The last sentences, once the answer is whole.
    public func finish() -> [CheckedSentence] { advance(isWhole: true) }

    /// Every citation reported so far, in answer order.
    public var citations: [Citation] { sentences.flatMap(\.citations) }

    private func advance(isWhole: Bool) -> [CheckedSentence] {
        let (ranges, next) = AnswerSentences.split(text, from: self.next, isWhole: isWhole)
        self.next = next
        let checked = ranges.map { CitationChecker.check(sentence: $0, of: text, passages: passages, support: support) }
        sentences += checked
        return checked
    }
}
