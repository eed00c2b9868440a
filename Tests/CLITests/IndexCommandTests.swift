import Foundation
import Index
import Testing
import TestSupport

/// `ferret index` as a user runs it: the summary, incremental re-runs, and a run killed with SIGKILL mid-way.
@Suite struct IndexCommandTests {
    let model = Fixtures.url("colbert-causal-tiny").path

    /// A folder of `count` small multilingual notes.
    func makeNotes(_ count: Int) throws -> URL {
        let folder = try Fixtures.temporaryDirectory()
        let notes = folder.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        let lines = ["The water cycle moves water between the sea, the air and the land.",
                     "Gutenberg's press made books cheaper across Europe.",
                     "Le vélo transmet la force des pédales à la roue arrière.",
                     "自転車のギアはペダルの力を後輪に伝えます。",
                     "北京大学图书馆有很多古书。"]
        for i in 0..<count {
            let text = (0..<6).map { "\(lines[(i + $0) % lines.count]) (note \(i), line \($0))" }.joined(separator: "\n")
            try Data(text.utf8).write(to: notes.appendingPathComponent("note-\(i).md"))
        }
        return folder
    }

    @Test func indexesAndReindexesIncrementally() throws {
        let folder = try makeNotes(5)
        defer { try? FileManager.default.removeItem(at: folder) }
        let index = folder.appendingPathComponent("i.sqlite").path
        let first = try FerretBinary.run(["index", folder.appendingPathComponent("notes").path, "--model", model, "--index", index])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("added 5") && first.stdout.contains("passages"), "\(first.stdout)")
        let second = try FerretBinary.run(["index", folder.appendingPathComponent("notes").path, "--model", model, "--index", index])
        #expect(second.stdout.contains("unchanged 5"), "\(second.stdout)")
        // The index remembers its encoder: indexing without it is refused with what to do.
        let lexical = try FerretBinary.run(["index", folder.appendingPathComponent("notes").path, "--index", index])
        #expect(lexical.status == 1 && lexical.stderr.contains("error:"), "\(lexical.stderr)")
        let missing = try FerretBinary.run(["index", "/nonexistent/folder", "--index", index])
        #expect(missing.status != 0 && missing.stderr.contains("/nonexistent/folder"))
    }

    @Test func killedRunLeavesAConsistentIndexThatTheNextRunCompletes() throws {
        // Enough files that the run is far from done when the kill lands, even on a busy machine.
        let total = 400
        let folder = try makeNotes(total)
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = folder.appendingPathComponent("notes").path
        let index = folder.appendingPathComponent("i.sqlite")

        let process = Process()
        process.executableURL = FerretBinary.url
        process.arguments = ["index", notes, "--model", model, "--index", index.path, "--threads", "1"]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait until some files are written (progress lines on a non-TTY stderr), then kill without warning.
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("[10/") && process.isRunning {
            seen.append(stderr.fileHandleForReading.availableData)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run finished before it could be killed; add more files")

        let damaged = try IndexDatabase.openExisting(at: index)
        #expect(try damaged.integrityCheck() == ["ok"])
        let partial = try damaged.documentPaths().count
        #expect(partial >= 9 && partial < total, "documents after the kill: \(partial)")
        for path in try damaged.documentPaths() {
            let stored = try #require(try damaged.storedDocument(path: path))
            #expect(stored.passageCount > 0, "\(path) was left half-written")
        }

        let rerun = try FerretBinary.run(["index", notes, "--model", model, "--index", index.path])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("added \(total - partial)") && rerun.stdout.contains("unchanged \(partial)"), "\(rerun.stdout)")
        let healed = try IndexDatabase.openExisting(at: index)
        #expect(try healed.documentPaths().count == total)
        #expect(try healed.integrityCheck() == ["ok"])
    }
}
