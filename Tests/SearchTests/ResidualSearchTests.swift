import Foundation
import Index
import Search
import TestSupport
import Testing

/// MaxSim on residual codes (decoded per passage into the scoring batch) against MaxSim on the original float
/// vectors: the rankings must agree closely, more closely with more bits.
@Suite struct ResidualSearchTests {
    static let dimension = 128

    /// 1,000 passages of 40 synthetic 128-d tokens in an index storing `vectors`, centroids trained (256), so every
    /// passage is compressed when `vectors` is residual. Returns the index and the corpus.
    static func makeIndex(_ vectors: VectorStorage) throws -> (URL, IndexDatabase, SyntheticCorpus) {
        let directory = try Fixtures.temporaryDirectory()
        let encoder = EncoderIdentity(name: "synthetic", fingerprint: "0", dimension: dimension)
        let database = try IndexDatabase.open(at: directory.appendingPathComponent("index.sqlite"), encoder: encoder,
                                              vectors: vectors)
        let corpus = SyntheticCorpus(dimension: dimension, vocabulary: 2000, topics: 40, seed: 5)
        for doc in 0..<200 {
            let passages = (0..<5).map { p -> PassageInput in
                let generated = corpus.passage(doc * 5 + p, tokens: 40)
                return PassageInput(ordinal: p, text: generated.text, byteStart: 0, byteEnd: generated.text.utf8.count,
                                    lineStart: p + 1, lineEnd: p + 1, vectors: generated.vectors)
            }
            try database.replaceDocument(DocumentInput(path: "d\(doc)", contentHash: "\(doc)", size: 1, modified: Date()),
                                         passages: passages)
        }
        var policy = CandidatePolicy()
        policy.trainAtTokens = 10_000
        policy.minimumCentroids = 256
        policy.maximumCentroids = 256
        _ = try database.maintain(policy: policy)
        return (directory, database, corpus)
    }

    /// Top-10 overlap of exhaustive MaxSim on the stored (compressed) vectors with exhaustive MaxSim on the original
    /// float32 vectors, 30 queries. Measured: 0.76 / 0.90 / 0.98 mean overlap at 1 / 2 / 4 bits (worst query 0.3 /
    /// 0.7 / 0.8), 1.0 for float16 (0.72 / 0.86 / 0.95 when the buckets were learned on the k-means sample itself). Only 256 centroids for 40,000 tokens here (PLAID's rule would give 2,048), so
    /// residuals are larger than in a real index; `ferret bench search` measures the real sizes.
    @Test(arguments: [("residual1", 0.70), ("residual2", 0.85), ("residual4", 0.95), ("float16", 0.99)])
    func rankingAgreesWithFloatMaxSim(vectors: String, bound: Double) throws {
        let storage = try #require(VectorStorage(rawValue: vectors))
        let (directory, database, corpus) = try Self.makeIndex(storage)
        defer { try? FileManager.default.removeItem(at: directory) }
        var compressed = 0
        try database.read { reader in
            try reader.forEachStoredVectors(passages: nil) { _, stored in if stored.isCompressed { compressed += 1 } }
        }
        #expect(compressed == (storage.residualBits == nil ? 0 : 1000))

        let queries = (0..<30).map { corpus.query(targeting: $0 * 31, tokens: 32).vectors }
        let truth = ExhaustiveOracle.topK(queries: queries, k: 10) { add in
            for p in 0..<1000 {
                let original = corpus.passage(p, tokens: 40).vectors
                add(Int64(p + 1), 40) { out in original.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: $0.count) } }
            }
        }
        var configuration = SearchConfiguration()
        configuration.exhaustive = true
        let searcher = Searcher(database: database, configuration: configuration)
        var overlaps: [Double] = []
        var candidateOverlaps: [Double] = []
        let approximate = Searcher(database: database)
        for (query, exact) in zip(queries, truth) {
            let request = SearchRequest(text: "", queryVectors: query, k: 10, mode: .semantic)
            let found = try searcher.search(request).map(\.passageID)
            overlaps.append(Double(Set(found).intersection(exact.map(\.id)).count) / 10)
            let candidates = try approximate.search(request).map(\.passageID)
            candidateOverlaps.append(Double(Set(candidates).intersection(exact.map(\.id)).count) / 10)
        }
        let mean = overlaps.reduce(0, +) / Double(overlaps.count)
        let candidateMean = candidateOverlaps.reduce(0, +) / Double(candidateOverlaps.count)
        print("\(vectors): top-10 overlap with float MaxSim \(String(format: "%.3f", mean)) exhaustive on codes "
              + "(worst \(overlaps.min() ?? 0)), \(String(format: "%.3f", candidateMean)) through centroid candidates")
        #expect(mean >= bound, "\(vectors): mean top-10 overlap \(mean)")
    }

    /// The scorer decodes a compressed passage to the same scores as scoring its decoded floats.
    @Test func scoringCodesEqualsScoringDecodedVectors() throws {
        let (directory, database, corpus) = try Self.makeIndex(.residual(bits: 2))
        defer { try? FileManager.default.removeItem(at: directory) }
        let query = corpus.query(targeting: 7, tokens: 32).vectors
        let fromCodes = MaxSimScorer(query: query, batchTokens: 100)  // forces several flushes
        let fromFloats = MaxSimScorer(query: query)
        try database.read { reader in
            try reader.forEachStoredVectors(passages: nil) { id, stored in fromCodes.add(id: id, stored: stored) }
            try reader.forEachVectors(passages: nil) { id, count, vectors in
                fromFloats.add(id: id, vectors: UnsafeBufferPointer(start: vectors, count: count * Self.dimension))
            }
        }
        let a = fromCodes.finish(), b = fromFloats.finish()
        #expect(a.count == 1000 && a.map(\.id) == b.map(\.id))
        let worst = zip(a, b).map { abs($0.score - $1.score) }.max() ?? 0
        print("largest score difference, codes vs decoded floats: \(worst)")
        #expect(worst < 1e-3)
    }
}
