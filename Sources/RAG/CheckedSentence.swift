/// One sentence of an answer with the citations of its markers, as `CitationChecker` and
/// `StreamingCitationChecker` report them.
public struct CheckedSentence: Sendable, Equatable {
    /// One marker group (`[1]`, `[1][3]`, `[2-4]`) and a citation per number in it.
    public struct Marker: Sendable, Equatable {
        /// Character offsets of the group in the answer.
        public var range: Range<Int>
        public var citations: [Citation]
    }

    /// Character offsets of the sentence in the answer (trimmed of whitespace).
    public var range: Range<Int>
    public var markers: [Marker]

    /// Every citation of the sentence, in marker order.
    public var citations: [Citation] { markers.flatMap(\.citations) }
}
