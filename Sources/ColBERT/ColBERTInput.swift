/// Whether a text is encoded as a query or as a document: they differ in prefix token, length, padding and which
/// positions keep a vector.
public enum TextRole: String, Sendable, CaseIterable {
    case query, document
}

/// The backbone input PyLate builds for one text (`ColBERT.tokenize` for a batch of one), and which of its positions
/// produce an output vector.
public struct ColBERTInput: Sendable, Equatable {
    /// `[BOS, prefix, text…]`, then pad ids up to `query_length` for an expanded query.
    public let ids: [Int]
    /// False on expansion (pad) positions: never attended to as keys, yet they still produce vectors.
    public let attentionMask: [Bool]
    /// Positions that keep a vector: every position of an expanded query; for documents, attended positions whose id
    /// is not in the skiplist.
    public let kept: [Bool]

    /// The ids of the kept positions, in order: one per output vector.
    public var keptIDs: [Int] { zip(ids, kept).filter(\.1).map(\.0) }
}
