import Foundation
import Index
import TestSupport
import Testing

@Suite struct IndexFileErrorTests {
    @Test func encoderMismatchIsRefusedWithBothNames() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let index = try IndexDatabase.open(at: url, encoder: IndexFixtures.encoder)
        try index.replaceDocument(IndexFixtures.document("a"), passages: IndexFixtures.passages(["x"], dimension: 8))
        let other = EncoderIdentity(name: "other-model", fingerprint: "ffff", dimension: 8)
        do {
            _ = try IndexDatabase.open(at: url, encoder: other)
            Issue.record("another encoder was accepted")
        } catch let error as IndexError {
            let message = error.description
            #expect(message.contains("test-encoder") && message.contains("other-model") && message.contains(url.path))
            #expect(message.contains("--model") && message.contains("--index"))
        }
        #expect(throws: IndexError.self) { try IndexDatabase.open(at: url, encoder: nil) }
        #expect(throws: IndexError.self) { try IndexDatabase.openExisting(at: url).checkCompatible(with: other) }
        // The same encoder reopens fine.
        #expect(try IndexDatabase.open(at: url, encoder: IndexFixtures.encoder).encoder == IndexFixtures.encoder)
    }

    @Test func emptyIndexAdoptsANewEncoder() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        _ = try IndexDatabase.open(at: url, encoder: nil)
        let reopened = try IndexDatabase.open(at: url, encoder: IndexFixtures.encoder)
        #expect(reopened.encoder == IndexFixtures.encoder)
    }

    @Test func missingFileIsNotCreatedByOpenExisting() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("none.sqlite")
        #expect(throws: IndexError.missing(path: url.path)) { try IndexDatabase.openExisting(at: url) }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test func textFileIsNotAnIndex() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("notes.txt")
        try Data("Just some notes, not a database.\n".utf8).write(to: url)
        for open in [{ try IndexDatabase.openExisting(at: url) }, { try IndexDatabase.open(at: url, encoder: nil) }] {
            do {
                _ = try open()
                Issue.record("a text file was accepted as an index")
            } catch let error as IndexError {
                #expect(error.description.contains("is not a Ferret index") && error.description.contains(url.path))
                #expect(error.description.contains("Just some notes"))
            }
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "Just some notes, not a database.\n")
    }

    @Test func foreignSQLiteDatabaseIsRefused() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        // An SQLite file with one table `notes` (written by Python's sqlite3).
        try FileManager.default.copyItem(at: Fixtures.url("foreign.sqlite"), to: url)
        let before = try Data(contentsOf: url)
        for open in [{ try IndexDatabase.openExisting(at: url) }, { try IndexDatabase.open(at: url, encoder: nil) }] {
            do {
                _ = try open()
                Issue.record("a foreign database was accepted")
            } catch let error as IndexError {
                #expect(error.description.contains("is an SQLite database but not a Ferret index"))
                #expect(error.description.contains("notes"))
            }
        }
        #expect(try Data(contentsOf: url) == before, "the foreign file was modified")
    }

    @Test func truncatedIndexIsReportedAsDamaged() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        do {
            let index = try IndexDatabase.open(at: url, encoder: IndexFixtures.encoder)
            for i in 0..<20 {
                try index.replaceDocument(IndexFixtures.document("doc\(i)"),
                                          passages: IndexFixtures.passages(["text \(i)"], dimension: 8, tokens: 200))
            }
            try index.checkpoint()
        }
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        try? FileManager.default.removeItem(atPath: url.path + "-wal")
        try? FileManager.default.removeItem(atPath: url.path + "-shm")
        do {
            let index = try IndexDatabase.openExisting(at: url)
            _ = try index.status()
            Issue.record("a truncated index was accepted")
        } catch let error as IndexError {
            #expect(error.description.contains("damaged") && error.description.contains("truncated"))
        }
    }
}
