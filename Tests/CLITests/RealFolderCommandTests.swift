import Foundation
import Testing
import TestSupport

/// `ferret index`, `status`, `check`, `config` and `--watch` on real folders, run as a user runs them.
@Suite(.serialized) struct RealFolderCommandTests {
    func makeFolder(_ files: [String: String]) throws -> URL {
        let folder = try Fixtures.temporaryDirectory().resolvingSymlinksInPath()
        for (path, text) in files {
            let url = folder.appendingPathComponent("docs/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return folder
    }

    /// No configuration from the machine leaks into a test: an empty config file unless a test writes one.
    func environment(_ folder: URL, config: String = "") throws -> [String: String] {
        let file = folder.appendingPathComponent("ferret.toml")
        try Data(config.utf8).write(to: file)
        return ["FERRET_CONFIG": file.path]
    }

    @Test func statusGroupsSkipsByReasonAndListsFailures() throws {
        let folder = try makeFolder(["a.md": "# A\n\nAlpha.\n", "b.png": "png", "c.txt": "tea"])
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data([0, 1, 2, 3]).write(to: folder.appendingPathComponent("docs/blob.txt"))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("docs/dangling.md").path,
                                                   withDestinationPath: "nowhere.md")
        chmod(folder.appendingPathComponent("docs/c.txt").path, 0)
        defer { chmod(folder.appendingPathComponent("docs/c.txt").path, 0o644) }
        let env = try environment(folder)
        let index = folder.appendingPathComponent("i.sqlite").path
        let run = try FerretBinary.run(["index", folder.appendingPathComponent("docs").path, "--index", index], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        // Root reads a mode-000 file anyway; anyone else gets a failure for it.
        #expect(run.stdout.contains(getuid() == 0 ? "added 2" : "added 1") && run.stdout.contains("skipped 3"), "\(run.stdout)")
        #expect(run.stdout.contains("binary 1") && run.stdout.contains("dangling symlink 1"), "\(run.stdout)")
        let status = try FerretBinary.run(["status", "--index", index], environment: env)
        #expect(status.stdout.contains("health      ok"), "\(status.stdout)")
        #expect(status.stdout.contains("skipped     3 files"), "\(status.stdout)")
        if getuid() != 0 {
            #expect(status.stdout.contains("failed      1 files") && status.stdout.contains("c.txt"), "\(status.stdout)")
        }
    }

    @Test func checkFindsDamageAndRepairRebuildsFromTheFiles() throws {
        var files: [String: String] = [:]
        for i in 0..<60 { files["n\(i).md"] = "# Note \(i)\n\n" + String(repeating: "Rivers and tea number \(i). ", count: 30) }
        let folder = try makeFolder(files)
        defer { try? FileManager.default.removeItem(at: folder) }
        let env = try environment(folder)
        let docs = folder.appendingPathComponent("docs").path
        let index = folder.appendingPathComponent("i.sqlite")
        #expect(try FerretBinary.run(["index", docs, "--index", index.path], environment: env).status == 0)
        #expect(try FerretBinary.run(["check", "--index", index.path], environment: env).stdout.hasPrefix("ok"))
        // Damage interior pages (not the header), as a failing disk would.
        var bytes = [UInt8](try Data(contentsOf: index))
        var state: UInt64 = 42
        for _ in 0..<40 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let at = 4096 + Int((state >> 33) % UInt64(bytes.count - 4096 - 64))
            for k in 0..<64 { bytes[at + k] = UInt8(truncatingIfNeeded: state >> UInt64(k % 56)) }
        }
        try Data(bytes).write(to: index)
        try? FileManager.default.removeItem(atPath: index.path + "-wal")
        try? FileManager.default.removeItem(atPath: index.path + "-shm")
        let check = try FerretBinary.run(["check", "--index", index.path], environment: env)
        #expect(check.status == 1, "check called a damaged file sound: \(check.stdout)")
        let again = try FerretBinary.run(["index", docs, "--index", index.path], environment: env)
        #expect(again.status == 1 && again.stderr.contains("--repair"), "\(again.stdout)\(again.stderr)")
        let repair = try FerretBinary.run(["index", docs, "--repair", "--index", index.path], environment: env)
        #expect(repair.status == 0 && repair.stdout.contains("added 60"), "\(repair.stdout)\(repair.stderr)")
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("i.sqlite.damaged-") }
        #expect(!kept.isEmpty, "the damaged file must be kept, not deleted")
        #expect(try FerretBinary.run(["check", "--index", index.path], environment: env).status == 0)
        let search = try FerretBinary.run(["search", "tea number 17", "--index", index.path, "--json"], environment: env)
        #expect(search.stdout.contains("n17.md"), "\(search.stdout)")
    }

    @Test func configurationSuppliesDefaultsAndFlagsWin() throws {
        let folder = try makeFolder(["keep/a.md": "# Kept\n\nQuokka facts.\n", "drop/b.md": "# Dropped\n\nQuokka too.\n",
                                     "keep/c.txt": "Quokka text file.\n", "big.md": String(repeating: "quokka ", count: 400)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let index = folder.appendingPathComponent("from-config.sqlite").path
        let env = try environment(folder, config: """
            index = "from-config.sqlite"
            [indexing]
            include = ["*.md"]
            exclude = ["drop/"]
            max_file_size = "1 KB"
            """)
        let docs = folder.appendingPathComponent("docs").path
        let run = try FerretBinary.run(["index", docs], environment: env)
        #expect(run.status == 0 && run.stdout.contains(index), "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("added 1") && run.stdout.contains("too large 1"), "\(run.stdout)")
        let raised = try FerretBinary.run(["index", docs, "--max-file-size", "1MB"], environment: env)
        #expect(raised.stdout.contains("added 1"), "the flag must win over the file: \(raised.stdout)")
        let show = try FerretBinary.run(["config", "show"], environment: env)
        #expect(show.stdout.contains("max_file_size = 1000") && show.stdout.contains(index), "\(show.stdout)")
        #expect(try FerretBinary.run(["config", "path"], environment: env).stdout.contains("ferret.toml"))
        // A typo is an error naming the key, not a silently ignored setting.
        let typo = try environment(folder, config: "[indexing]\nmax_filesize = 3\n")
        let refused = try FerretBinary.run(["status"], environment: typo)
        #expect(refused.status == 1 && refused.stderr.contains("indexing.max_filesize"), "\(refused.stderr)")
        let broken = try environment(folder, config: "index = \n")
        let parse = try FerretBinary.run(["status"], environment: broken)
        #expect(parse.status == 1 && parse.stderr.contains("line 1"), "\(parse.stderr)")
    }

    /// A first run killed while the file is being created (the first tens of milliseconds) never leaves a file that
    /// later commands refuse as "not a Ferret index".
    @Test func aFirstRunKilledEarlyLeavesAnIndexTheNextRunCanUse() throws {
        let folder = try makeFolder(["a.md": "# A\n\nAlpha.\n", "b.md": "# B\n\nBeta.\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let env = try environment(folder)
        let docs = folder.appendingPathComponent("docs").path
        for delay in stride(from: 0.0, through: 0.09, by: 0.006) {
            let index = folder.appendingPathComponent("k\(Int(delay * 1000)).sqlite").path
            let process = Process()
            process.executableURL = FerretBinary.url
            process.arguments = ["index", docs, "--index", index]
            process.environment = FerretBinary.environment(env)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let rerun = try FerretBinary.run(["index", docs, "--index", index], environment: env)
            #expect(rerun.status == 0, "killed at \(delay) s: \(rerun.stderr)")
            let status = try FerretBinary.run(["status", "--index", index], environment: env)
            #expect(status.stdout.contains("documents   2"), "killed at \(delay) s: \(status.stdout)\(status.stderr)")
        }
    }

    /// `--watch`: an edit is re-indexed exactly once, a deletion removes the document, Ctrl-C ends cleanly.
    @Test func watchKeepsTheIndexInSync() throws {
        let folder = try makeFolder(["a.md": "# A\n\nAlpha wombat.\n", "b.md": "# B\n\nBeta.\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let env = try environment(folder)
        let docs = folder.appendingPathComponent("docs")
        let index = folder.appendingPathComponent("w.sqlite").path
        let process = Process()
        process.executableURL = FerretBinary.url
        process.arguments = ["index", docs.path, "--index", index, "--watch"]
        process.environment = FerretBinary.environment(env)
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let log = StreamLog(stderr.fileHandleForReading)
        #expect(log.wait(for: "watching", seconds: 60), "\(log.text)")

        try Data("# A\n\nAlpha numbat, edited.\n".utf8).write(to: docs.appendingPathComponent("a.md"))
        #expect(log.wait(for: "updated ", seconds: 30) && log.text.contains("a.md"), "\(log.text)")
        Thread.sleep(forTimeInterval: 2)   // any duplicate event would have been handled by now
        #expect(log.text.components(separatedBy: "updated").count - 1 == 1, "re-indexed more than once: \(log.text)")
        let search = try FerretBinary.run(["search", "numbat", "--index", index, "--json"], environment: env)
        #expect(search.stdout.contains("a.md"), "\(search.stdout)")

        try FileManager.default.removeItem(at: docs.appendingPathComponent("b.md"))
        #expect(log.wait(for: "removed", seconds: 30), "\(log.text)")
        // A new folder and a file in it.
        try FileManager.default.createDirectory(at: docs.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("# C\n\nGamma.\n".utf8).write(to: docs.appendingPathComponent("sub/c.md"))
        #expect(log.wait(for: "added", seconds: 30), "\(log.text)")

        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(log.wait(for: "stopped watching", seconds: 10), "\(log.text)")
        let check = try FerretBinary.run(["check", "--index", index], environment: env)
        #expect(check.status == 0, "\(check.stdout)")
    }
}

/// Collects a pipe's output on a background thread so a test can wait for a line.
final class StreamLog: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return }
                lock.lock(); data.append(chunk); lock.unlock()
            }
        }
    }

    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }

    func wait(for needle: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if text.contains(needle) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return text.contains(needle)
    }
}
