import Foundation

/// When the index trains centroids, how many, and when it folds pending postings into the per-centroid lists.
/// The defaults are the measured ones in docs/INDEX.md; the benchmark overrides them to explore.
public struct CandidatePolicy: Sendable, Equatable {
    /// Below this many token vectors there are no centroids and search scores every passage (≈ 30 ms here).
    public var trainAtTokens: Int = 262_144
    /// Re-train when the index has grown to this multiple of the tokens the centroids were trained on.
    public var growthFactor: Int = 4
    /// Centroid count: PLAID's rule, the power of two at or below `16·√tokens`, clamped to this range
    /// (8,192 at the training threshold, 65,536 from 16.8M tokens).
    public var minimumCentroids: Int = 1024
    public var maximumCentroids: Int = CentroidSet.maximumCount
    /// Training sample: this many token vectors per centroid (drawn from random passages), at most `maximumSample`.
    public var sampleTokensPerCentroid: Int = 8
    public var maximumSample: Int = 1 << 19
    public var iterations: Int = 8
    /// Fold `postings_delta` and `tombstones` into `postings` once they exceed this fraction of it.
    public var compactionFraction: Double = 0.1

    public init() {}

    public static let `default` = CandidatePolicy()

    /// Centroids to train for an index of `tokens` vectors.
    public func centroidCount(tokens: Int) -> Int {
        let target = 16 * Double(max(tokens, 1)).squareRoot()
        let power = Int(1) << max(0, Int(log2(target).rounded(.down)))
        return min(max(power, minimumCentroids), maximumCentroids, CentroidSet.maximumCount)
    }

    /// Coarse cells for `centroids` fine ones: the power of two nearest √centroids (256 for 65,536).
    public func coarseCount(centroids: Int) -> Int {
        max(1, Int(1) << Int(log2(Double(max(centroids, 1)).squareRoot()).rounded()))
    }
}
