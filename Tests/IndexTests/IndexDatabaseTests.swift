import Foundation
import Index
import TestSupport
import Testing

@Suite struct IndexDatabaseTests {
    @Test func replaceAndRemoveRoundTrip() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let index = try IndexDatabase.open(at: url, encoder: IndexFixtures.encoder, chunking: ["max_tokens": "450"])
        let doc = IndexFixtures.document("notes/a.md", hash: "h1")
        try index.replaceDocument(doc, passages: IndexFixtures.passages(["alpha beta", "gamma delta"], dimension: 8))
        let stored = try #require(try index.storedDocument(path: "notes/a.md"))
        #expect(stored.contentHash == "h1" && stored.passageCount == 2 && stored.title == "Title of notes/a.md")
        #expect(stored.modified == doc.modified)

        // Replacing keeps one version: the new passages only.
        try index.replaceDocument(IndexFixtures.document("notes/a.md", hash: "h2"),
                                  passages: IndexFixtures.passages(["epsilon"], dimension: 8))
        #expect(try index.storedDocument(path: "notes/a.md")?.passageCount == 1)
        #expect(try index.storedDocument(path: "notes/a.md")?.contentHash == "h2")
        try index.replaceDocument(IndexFixtures.document("b.txt"), passages: IndexFixtures.passages(["zeta"], dimension: 8))
        #expect(try index.documentPaths() == ["b.txt", "notes/a.md"])

        let ids = try index.read { reader in try reader.lexicalMatches(terms: ["epsilon"], limit: 5).map(\.id) }
        #expect(ids.count == 1)
        let passages = try index.passages(ids: ids)
        #expect(passages.first?.text == "epsilon" && passages.first?.path == "notes/a.md")
        #expect(passages.first?.lineStart == 1 && passages.first?.lineEnd == 2)
        // Old text is gone from FTS.
        #expect(try index.read { try $0.lexicalMatches(terms: ["alpha"], limit: 5) }.isEmpty)

        #expect(try index.removeDocuments(paths: ["notes/a.md", "missing.md"]) == 1)
        #expect(try index.documentPaths() == ["b.txt"])
        #expect(try index.passages(ids: ids).isEmpty)
        let status = try index.status()
        #expect(status.documents == 1 && status.passages == 1 && status.tokens == 4)
        #expect(status.encoder == IndexFixtures.encoder && status.vectorEncoding == "float16")
        #expect(status.chunking == ["max_tokens": "450"])
    }

    @Test func vectorsRoundTripAsFloat16() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let index = try IndexDatabase.open(at: url, encoder: IndexFixtures.encoder)
        let passages = IndexFixtures.passages(["one"], dimension: 8, tokens: 5, seed: 42)
        try index.replaceDocument(IndexFixtures.document("a"), passages: passages)
        var read: [Float] = []
        var tokenIDs: [Int]?
        try index.read { reader in
            try reader.forEachVectorBlob(passages: nil) { id, count, bytes in
                read = [Float](repeating: 0, count: count * 8)
                read.withUnsafeMutableBufferPointer { reader.vectorEncoding.decode(bytes, count: count * 8, into: $0.baseAddress!) }
                tokenIDs = try reader.tokenIDs(passage: id)
            }
        }
        let difference = Difference(expected: passages[0].vectors, actual: read)
        #expect(difference.maxAbs < 1e-3, "\(difference)")
        #expect(tokenIDs == [100, 101, 102, 103, 104])
    }

    @Test func statusRecordsRunsAndSkips() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let index = try IndexDatabase.open(at: url, encoder: nil)
        try index.recordSkipped(path: "big.bin", reason: "binary file")
        try index.recordSkipped(path: "x.pdf", reason: "encrypted PDF")
        try index.clearSkipped(path: "x.pdf")
        let run = RunSummary(started: Date(timeIntervalSince1970: 10), finished: Date(timeIntervalSince1970: 20), added: 3)
        try index.recordRun(run)
        let status = try index.status()
        #expect(status.skipped == [IndexStatus.Skipped(path: "big.bin", reason: "binary file", kind: "failed")])
        #expect(status.lastRun == run)
        #expect(status.encoder == nil && status.candidates.scheme == "exhaustive")
        let json = String(decoding: try JSONEncoder().encode(status), as: UTF8.self)
        #expect(json.contains("\"schema_version\":6") && json.contains("\"last_run\""))
    }

    @Test func lexicalOnlyIndexRejectsVectors() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let index = try IndexDatabase.open(at: url, encoder: nil)
        #expect(throws: IndexError.self) {
            try index.replaceDocument(IndexFixtures.document("a"), passages: IndexFixtures.passages(["x"], dimension: 8))
        }
        try index.replaceDocument(IndexFixtures.document("a"), passages: IndexFixtures.passages(["x"], dimension: nil))
        #expect(try index.status().passages == 1)
    }

    @Test func badPassagesAreRefusedWithTheirOrdinal() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let index = try IndexDatabase.open(at: url, encoder: IndexFixtures.encoder)
        var passage = IndexFixtures.passages(["x"], dimension: 8)[0]
        passage.vectors.removeLast()
        do {
            try index.replaceDocument(IndexFixtures.document("a.md"), passages: [passage])
            Issue.record("a ragged vector array was accepted")
        } catch let error as IndexError {
            #expect(error.description.contains("passage 0 of a.md"))
        }
        #expect(try index.documentPaths().isEmpty)
    }
}
