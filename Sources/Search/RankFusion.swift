/// Reciprocal rank fusion (Cormack, Clarke & Buettcher, SIGIR 2009): `rrf(p) = Σ_r 1 / (k + rank_r(p))` over the
/// rankings that contain p, ranks 1-based. Robust to the incomparable scales of MaxSim and BM25.
public enum RankFusion {
    /// Fuses rankings (each best first, ids unique within a ranking). Returns every id with its fused score,
    /// best first; ties go to the id ranked better in the earliest ranking, then to the smaller id.
    public static func reciprocalRank(_ rankings: [[Int64]], k: Double = 60) -> [(id: Int64, score: Double)] {
        var scores: [Int64: Double] = [:]
        var firstSeen: [Int64: Int] = [:]
        var order = 0
        for ranking in rankings {
            for (position, id) in ranking.enumerated() {
                scores[id, default: 0] += 1 / (k + Double(position + 1))
                if firstSeen[id] == nil {
                    firstSeen[id] = order
                    order += 1
                }
            }
        }
        return scores.map { (id: $0.key, score: $0.value) }.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            let fa = firstSeen[a.id] ?? 0, fb = firstSeen[b.id] ?? 0
            return fa != fb ? fa < fb : a.id < b.id
        }
    }
}
