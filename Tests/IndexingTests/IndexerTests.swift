import ColBERT
import Foundation
import Index
import Indexing
import Testing
import TestSupport

/// The write path end to end on a temporary folder with the tiny ColBERT fixture: add, skip unchanged, update,
/// remove, ignore, fail on a binary file — and the index stays consistent throughout.
@Suite struct IndexerTests {
    static let encoder = try! ColBERTEncoder.load(directory: Fixtures.url("colbert-causal-tiny"))

    struct Workspace {
        let folder: URL
        let database: IndexDatabase

        init(encoder: ColBERTEncoder?) throws {
            folder = try Fixtures.temporaryDirectory()
            let identity = encoder.map { EncoderIdentity(name: $0.name, fingerprint: $0.fingerprint, dimension: $0.dimension) }
            database = try IndexDatabase.open(at: folder.appendingPathComponent("index/ferret.sqlite"), encoder: identity)
        }

        func write(_ name: String, _ text: String) throws {
            let url = folder.appendingPathComponent("docs/" + name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        var docs: URL { folder.appendingPathComponent("docs") }
        func path(_ name: String) -> String { docs.appendingPathComponent(name).standardizedFileURL.resolvingSymlinksInPath().path }
    }

    @Test func addSkipUpdateRemoveRoundTrip() throws {
        let space = try Workspace(encoder: Self.encoder)
        defer { try? FileManager.default.removeItem(at: space.folder) }
        try space.write("water.md", "# Water\n\nWater evaporates from the sea. It condenses into clouds.\n\nRain falls on the hills.\n")
        try space.write("print.txt", "Gutenberg printed books with movable type around 1450.\nThe press spread across Europe.\n")
        try space.write("sub/velo.md", "Le vélo a des vitesses. Le dérailleur change la chaîne de pignon.\n")
        let indexer = Indexer(database: space.database, encoder: Self.encoder)

        var summary = try indexer.run(roots: [space.docs])
        #expect(summary.added == 3 && summary.failed.isEmpty, "\(summary)")
        #expect(summary.passages >= 3 && summary.tokens > 0)
        #expect(try space.database.documentPaths().sorted() == [space.path("print.txt"), space.path("sub/velo.md"), space.path("water.md")])

        summary = try indexer.run(roots: [space.docs])
        #expect(summary.unchanged == 3 && summary.added == 0 && summary.updated == 0)

        // A real change is re-encoded; the old passages are gone.
        Thread.sleep(forTimeInterval: 0.01)
        try space.write("print.txt", "Bi Sheng made movable type from clay in China, long before Gutenberg.\n")
        summary = try indexer.run(roots: [space.docs])
        #expect(summary.updated == 1 && summary.unchanged == 2, "\(summary)")
        let stored = try #require(try space.database.storedDocument(path: space.path("print.txt")))
        let passages = try space.database.passages(ids: try passageIDs(space.database, path: space.path("print.txt")))
        #expect(stored.passageCount == passages.count && passages.allSatisfy { $0.text.contains("Bi Sheng") })

        // Deleted and newly ignored files are removed.
        try FileManager.default.removeItem(at: space.docs.appendingPathComponent("water.md"))
        try space.write(".ferretignore", "sub/\n")
        summary = try indexer.run(roots: [space.docs])
        #expect(summary.removed == 2, "\(summary)")
        #expect(try space.database.documentPaths() == [space.path("print.txt")])
        #expect(try space.database.integrityCheck() == ["ok"])
    }

    @Test func binaryFilesAreSkippedWithAReasonAndLoseNothing() throws {
        let space = try Workspace(encoder: nil)
        defer { try? FileManager.default.removeItem(at: space.folder) }
        try space.write("good.txt", "A perfectly ordinary note about tea.\n")
        try space.write("blob.txt", "")
        try Data([0x00, 0x01, 0x02, 0xFF, 0x00] + [UInt8](repeating: 7, count: 100))
            .write(to: space.docs.appendingPathComponent("blob.txt"))
        let summary = try Indexer(database: space.database, encoder: nil).run(roots: [space.docs])
        #expect(summary.added == 1 && summary.lexicalOnly && summary.failed.isEmpty)
        let skip = try #require(summary.skipped.first)
        #expect(skip.path.hasSuffix("blob.txt") && skip.reason.contains("binary") && skip.kind == "binary", "\(skip)")
        let stored = try #require(try space.database.status().skipped.first { $0.path.hasSuffix("blob.txt") })
        #expect(stored.kind == "binary" && !stored.isFailure)
    }

    @Test func anotherEncoderIsRefused() throws {
        let space = try Workspace(encoder: Self.encoder)
        defer { try? FileManager.default.removeItem(at: space.folder) }
        try space.write("a.txt", "Some text to index.\n")
        _ = try Indexer(database: space.database, encoder: Self.encoder).run(roots: [space.docs])
        let other = try ColBERTEncoder.load(directory: Fixtures.url("colbert-bidir-tiny"))
        do {
            _ = try IndexDatabase.open(at: space.database.url, encoder: EncoderIdentity(name: other.name, fingerprint: other.fingerprint,
                                                                                       dimension: other.dimension))
            Issue.record("opened an index with another encoder")
        } catch {
            let message = String(describing: error)
            #expect(message.contains(Self.encoder.name) && message.contains(other.name), "\(message)")
        }
    }

    /// Files share encoder passes (packed) without changing what is stored: one pass per file and one pass for the
    /// whole folder give the same passages, token ids and vectors.
    @Test func sharedEncoderPassesStoreTheSameVectors() throws {
        var stores: [[String: (ids: [Int]?, vectors: [Float])]] = []
        for batchTokens in [1, 1 << 20] {
            let space = try Workspace(encoder: Self.encoder)
            defer { try? FileManager.default.removeItem(at: space.folder) }
            try space.write("a.txt", "Tea grows on hills.\n")
            try space.write("b.md", "# Kettles\n\nAn electric kettle switches off when the water boils.\n")
            try space.write("c.txt", String(repeating: "Rivers carry water to the sea, and the sun lifts it again. ", count: 40))
            try space.write("d.txt", "短い文。水は海へ流れる。\n")
            var indexer = Indexer(database: space.database, encoder: Self.encoder)
            indexer.batchTokens = batchTokens
            let summary = try indexer.run(roots: [space.docs])
            #expect(summary.added == 4 && summary.failed.isEmpty, "\(summary)")
            var stored: [String: (ids: [Int]?, vectors: [Float])] = [:]
            try space.database.read { reader in
                let passages = try reader.passages(ids: try reader.passageTokenCounts(documents: reader.documents().map(\.id)).map(\.id))
                #expect(passages.count > 4, "the long file should make several passages")
                var byID: [Int64: String] = [:]
                for passage in passages {
                    let key = URL(fileURLWithPath: passage.path).lastPathComponent + "#\(passage.ordinal)"
                    byID[passage.id] = key
                    stored[key] = (try reader.tokenIDs(passage: passage.id), [])
                }
                try reader.forEachVectorBlob(passages: nil) { id, count, bytes in
                    let key = try #require(byID[id])
                    stored[key]!.vectors = reader.vectorEncoding.decode(Data(bytes))
                    #expect(stored[key]!.vectors.count == count * Self.encoder.dimension)
                }
            }
            stores.append(stored)
        }
        let (alone, packed) = (stores[0], stores[1])
        #expect(alone.keys.sorted() == packed.keys.sorted())
        for (key, one) in alone {
            let other = try #require(packed[key])
            #expect(one.ids == other.ids, "\(key): token ids differ")
            let drift = zip(one.vectors, other.vectors).map { abs($0 - $1) }.max() ?? 0
            #expect(one.vectors.count == other.vectors.count && drift <= 1e-3, "\(key): vectors differ by \(drift)")
        }
    }

    func passageIDs(_ database: IndexDatabase, path: String) throws -> [Int64] {
        try database.read { reader in
            let documents = try reader.documents().filter { $0.path == path }.map(\.id)
            return try reader.passageTokenCounts(documents: documents).map(\.id)
        }
    }
}
