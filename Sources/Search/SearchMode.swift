/// Which signals rank the results.
public enum SearchMode: String, Sendable, Codable, CaseIterable {
    /// MaxSim and BM25 rankings fused by reciprocal rank fusion (k = 60). Needs query vectors.
    case hybrid
    /// MaxSim only. Needs query vectors.
    case semantic
    /// BM25 over the ICU-segmented FTS5 table only. Needs no model.
    case lexical
}
