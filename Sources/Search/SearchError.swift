import Index

/// Why a query cannot run. Each message says what to do instead.
public enum SearchError: Error, CustomStringConvertible, Equatable {
    /// Semantic or hybrid mode without query vectors.
    case needsQueryVectors(mode: SearchMode)
    /// Semantic or hybrid mode on an index built without an encoder.
    case lexicalOnlyIndex(path: String, mode: SearchMode)
    /// Query vectors of another width than the index's.
    case dimensionMismatch(query: Int, index: Int)
    case invalidK(Int)
    case invalidGlob(String, reason: String)

    public var description: String {
        switch self {
        case .needsQueryVectors(let mode):
            return "--mode \(mode.rawValue) needs the query encoded: pass --model DIR (the ColBERT model the index was "
                + "built with), or use --mode lexical"
        case .lexicalOnlyIndex(let path, let mode):
            return "the index \(path) has no vectors (built without a model), so --mode \(mode.rawValue) cannot run; "
                + "use --mode lexical, or re-index with --model DIR"
        case .dimensionMismatch(let query, let index):
            return "the query has \(query)-d vectors but the index holds \(index)-d vectors: use the model the index was built with"
        case .invalidK(let k):
            return "-k must be at least 1 (got \(k))"
        case .invalidGlob(let glob, let reason):
            return "--path \(glob): \(reason)"
        }
    }
}
