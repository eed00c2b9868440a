import Foundation
@testable import Index
import TestSupport
import Testing

/// Indexes whose numbers were damaged after they were written (meta values, counts, centroid rows, ids): every read
/// that would size a buffer or multiply them reports `IndexError.corrupt` naming the file instead of trapping.
@Suite struct IndexDamagedValueTests {
    /// A small index with vectors (3 passages × 4 tokens × 8 dimensions) in a fresh folder.
    static func makeIndex() throws -> URL {
        let url = try IndexFixtures.temporaryIndexURL()
        let index = try IndexDatabase.open(at: url, encoder: IndexFixtures.encoder)
        try index.replaceDocument(IndexFixtures.document("a"), passages: IndexFixtures.passages(["x", "y", "z"], dimension: 8))
        return url
    }

    /// Runs `sql` on the index file, as a damaged copy would have it.
    static func damage(_ url: URL, _ sql: String) throws {
        let index = try IndexDatabase.openExisting(at: url)
        try index.pool.write { try $0.execute(sql: sql) }
    }

    static func expectCorrupt(_ url: URL, mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation,
                              _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("the damaged index was accepted", sourceLocation: sourceLocation)
        } catch let error as IndexError {
            guard case .corrupt(let path, _) = error else {
                Issue.record("expected IndexError.corrupt, got \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(path == url.path, sourceLocation: sourceLocation)
            for word in words + ["damaged", "re-index"] {
                #expect(error.description.contains(word), "\(error) should mention \(word)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("not an IndexError: \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func metaDimensionOutOfRange() throws {
        // 2^62 used to be accepted, and `dimension × bytes per value` then trapped in `status`.
        for value in ["4611686018427387904", "1048577", "0", "-8", "eight"] {
            let url = try Self.makeIndex()
            defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
            try Self.damage(url, "UPDATE meta SET value = '\(value)' WHERE key = 'vector.dimension'")
            Self.expectCorrupt(url, mentioning: ["dimension", "1048576"]) {
                _ = try IndexDatabase.openExisting(at: url).status()
            }
        }
    }

    @Test func vectorCountThatOverflows() throws {
        let url = try Self.makeIndex()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        // count × 8 dimensions × 2 bytes wraps around for 2^62 tokens: it trapped while checking the BLOB's size.
        try Self.damage(url, "UPDATE passage_vectors SET count = 4611686018427387904 WHERE passage = 2")
        let index = try IndexDatabase.openExisting(at: url)
        Self.expectCorrupt(url, mentioning: ["passage 2", "4611686018427387904 tokens"]) {
            try index.read { reader in try reader.forEachVectorBlob(passages: nil) { _, _, _ in } }
        }
        // Training samples vectors by their counts: it reserved count × dimension floats before any BLOB was read.
        var policy = CandidatePolicy()
        policy.trainAtTokens = 1
        Self.expectCorrupt(url, mentioning: ["passage 2"]) { _ = try index.maintain(policy: policy) }
    }

    /// An index whose 12 tokens trained 4 centroids.
    static func makeTrainedIndex() throws -> URL {
        let url = try makeIndex()
        var policy = CandidatePolicy()
        policy.trainAtTokens = 1
        policy.minimumCentroids = 4
        policy.maximumCentroids = 4
        guard case .trained = try IndexDatabase.openExisting(at: url).maintain(policy: policy) else {
            throw IndexError.database(path: url.path, detail: "the test index did not train centroids")
        }
        return url
    }

    @Test func centroidRowsOfTheWrongType() throws {
        // Decoding 'many' as an Int used to be a fatal error in GRDB's subscript.
        for column in ["count", "dimension", "trained_on_tokens"] {
            let url = try Self.makeTrainedIndex()
            defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
            try Self.damage(url, "UPDATE centroids SET \(column) = 'many'")
            Self.expectCorrupt(url, mentioning: []) { _ = try IndexDatabase.openExisting(at: url).status() }
        }
    }

    @Test func trainedOnTokensThatOverflowsTheGrowthRule() throws {
        let url = try Self.makeTrainedIndex()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        // trained_on_tokens × growth factor (4) trapped for 2^62.
        try Self.damage(url, "UPDATE centroids SET trained_on_tokens = 4611686018427387904")
        #expect(try IndexDatabase.openExisting(at: url).maintain() == .upToDate)
        try Self.damage(url, "UPDATE centroids SET trained_on_tokens = -5")
        Self.expectCorrupt(url, mentioning: ["trained on -5 tokens"]) { _ = try IndexDatabase.openExisting(at: url).maintain() }
    }

    @Test func passageIdBeyondThe32BitRange() throws {
        let url = try Self.makeIndex()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        // Search sizes per-passage tables with the largest id: this one would have been 2^62 entries.
        try Self.damage(url, """
            INSERT INTO passages(id, document, ordinal, byte_start, byte_end, line_start, line_end, token_count, text)
            VALUES (4611686018427387904, 1, 99, 0, 1, 1, 1, 0, 'x')
            """)
        let index = try IndexDatabase.openExisting(at: url)
        Self.expectCorrupt(url, mentioning: ["passage id 4611686018427387904"]) {
            _ = try index.read { try $0.maxPassageID() }
        }
    }
}
