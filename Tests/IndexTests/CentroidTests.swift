import Foundation
@testable import Index
import TestSupport
import Testing

@Suite struct CentroidTests {
    /// Points around `clusters` random unit centres, deterministic.
    static func clusteredPoints(count: Int, clusters: Int, dimension: Int, seed: UInt64) -> [Float] {
        let centres = IndexFixtures.unitVectors(count: clusters, dimension: dimension, seed: seed)
        let noise = IndexFixtures.unitVectors(count: count, dimension: dimension, seed: seed &+ 1)
        var points = [Float](repeating: 0, count: count * dimension)
        for p in 0..<count {
            let c = p % clusters
            var norm: Float = 0
            for d in 0..<dimension {
                let v = centres[c * dimension + d] + 0.3 * noise[p * dimension + d]
                points[p * dimension + d] = v
                norm += v * v
            }
            for d in 0..<dimension { points[p * dimension + d] /= norm.squareRoot() }
        }
        return points
    }

    /// Training runs on a read snapshot: a second writer gets through while it runs (before, training held the write
    /// lock for minutes and the other writer failed after its 10 s busy timeout), and what it wrote is coded too.
    @Test func anotherWriterGetsThroughWhileCentroidsTrain() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let encoder = EncoderIdentity(name: "t", fingerprint: "f", dimension: 16)
        let index = try IndexDatabase.open(at: url, encoder: encoder)
        let points = Self.clusteredPoints(count: 6100, clusters: 300, dimension: 16, seed: 5)
        for doc in 0..<60 {
            try index.replaceDocument(IndexFixtures.document("d\(doc)"), passages: [
                PassageInput(ordinal: 0, text: "passage \(doc)", byteStart: 0, byteEnd: 9, lineStart: 1, lineEnd: 1,
                             vectors: Array(points[(doc * 1600)..<((doc + 1) * 1600)]))])
        }
        var policy = CandidatePolicy()
        policy.trainAtTokens = 5000
        policy.minimumCentroids = 64
        policy.maximumCentroids = 64
        let other = try IndexDatabase.open(at: url, encoder: encoder)
        let wrote = Locked(false)
        let report = try index.maintain(policy: policy) { message in
            guard message.hasPrefix("training"), !wrote.withLock({ $0 }) else { return }
            let started = Date()
            try? other.replaceDocument(IndexFixtures.document("late"), passages: [
                PassageInput(ordinal: 0, text: "late", byteStart: 0, byteEnd: 4, lineStart: 1, lineEnd: 1,
                             vectors: Array(points[(6000 * 16)..<(6100 * 16)]))])
            wrote.withLock { $0 = Date().timeIntervalSince(started) < 5 }
        }
        guard case .trained = report else { Issue.record("no training: \(report)"); return }
        #expect(wrote.withLock { $0 }, "the second writer was blocked by training")
        let late = try #require(try index.storedDocument(path: "late"))
        let passage = try #require(try index.read { try $0.passageTokenCounts(documents: [late.id]) }.first)
        var coded = 0
        try index.read { reader in try reader.forEachCodes(passages: [passage.id]) { _, codes in coded = codes.count / 2 } }
        #expect(coded == 100, "the passage written during training has \(coded) codes")
        #expect(try index.integrityCheck() == ["ok"])
    }

    @Test func maintenanceTrainsTwoLevelCentroidsWhoseCodesAreNearest() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let encoder = EncoderIdentity(name: "t", fingerprint: "f", dimension: 16)
        let index = try IndexDatabase.open(at: url, encoder: encoder)
        let points = Self.clusteredPoints(count: 6000, clusters: 300, dimension: 16, seed: 11)
        for doc in 0..<60 {
            let vectors = Array(points[(doc * 100 * 16)..<((doc + 1) * 100 * 16)])
            try index.replaceDocument(IndexFixtures.document("d\(doc)"), passages: [
                PassageInput(ordinal: 0, text: "passage \(doc)", byteStart: 0, byteEnd: 9, lineStart: 1, lineEnd: 1,
                             vectors: vectors)])
        }
        #expect(try index.maintain() == .upToDate, "6,000 tokens are below the default threshold")
        var policy = CandidatePolicy()
        policy.trainAtTokens = 5000
        policy.minimumCentroids = 256
        policy.maximumCentroids = 256
        guard case .trained(let count, let tokens, _) = try index.maintain(policy: policy) else {
            Issue.record("no training")
            return
        }
        #expect(tokens == 6000 && count == 256)
        let centroids = try #require(try index.read { try $0.centroids() })
        #expect(centroids.coarse?.count == 16 && centroids.coarse?.cellStarts.last == 256)

        // Two-level codes agree with the exhaustive nearest centroid for almost every token.
        let flat = CentroidSet(generation: 0, count: centroids.count, dimension: 16, vectors: centroids.vectors, trainedOnTokens: 0)
        var twoLevel = [UInt32](repeating: 0, count: 6000), exact = twoLevel
        points.withUnsafeBufferPointer { p in
            twoLevel.withUnsafeMutableBufferPointer { centroids.assign(p.baseAddress!, rowCount: 6000, into: $0.baseAddress!) }
            exact.withUnsafeMutableBufferPointer { flat.assign(p.baseAddress!, rowCount: 6000, into: $0.baseAddress!) }
        }
        let agreement = Double(zip(twoLevel, exact).filter { $0 == $1 }.count) / 6000
        print("two-level assignment agrees with exhaustive nearest centroid on \(agreement) of tokens")
        #expect(agreement > 0.95)

        // Every passage is listed under the centroid of each of its tokens, and removal takes it out.
        let firstPassageCodes = Set(twoLevel.prefix(100).map(Int.init))
        let lists = try index.read { try $0.postings(centroids: Array(firstPassageCodes)) }
        #expect(firstPassageCodes.allSatisfy { lists[$0]?.contains(1) == true })
        try index.removeDocuments(paths: ["d0"])
        let after = try index.read { try $0.postings(centroids: Array(firstPassageCodes)) }
        #expect(after.values.allSatisfy { !$0.contains(1) })
        #expect(try index.status().candidates.tombstones == 1)
    }

    @Test func argmaxAndLargestBreakTiesTowardsTheFirst() {
        let values: [Float] = [0.1, 0.9, 0.3, 0.9] + [Float](repeating: 0, count: 30) + [0.5]
        values.withUnsafeBufferPointer { v in
            #expect(CentroidSet.largest(v.baseAddress!, count: v.count, n: 3) == [1, 3, 34])
        }
    }

    @Test func centroidCountFollowsPLAIDsRule() {
        let policy = CandidatePolicy()
        #expect(policy.centroidCount(tokens: 262_144) == 8192)
        #expect(policy.centroidCount(tokens: 4_000_000) == 16384)
        #expect(policy.centroidCount(tokens: 20_000_000) == 65536)
        #expect(policy.coarseCount(centroids: 65536) == 256)
    }
}
