import Foundation
import Testing
@testable import Ingest

/// Ignore files are read whole, so only regular files of a sane size are read: anything else is passed over.
@Suite struct IgnoreFileLimitsTests {
    @Test func oversizedIgnoreFileIsNotRead() throws {
        let tree = try TestTree(["a.md": "a", "b.md": "b"])
        // 101 MiB (sparse: no disk used) that would ignore a.md: past git's 100 MiB limit for pattern files.
        try tree.write(".gitignore", "a.md\n")
        let handle = try FileHandle(forWritingTo: tree.url(".gitignore"))
        try handle.truncate(atOffset: UInt64(IgnoreFile.maximumBytes) + (1 << 20))
        try handle.close()
        #expect(FileWalker.walk([tree.root], options: IngestOptions()).files.map(\.relativePath) == ["a.md", "b.md"])
        // Within the limit it applies.
        try tree.write(".gitignore", "a.md\n")
        #expect(FileWalker.walk([tree.root], options: IngestOptions()).files.map(\.relativePath) == ["b.md"])
    }

    @Test func ignoreFileThatIsAFIFODoesNotBlockTheWalk() throws {
        let tree = try TestTree(["a.md": "a"])
        // Reading a FIFO blocks until something writes to it: the walk used to hang here.
        #expect(mkfifo(tree.url(".ferretignore").path, 0o644) == 0)
        try tree.write("sub/c.md", "c")
        try FileManager.default.createSymbolicLink(atPath: tree.url("sub/.gitignore").path, withDestinationPath: "/dev/zero")
        let result = FileWalker.walk([tree.root], options: IngestOptions())
        #expect(result.files.map(\.relativePath) == ["a.md", "sub/c.md"])
    }
}
