import Foundation
import Index
import Search
import Testing

@Suite struct FusionTests {
    @Test func reciprocalRankFusionOrder() {
        // a: ranks 1 and 3 → 1/61 + 1/63; b: 2 and 1 → 1/62 + 1/61; c: 3 only; d: 2 in lexical only.
        let fused = RankFusion.reciprocalRank([[1, 2, 3], [2, 4, 1]], k: 60)
        #expect(fused.map(\.id) == [2, 1, 4, 3])
        #expect(abs(fused[0].score - (1.0 / 62 + 1.0 / 61)) < 1e-12)
        #expect(abs(fused[1].score - (1.0 / 61 + 1.0 / 63)) < 1e-12)
        // Equal scores: the id seen first (in the earlier ranking) wins.
        #expect(RankFusion.reciprocalRank([[7], [9]]).map(\.id) == [7, 9])
    }

    @Test func hybridFusesMaxSimAndBM25Rankings() throws {
        let index = try TemporaryIndex()
        defer { index.cleanup() }
        let d = SearchFixtures.encoder.dimension
        let corpus = SyntheticCorpus(dimension: d, vocabulary: 64, topics: 4, seed: 9)
        for doc in 0..<20 {
            let p = corpus.passage(doc, tokens: 12)
            // Only doc 5 contains the word "zebra".
            try index.add("d\(doc)", [p.text + (doc == 5 ? " zebra" : "")], vectors: [p.vectors])
        }
        let query = corpus.query(targeting: 2, tokens: 8)
        let searcher = Searcher(database: index.database)
        let semantic = try searcher.search(SearchRequest(text: "zebra", queryVectors: query.vectors, k: 20, mode: .semantic))
        let hybrid = try searcher.search(SearchRequest(text: "zebra", queryVectors: query.vectors, k: 20, mode: .hybrid))
        #expect(hybrid.count == 20)
        let semanticRank = Dictionary(uniqueKeysWithValues: semantic.map { ($0.passageID, $0.rank) })
        // Recompute RRF by hand from the semantic ranking and the single BM25 match.
        let bm25Passage = try #require(hybrid.first { $0.path == "d5" }?.passageID)
        let expected = RankFusion.reciprocalRank([semantic.map(\.passageID), [bm25Passage]])
        #expect(hybrid.map(\.passageID) == expected.map(\.id))
        let top = try #require(hybrid.first)
        #expect(top.scores.rrf == top.score && top.scores.maxsim != nil)
        #expect(hybrid.first { $0.path == "d5" }?.scores.bm25 != nil)
        #expect(semanticRank.count == 20)
    }
}
