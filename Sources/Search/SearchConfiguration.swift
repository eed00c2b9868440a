/// Knobs of the candidate pipeline. The defaults are the measured ones in docs/INDEX.md
/// (recall@10 against exhaustive MaxSim); `ferret bench search` explores others.
public struct SearchConfiguration: Sendable, Equatable {
    /// Centroids probed per query token.
    public var probesPerToken: Int = 4
    /// Passages kept by the posting-list estimate for the centroid-interaction estimate (stage 2); stage 2 runs
    /// only when this exceeds `rerankCandidates` (off by default, see `CandidateGenerator`).
    public var interactionCandidates: Int = 0
    /// Passages re-ranked with exact MaxSim, the best by the candidate estimate (256: recall@10 0.998 at 100k
    /// passages, 0.946 with 128).
    public var rerankCandidates: Int = 256
    /// BM25 matches taken as candidates and as the lexical ranking for fusion.
    public var lexicalCandidates: Int = 100
    /// Semantic ranking depth handed to fusion (at least k).
    public var fusionDepth: Int = 100
    /// Reciprocal rank fusion constant (Cormack, Clarke & Buettcher 2009).
    public var rrfK: Double = 60
    /// When a `--path` filter leaves at most this many token vectors, score them all (exact, and faster than probing).
    public var exhaustiveTokens: Int = 262_144
    /// Score every passage, ignoring centroids: the oracle the benchmark measures recall against.
    public var exhaustive: Bool = false

    public init() {}

    public static let `default` = SearchConfiguration()
}
