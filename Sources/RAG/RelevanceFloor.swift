/// The abstention rule: when no retrieved passage's score reaches `minScore`, Ferret answers that it found nothing
/// in the files (exit status 1) instead of letting the model answer from memory.
///
/// The floor is compared with `RetrievedPassage.score`, which must be an absolute relevance, not a rank-based one:
/// reciprocal-rank fusion gives the best hit the same score whatever it is, so it cannot tell "nothing relevant"
/// apart. The caller fills `score` with the normalised MaxSim, `maxsim / query tokens`: the mean over query tokens of
/// the best cosine in the passage, in [-1, 1]. `defaultMinScore` is on that scale; `--min-score` replaces it.
/// Lexical-only searches have no bounded score, so
/// callers pass the BM25 score and their own floor (`--min-score`), or `.disabled`.
public struct RelevanceFloor: Sendable, Equatable {
    /// Abstain when every passage scores below this.
    public var minScore: Double

    public init(minScore: Double = RelevanceFloor.defaultMinScore) {
        self.minScore = minScore
    }

    /// 0.5 mean best cosine per query token. Provisional: chosen so that a passage must align with at least half
    /// of the query's meaning; to be calibrated on the evaluation set.
    public static let defaultMinScore = 0.5

    /// Never abstains on score (still abstains when retrieval returned nothing).
    public static let disabled = RelevanceFloor(minScore: -.infinity)

    /// What to do with a retrieval result.
    public enum Decision: Sendable, Equatable {
        /// Answer from these passages (those at or above the floor, in their given order).
        case answer([RetrievedPassage])
        /// Nothing cleared the floor; `bestScore` is the highest score seen (nil when nothing was retrieved).
        case abstain(bestScore: Double?)
    }

    /// Keeps the passages that clear the floor; abstains when none does.
    public func decide(_ passages: [RetrievedPassage]) -> Decision {
        let kept = passages.filter { $0.score >= minScore }
        return kept.isEmpty ? .abstain(bestScore: passages.map(\.score).max()) : .answer(kept)
    }

    /// The sentence printed when abstaining, with the best score so the user can judge `--min-score`.
    public func abstentionMessage(bestScore: Double?) -> String {
        guard let bestScore else { return "I found nothing in your files about this." }
        let best = (bestScore * 1000).rounded() / 1000
        return "I found nothing in your files about this (best match scored \(best), below the floor of "
            + "\(minScore); lower it with --min-score)."
    }
}
