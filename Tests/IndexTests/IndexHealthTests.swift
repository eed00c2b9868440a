import Foundation
import GRDB
@testable import Index
import TestSupport
import Testing

/// Damage and interrupted creation: what `status`, `index` and `check` rely on.
@Suite struct IndexHealthTests {
    @Test func aSoundIndexPassesBothChecks() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let index = try IndexDatabase.open(at: url, encoder: IndexFixtures.encoder)
        try index.replaceDocument(IndexFixtures.document("a"), passages: IndexFixtures.passages(["x y", "z"], dimension: 8))
        #expect(try index.quickCheck() == ["ok"])
        #expect(try index.integrityCheck() == ["ok"])
    }

    /// 64-byte overwrites at the start of random pages (page headers, cell pointers, overflow and freelist links: the
    /// structure a failing disk or a stray write breaks) are found by the quick check or refuse to open; the checks
    /// never crash. (Bytes inside a record's text or vector are beyond SQLite's checks: see docs/INDEX.md.)
    @Test func overwrittenPagesAreDetected() throws {
        for seed in UInt64(1)...6 {
            let url = try IndexFixtures.temporaryIndexURL()
            defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
            do {
                let index = try IndexDatabase.open(at: url, encoder: IndexFixtures.encoder)
                for i in 0..<40 {
                    try index.replaceDocument(IndexFixtures.document("doc\(i)"),
                                              passages: IndexFixtures.passages(["text number \(i) about rivers"], dimension: 8, tokens: 50))
                }
                try index.checkpoint()
            }
            let before = try Self.contents(url)
            var bytes = [UInt8](try Data(contentsOf: url))
            var state = seed &* 0x9E37_79B9_7F4A_7C15
            func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
            let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
            let pages = bytes.count / pageSize
            for _ in 0..<40 {
                // Never page 1, so the file is still recognisably SQLite.
                let at = (1 + Int(next() % UInt64(pages - 1))) * pageSize
                for k in 0..<64 { bytes[at + k] = UInt8(truncatingIfNeeded: next()) }
            }
            try Data(bytes).write(to: url)
            let verdict: [String]
            do {
                verdict = try IndexDatabase.openExisting(at: url).quickCheck()
            } catch {
                verdict = ["refused: \(error)"]
            }
            let unchanged = verdict == ["ok"] ? try Self.contents(url) == before : true
            #expect(verdict != ["ok"] || unchanged, "seed \(seed): damage went unnoticed")
        }
    }

    /// Everything the index answers with: documents and the text of every passage.
    static func contents(_ url: URL) throws -> [String] {
        let index = try IndexDatabase.openExisting(at: url)
        return try index.pool.read { db in
            try String.fetchAll(db, sql: "SELECT path || ':' || content_hash FROM documents ORDER BY id")
                + String.fetchAll(db, sql: "SELECT text || hex(vectors) FROM passages JOIN passage_vectors ON passage = id ORDER BY id")
        }
    }

    /// A first `ferret index` killed between creating the tables and writing the meta rows leaves our tables and an
    /// empty meta table: the file is recognised as ours and finished, not refused as "not a Ferret index".
    @Test func aHalfCreatedIndexIsFinishedNotRefused() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        do {
            let index = try IndexDatabase.open(at: url, encoder: nil)
            try index.pool.write { try $0.execute(sql: "DELETE FROM meta") }
        }
        do {
            _ = try IndexDatabase.openExisting(at: url)
            Issue.record("a half-created index opened for reading as if complete")
        } catch let error as IndexError {
            #expect(error.description.contains("interrupted") && error.description.contains("ferret index"), "\(error)")
        }
        let finished = try IndexDatabase.open(at: url, encoder: IndexFixtures.encoder)
        #expect(finished.encoder == IndexFixtures.encoder)
        #expect(try IndexDatabase.openExisting(at: url).quickCheck() == ["ok"])
    }

    @Test func locationsHeadingsAndExtractorsAreStored() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let index = try IndexDatabase.open(at: url, encoder: nil)
        var document = IndexFixtures.document("/docs/manual.pdf")
        document.extractor = "pdf/1"
        var passages = IndexFixtures.passages(["On page three.", "Slide text"], dimension: nil)
        passages[0].page = 3
        passages[0].location = "page=3"
        passages[0].headingPath = ["Manual", "Setup — \"quoted\""]
        try index.replaceDocument(document, passages: passages)
        #expect(try index.storedDocument(path: "/docs/manual.pdf")?.extractor == "pdf/1")
        let stored = try index.passages(ids: [1, 2])
        #expect(stored[0].location == "page=3" && stored[0].page == 3 && stored[0].headingPath == ["Manual", "Setup — \"quoted\""])
        #expect(stored[1].location == nil && stored[1].headingPath.isEmpty)
        #expect(!stored[0].citesLines && !stored[1].citesLines)   // a PDF is cited by page, never by line
        #expect(CitationForm.label(path: "/docs/manual.pdf", lineStart: 4, lineEnd: 9, location: "page=3") == "/docs/manual.pdf#page=3")
        #expect(CitationForm.label(path: "/n/a.md", lineStart: 4, lineEnd: 9, location: nil) == "/n/a.md:4-9")
        #expect(CitationForm.label(path: "/n/r.docx", lineStart: 4, lineEnd: 9, location: nil) == "/n/r.docx")
    }

    @Test func skipsAreReplacedPerRootAndForgottenWhenGone() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let index = try IndexDatabase.open(at: url, encoder: nil)
        try index.recordSkipped(path: "/a/old.bin", reason: "binary", kind: "binary")
        try index.recordSkipped(path: "/b/other.bin", reason: "binary", kind: "binary")
        try index.recordSkipped(path: "/c/gone.bin", reason: "binary", kind: "binary")
        try index.replaceSkipped(under: ["/a"], with: [.init(path: "/a/new.png", reason: "unsupported", kind: "unsupportedType")],
                                 exists: { $0 != "/c/gone.bin" })
        #expect(try index.status().skipped.map(\.path) == ["/a/new.png", "/b/other.bin"])
        try index.clearSkipped(under: "/b")
        #expect(try index.status().skipped.map(\.path) == ["/a/new.png"])
    }
}
