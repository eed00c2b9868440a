import Foundation
@testable import Index
import Kernels
import TestSupport
import Testing

/// `vector.encoding = residualN`: passages stay float16 until the centroids exist, are compressed when they are
/// trained, new ones are compressed on insert, re-training re-encodes them, and damaged rows are reported.
@Suite struct ResidualStorageTests {
    static let encoder = EncoderIdentity(name: "t", fingerprint: "f", dimension: 32)

    /// 40 documents of 5 passages × 30 clustered 32-d tokens in a residual index with `bits`, trained to 64 centroids.
    static func makeIndex(bits: Int = 2, train: Bool = true) throws -> (URL, IndexDatabase, [Float]) {
        let url = try IndexFixtures.temporaryIndexURL()
        let index = try IndexDatabase.open(at: url, encoder: encoder, vectors: .residual(bits: bits))
        let points = CentroidTests.clusteredPoints(count: 6000, clusters: 100, dimension: 32, seed: 7)
        for doc in 0..<40 {
            let passages = (0..<5).map { p in
                let start = (doc * 5 + p) * 30 * 32
                return PassageInput(ordinal: p, text: "passage \(doc) \(p)", byteStart: 0, byteEnd: 5, lineStart: 1, lineEnd: 1,
                                    vectors: Array(points[start..<(start + 30 * 32)]))
            }
            try index.replaceDocument(IndexFixtures.document("d\(doc)"), passages: passages)
        }
        if train { _ = try index.maintain(policy: policy) }
        return (url, index, points)
    }

    static var policy: CandidatePolicy {
        var policy = CandidatePolicy()
        policy.trainAtTokens = 5000
        policy.minimumCentroids = 64
        policy.maximumCentroids = 64
        return policy
    }

    /// (compressed passages, all passages, mean cosine of decoded vs original vectors).
    static func survey(_ index: IndexDatabase, originals: [Float]) throws -> (compressed: Int, total: Int, cosine: Double) {
        var compressed = 0, total = 0, cosine = 0.0, tokens = 0
        try index.read { reader in
            try reader.forEachStoredVectors(passages: nil) { id, stored in
                total += 1
                if stored.isCompressed { compressed += 1 }
                var out = [Float](repeating: 0, count: stored.count * 32)
                out.withUnsafeMutableBufferPointer { stored.decode(into: $0.baseAddress!) }
                let start = Int(id - 1) * 30 * 32
                guard start + out.count <= originals.count else { return }  // passages added by a test
                for t in 0..<stored.count {
                    var dot: Float = 0
                    for d in 0..<32 { dot += out[t * 32 + d] * originals[start + t * 32 + d] }
                    cosine += Double(dot)
                    tokens += 1
                }
            }
        }
        return (compressed, total, tokens > 0 ? cosine / Double(tokens) : 0)
    }

    @Test func passagesAreCompressedWhenCentroidsAreTrained() throws {
        let (url, index, points) = try Self.makeIndex(train: false)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        #expect(try index.status().vectorEncoding == "residual2")
        let before = try Self.survey(index, originals: points)
        #expect(before.compressed == 0 && before.total == 200, "before training passages are float16")
        _ = try index.maintain(policy: Self.policy)
        let after = try Self.survey(index, originals: points)
        print("after training: \(after.compressed) of \(after.total) passages compressed, mean cosine \(after.cosine)")
        #expect(after.compressed == 200)
        #expect(after.cosine > 0.95)
        #expect(try index.status().vectorBytesPerToken == 2 + 32 * 2 / 8)
        #expect(try index.integrityCheck() == ["ok"])
        // Reopened, the storage is read back from meta.
        #expect(try IndexDatabase.openExisting(at: url).vectorStorage == .residual(bits: 2))
    }

    @Test func newPassagesAreCompressedOnInsertAndRetrainingReEncodes() throws {
        let (url, index, points) = try Self.makeIndex(bits: 4)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let extra = Array(points[(5000 * 32)..<(5030 * 32)])
        try index.replaceDocument(IndexFixtures.document("new"), passages: [
            PassageInput(ordinal: 0, text: "new", byteStart: 0, byteEnd: 3, lineStart: 1, lineEnd: 1, vectors: extra)])
        let id = try #require(try index.read { try $0.maxPassageID() })
        var decoded: [Float] = []
        var compressed = false
        try index.read { reader in
            try reader.forEachStoredVectors(passages: [id]) { _, stored in
                compressed = stored.isCompressed
                decoded = [Float](repeating: 0, count: stored.count * 32)
                decoded.withUnsafeMutableBufferPointer { stored.decode(into: $0.baseAddress!) }
            }
        }
        #expect(compressed)
        let cosine = (0..<30).map { t in (0..<32).reduce(Float(0)) { $0 + decoded[t * 32 + $1] * extra[t * 32 + $1] } }
        #expect(cosine.allSatisfy { $0 > 0.95 }, "cosines \(cosine)")
        // Re-training (growth factor 1: every maintenance run re-trains) re-encodes every passage against the new
        // centroids and codec: decoding still gives the original vectors closely.
        var policy = Self.policy
        policy.growthFactor = 1
        policy.minimumCentroids = 32
        policy.maximumCentroids = 32
        guard case .trained = try index.maintain(policy: policy) else { Issue.record("no re-training"); return }
        let after = try Self.survey(index, originals: points)
        print("after re-training to 32 centroids: mean cosine \(after.cosine)")
        #expect(after.compressed == after.total && after.cosine > 0.97)
        // The compatibility read (float16 bytes) decodes the same passages.
        var blobs = 0
        try index.read { reader in try reader.forEachVectorBlob(passages: nil) { _, count, bytes in
            #expect(bytes.count == count * 32 * 2)
            blobs += 1
        } }
        #expect(blobs == 201)
    }

    @Test func aDenseIndexRefusesAnotherStorageOnceItHasPassages() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let index = try IndexDatabase.open(at: url, encoder: Self.encoder)
        #expect(index.vectorStorage == .dense(.float16))
        // No passages yet: adopts.
        _ = try IndexDatabase.open(at: url, encoder: Self.encoder, vectors: .residual(bits: 1))
        let adopted = try IndexDatabase.open(at: url, encoder: Self.encoder)
        #expect(adopted.vectorStorage == .residual(bits: 1))
        try adopted.replaceDocument(IndexFixtures.document("a"), passages: [
            PassageInput(ordinal: 0, text: "a", byteStart: 0, byteEnd: 1, lineStart: 1, lineEnd: 1,
                         vectors: IndexFixtures.unitVectors(count: 2, dimension: 32, seed: 1))])
        #expect(throws: IndexError.self) { _ = try IndexDatabase.open(at: url, encoder: Self.encoder, vectors: .dense(.float16)) }
    }

    static func expectCorruptRead(_ url: URL, mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        IndexDamagedValueTests.expectCorrupt(url, mentioning: words, sourceLocation: sourceLocation) {
            let index = try IndexDatabase.openExisting(at: url)
            try index.read { reader in try reader.forEachStoredVectors(passages: nil) { _, _ in } }
        }
    }

    @Test func truncatedResidualsOrCodesAreReported() throws {
        for (sql, words) in [
            ("UPDATE passage_residuals SET residuals = substr(residuals, 1, 10) WHERE passage = 3", ["passage 3", "residual bytes"]),
            ("UPDATE passage_codes SET codes = substr(codes, 1, 7) WHERE passage = 4", ["passage 4", "code bytes"]),
            ("DELETE FROM passage_codes WHERE passage = 5", ["passage 5", "0 code bytes"]),
            ("UPDATE passage_codes SET codes = x'ffff' || substr(codes, 3) WHERE passage = 6", ["passage 6", "past the 64 centroids"]),
            ("UPDATE passage_vectors SET count = 4611686018427387904 WHERE passage = 7", ["passage 7"]),
            ("UPDATE passage_vectors SET count = -1 WHERE passage = 8", ["passage 8"]),
        ] {
            let (url, _, _) = try Self.makeIndex()
            defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
            try IndexDamagedValueTests.damage(url, sql)
            Self.expectCorruptRead(url, mentioning: words)
        }
    }

    @Test func malformedBucketTableIsReported() throws {
        for (sql, words) in [
            ("UPDATE residual_codecs SET cutoffs = x'000000'", ["residual codec", "whole float32"]),
            ("UPDATE residual_codecs SET cutoffs = x'0000803f'", ["residual codec", "cut-points"]),
            ("UPDATE residual_codecs SET bits = 3", ["residual codec", "3 bits"]),
            ("UPDATE residual_codecs SET dimension = 16", ["residual codec", "dimension 16"]),
            ("UPDATE residual_codecs SET weights = x'0000c07f0000c07f0000c07f0000c07f'", ["residual codec", "finite"]),
            ("DELETE FROM residual_codecs", ["no centroids and residual codec"]),
            ("UPDATE residual_codecs SET bits = 'two'", ["bits"]),
        ] {
            let (url, _, _) = try Self.makeIndex()
            defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
            try IndexDamagedValueTests.damage(url, sql)
            Self.expectCorruptRead(url, mentioning: words)
        }
    }
}
