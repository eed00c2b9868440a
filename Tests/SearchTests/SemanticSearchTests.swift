import Foundation
import Index
import Search
import TestSupport
import Testing

@Suite struct SemanticSearchTests {
    @Test func exhaustiveSemanticSearchEqualsBruteForceMaxSim() throws {
        let index = try TemporaryIndex()
        defer { index.cleanup() }
        let d = SearchFixtures.encoder.dimension
        let corpus = SyntheticCorpus(dimension: d, vocabulary: 200, topics: 8, seed: 7)
        var stored: [String: [Float]] = [:]
        for doc in 0..<30 {
            let passages = (0..<3).map { corpus.passage(doc * 3 + $0, tokens: 5 + ($0 * 7 + doc) % 20) }
            try index.add("doc\(doc).txt", passages.map(\.text), vectors: passages.map(\.vectors))
            for (i, p) in passages.enumerated() { stored["doc\(doc).txt#\(i + 1)"] = SearchFixtures.float16Rounded(p.vectors) }
        }
        let searcher = Searcher(database: index.database)
        for seed in 0..<5 {
            let query = corpus.query(targeting: seed * 11, tokens: 8)
            let hits = try searcher.search(SearchRequest(text: query.text, queryVectors: query.vectors, k: 10, mode: .semantic))
            let expected = stored.map { key, vectors in
                (key, SearchFixtures.bruteForceMaxSim(query: query.vectors.vectors, passage: vectors, dimension: d))
            }.sorted { $0.1 > $1.1 }.prefix(10)
            #expect(hits.count == 10)
            for (hit, reference) in zip(hits, expected) {
                #expect("\(hit.path)#\(hit.lineStart)" == reference.0, "rank \(hit.rank): \(hit.path) vs \(reference.0)")
                #expect(abs(Float(hit.score) - reference.1) < 1e-3, "score \(hit.score) vs \(reference.1)")
                #expect(hit.scores.maxsim != nil && hit.scores.bm25 == nil)
            }
        }
    }

    @Test func centroidCandidatesRecallExhaustiveTop10() throws {
        let index = try TemporaryIndex()
        defer { index.cleanup() }
        let d = SearchFixtures.encoder.dimension
        let corpus = SyntheticCorpus(dimension: d, vocabulary: 400, topics: 20, seed: 3)
        for doc in 0..<200 {
            let passages = (0..<5).map { corpus.passage(doc * 5 + $0, tokens: 40) }
            try index.add("d\(doc)", passages.map(\.text), vectors: passages.map(\.vectors))
        }
        var policy = CandidatePolicy()
        policy.trainAtTokens = 10_000
        policy.minimumCentroids = 64
        policy.maximumCentroids = 256
        let report = try index.database.maintain(policy: policy)
        guard case .trained(let centroids, let tokens, _) = report else {
            Issue.record("expected training, got \(report)")
            return
        }
        #expect(tokens == 40_000 && centroids == 256)
        #expect(try index.database.status().candidates.scheme == "centroids")

        var configuration = SearchConfiguration()
        configuration.probesPerToken = 4
        configuration.rerankCandidates = 100
        let approximate = Searcher(database: index.database, configuration: configuration)
        configuration.exhaustive = true
        let exact = Searcher(database: index.database, configuration: configuration)
        var overlap = 0, total = 0
        for seed in 0..<20 {
            let query = corpus.query(targeting: seed * 37, tokens: 16)
            let request = SearchRequest(text: query.text, queryVectors: query.vectors, k: 10, mode: .semantic)
            let found = Set(try approximate.search(request).map(\.passageID))
            let truth = Set(try exact.search(request).map(\.passageID))
            overlap += found.intersection(truth).count
            total += truth.count
        }
        let recall = Double(overlap) / Double(total)
        print("recall@10 of centroid candidates vs exhaustive MaxSim: \(recall)")
        #expect(recall >= 0.9)
    }

    @Test func removedPassagesNeverComeBack() throws {
        let index = try TemporaryIndex()
        defer { index.cleanup() }
        let d = SearchFixtures.encoder.dimension
        let corpus = SyntheticCorpus(dimension: d, vocabulary: 100, topics: 4, seed: 5)
        for doc in 0..<100 {
            let p = corpus.passage(doc, tokens: 30)
            try index.add("d\(doc)", [p.text], vectors: [p.vectors])
        }
        var policy = CandidatePolicy()
        policy.trainAtTokens = 1000
        policy.minimumCentroids = 32
        policy.maximumCentroids = 32
        try index.database.maintain(policy: policy)
        let query = corpus.query(targeting: 3, tokens: 8)
        let request = SearchRequest(text: query.text, queryVectors: query.vectors, k: 100, mode: .semantic)
        let before = try Searcher(database: index.database).search(request).map(\.path)
        // Remove half (tombstones for listed passages), re-add some (postings_delta), then compact.
        try index.database.removeDocuments(paths: (0..<50).map { "d\($0)" })
        for doc in 0..<10 {
            let p = corpus.passage(doc + 1000, tokens: 30)
            try index.add("new\(doc)", [p.text], vectors: [p.vectors])
        }
        let after = try Searcher(database: index.database).search(request).map(\.path)
        #expect(!after.contains { path in (0..<50).contains { "d\($0)" == path } })
        #expect(!before.isEmpty)
        // A document added after training (its postings only in postings_delta) is found by its own vectors.
        let added = corpus.passage(1003, tokens: 30)
        let probe = SearchRequest(text: added.text, queryVectors: QueryVectors(vectors: Array(added.vectors.prefix(8 * d)),
                                                                               count: 8, dimension: d), k: 1, mode: .semantic)
        #expect(try Searcher(database: index.database).search(probe).first?.path == "new3")
        let status = try index.database.status()
        #expect(status.candidates.tombstones == 50 && status.candidates.pendingPostings > 0)
        guard case .compacted = try index.database.maintain(policy: policy) else {
            Issue.record("expected a compaction")
            return
        }
        let compacted = try Searcher(database: index.database).search(request).map(\.path)
        #expect(compacted == after)
        #expect(try index.database.status().candidates.tombstones == 0)
    }
}
