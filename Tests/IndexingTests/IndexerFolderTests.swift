import Foundation
import Index
import Indexing
import Ingest
import Testing
import TestSupport

/// What real folders do to the write path: links to roots, files that vanish, a newer extractor, watch-mode runs
/// limited to the changed paths, and the index's own files inside the indexed folder.
@Suite struct IndexerFolderTests {
    struct Space {
        let folder: URL
        let database: IndexDatabase
        init() throws {
            folder = try Fixtures.temporaryDirectory().resolvingSymlinksInPath()
            database = try IndexDatabase.open(at: folder.appendingPathComponent("index.sqlite"), encoder: nil)
        }
        func write(_ relative: String, _ text: String) throws {
            let url = folder.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        func url(_ relative: String) -> URL { folder.appendingPathComponent(relative) }
    }

    @Test func filesDeletedUnderALinkedRootAreRemoved() throws {
        let space = try Space()
        defer { try? FileManager.default.removeItem(at: space.folder) }
        try space.write("real/a.txt", "Alpha note.\n")
        try space.write("real/b.txt", "Beta note.\n")
        try FileManager.default.createSymbolicLink(atPath: space.url("link").path, withDestinationPath: "real")
        let indexer = Indexer(database: space.database, encoder: nil)
        #expect(try indexer.run(roots: [space.url("link")]).added == 2)
        try FileManager.default.removeItem(at: space.url("real/b.txt"))
        let summary = try indexer.run(roots: [space.url("link")])
        #expect(summary.removed == 1 && summary.removedPaths.first?.hasSuffix("b.txt") == true, "\(summary)")
        #expect(try space.database.documentPaths() == [space.url("link/a.txt").path])
    }

    @Test func aNewExtractorVersionReExtractsUnchangedFiles() throws {
        let space = try Space()
        defer { try? FileManager.default.removeItem(at: space.folder) }
        try space.write("docs/a.rtf", "first version of the text\n")
        var indexer = Indexer(database: space.database, encoder: nil)
        indexer.options.extractorCommands["rtf"] = "cat {path}"
        #expect(try indexer.run(roots: [space.url("docs")]).added == 1)
        #expect(try indexer.run(roots: [space.url("docs")]).unchanged == 1)
        let stored = try #require(try space.database.storedDocument(path: space.url("docs/a.rtf").path))
        #expect(stored.extractor == "command:cat {path}")
        // Same bytes, same time, another extractor: extracted again.
        indexer.options.extractorCommands["rtf"] = "sed s/first/second/ {path}"
        let rerun = try indexer.run(roots: [space.url("docs")])
        #expect(rerun.updated == 1, "\(rerun)")
        let passage = try space.database.passages(ids: [1, 2, 3, 4]).last
        #expect(passage?.text.contains("second version") == true)
    }

    @Test func skipsAreNotFailuresAndGoneFilesAreForgotten() throws {
        let space = try Space()
        defer { try? FileManager.default.removeItem(at: space.folder) }
        try space.write("docs/ok.md", "# Fine\n\nA note.\n")
        try space.write("docs/photo.png", "not really a png")
        try FileManager.default.createSymbolicLink(atPath: space.url("docs/dangling.md").path, withDestinationPath: "gone.md")
        try FileManager.default.createSymbolicLink(atPath: space.url("docs/loop").path, withDestinationPath: ".")
        let indexer = Indexer(database: space.database, encoder: nil)
        let first = try indexer.run(roots: [space.url("docs")])
        #expect(first.failed.isEmpty, "\(first.failed)")
        #expect(Set(first.skipped.map(\.kind)) == ["unsupportedType", "brokenSymlink", "symlinkLoop"], "\(first.skipped)")
        #expect(try space.database.status().skipped.count == 3)
        // The files go away: their skips are forgotten, not listed forever.
        try FileManager.default.removeItem(at: space.url("docs/photo.png"))
        try FileManager.default.removeItem(at: space.url("docs/dangling.md"))
        _ = try indexer.run(roots: [space.url("docs")])
        #expect(try space.database.status().skipped.map(\.kind) == ["symlinkLoop"])
    }

    @Test func aFileThatVanishesDuringTheRunIsNotAFailure() throws {
        let space = try Space()
        defer { try? FileManager.default.removeItem(at: space.folder) }
        for name in ["a", "b", "c"] { try space.write("docs/\(name).txt", "Note \(name).\n") }
        let indexer = Indexer(database: space.database, encoder: nil)
        #expect(try indexer.run(roots: [space.url("docs")]).added == 3)
        Thread.sleep(forTimeInterval: 0.01)
        for name in ["a", "b"] { try space.write("docs/\(name).txt", "Note \(name), changed.\n") }
        // b.txt is listed by the walk, then deleted before it is read.
        let summary = try indexer.run(roots: [space.url("docs")], progress: { progress in
            if progress.path == "a.txt" { try? FileManager.default.removeItem(at: space.url("docs/b.txt")) }
        })
        #expect(summary.failed.isEmpty && summary.skipped.map(\.kind) == ["missing"], "\(summary)")
        #expect(summary.removedPaths == [space.url("docs/b.txt").path], "\(summary)")
        #expect(try space.database.documentPaths().count == 2)
    }

    @Test func theIndexNeverIndexesItself() throws {
        let space = try Space()
        defer { try? FileManager.default.removeItem(at: space.folder) }
        try space.write("note.txt", "The index lives in the same folder.\n")
        var indexer = Indexer(database: space.database, encoder: nil)
        let index = space.url("index.sqlite").path
        indexer.options.excludedPaths = [index, index + "-wal", index + "-shm"]
        let summary = try indexer.run(roots: [space.folder])
        #expect(summary.added == 1 && summary.failed.isEmpty && summary.skipped.isEmpty, "\(summary)")
    }

    @Test func aScopedRunTouchesOnlyTheChangedPaths() throws {
        let space = try Space()
        defer { try? FileManager.default.removeItem(at: space.folder) }
        try space.write("docs/a.txt", "Alpha.\n")
        try space.write("docs/b.txt", "Beta.\n")
        try space.write("docs/.ferretignore", "secret.txt\n")
        let indexer = Indexer(database: space.database, encoder: nil)
        _ = try indexer.run(roots: [space.url("docs")])
        Thread.sleep(forTimeInterval: 0.01)
        try space.write("docs/a.txt", "Alpha, edited.\n")
        try space.write("docs/b.txt", "Beta, edited but not in scope.\n")
        try space.write("docs/secret.txt", "Ignored even when it changes.\n")
        try space.write("docs/new/c.txt", "Gamma.\n")
        let scope: Set<String> = [space.url("docs/a.txt").path, space.url("docs/secret.txt").path, space.url("docs/new").path]
        var outcomes: [String: String] = [:]
        let summary = try indexer.run(roots: [space.url("docs")], scope: scope, progress: { outcomes[$0.relativeName] = $0.outcome })
        #expect(outcomes == ["a.txt": "updated", "new/c.txt": "added"], "\(outcomes)")
        #expect(summary.removed == 0)
        // A deleted file in scope is removed; one out of scope is not looked at.
        try FileManager.default.removeItem(at: space.url("docs/a.txt"))
        try FileManager.default.removeItem(at: space.url("docs/b.txt"))
        let removal = try indexer.run(roots: [space.url("docs")], scope: [space.url("docs/a.txt").path])
        #expect(removal.removedPaths == [space.url("docs/a.txt").path], "\(removal)")
        #expect(try space.database.documentPaths().contains(space.url("docs/b.txt").path))
    }
}

private extension IndexProgress {
    var relativeName: String { path }
}
