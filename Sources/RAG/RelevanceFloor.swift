/// The abstention rule: when no retrieved passage's score reaches `minScore`, Ferret answers that it found nothing
/// in the files (exit status 1) instead of letting the model answer from memory.
///
/// The floor is compared with `RetrievedPassage.score`, which must be an absolute relevance, not a rank-based one:
/// reciprocal-rank fusion gives the best hit the same score whatever it is, so it cannot tell "nothing relevant"
/// apart. One signal per index, never mixed (docs/RAG.md):
/// - with vectors, the normalised MaxSim, `maxsim / query tokens`: the mean over query tokens of the best cosine in
///   the passage, in [-1, 1] — computed for every hit, also those only BM25 found (`defaultMinScore`);
/// - lexical-only, the question's lexical coverage: the IDF-weighted share of its content words the passage holds,
///   in [0, 1] (`defaultMinCoverage`).
/// `--min-score` replaces the default on the index's scale.
public struct RelevanceFloor: Sendable, Equatable {
    /// Abstain when every passage scores below this.
    public var minScore: Double

    public init(minScore: Double = RelevanceFloor.defaultMinScore) {
        self.minScore = minScore
    }

    /// 0.5 mean best cosine per query token. Provisional: chosen so that a passage must align with at least half
    /// of the query's meaning; to be calibrated on the evaluation set.
    public static let defaultMinScore = 0.5

    /// 45 % of the question's IDF-weighted content words, on the lexical-coverage scale: chosen on the committed question
    /// set (`ferret bench answers`, Tests/Fixtures/questions), where it abstains on the unanswerable questions and
    /// answers the answerable ones with precision and recall ≥ 0.9.
    public static let defaultMinCoverage = 0.45

    /// Never abstains on score (still abstains when retrieval returned nothing).
    public static let disabled = RelevanceFloor(minScore: -.infinity)

    /// What to do with a retrieval result.
    public enum Decision: Sendable, Equatable {
        /// Answer from these passages (those at or above the floor, in their given order).
        case answer([RetrievedPassage])
        /// Nothing cleared the floor; `bestScore` is the highest score seen (nil when nothing was retrieved),
        /// `closest` the best passages of different files (at most three), to say where the nearest miss was.
        case abstain(bestScore: Double?, closest: [RetrievedPassage] = [])
    }

    /// Keeps the passages that clear the floor; abstains when none does.
    public func decide(_ passages: [RetrievedPassage]) -> Decision {
        let kept = passages.filter { $0.score >= minScore }
        guard kept.isEmpty else { return .answer(kept) }
        var files = Set<String>()
        let closest = passages.sorted { $0.score > $1.score }.filter { files.insert($0.path).inserted }.prefix(3)
        return .abstain(bestScore: passages.map(\.score).max(), closest: Array(closest))
    }

    /// The sentence printed when abstaining, with the best score so the user can judge `--min-score`, and the
    /// closest files.
    public func abstentionMessage(bestScore: Double?, closest: [RetrievedPassage] = []) -> String {
        guard let bestScore else { return "I found nothing in your files about this." }
        let rounded = { (value: Double) in (value * 1000).rounded() / 1000 }
        var message = "I found nothing in your files about this (best match scored \(rounded(bestScore)), below the "
            + "floor of \(rounded(minScore)); lower it with --min-score)."
        if !closest.isEmpty {
            message += " Closest: " + closest.map { "\($0.location) (\(rounded($0.score)))" }.joined(separator: ", ") + "."
        }
        return message
    }
}
