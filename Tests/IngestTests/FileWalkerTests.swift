import Foundation
import Testing
@testable import Ingest

@Suite("FileWalker")
struct FileWalkerTests {
    func walk(_ tree: TestTree, _ roots: [String] = [""], options: IngestOptions = IngestOptions())
        -> (files: [String], skipped: [SkippedFile]) {
        let urls = roots.map { $0.isEmpty ? tree.root : tree.url($0) }
        let result = FileWalker.walk(urls, options: options)
        return (result.files.map(\.relativePath), result.skipped)
    }

    func skippedNames(_ skipped: [SkippedFile], _ kind: SkippedFile.Kind) -> [String] {
        skipped.filter { $0.kind == kind }.map { URL(fileURLWithPath: $0.path).lastPathComponent }.sorted()
    }

    @Test func walksRecursivelyInSortedOrderWithMetadata() throws {
        let tree = try TestTree(["b.md": "b", "a/z.txt": "z", "a/y/x.py": "x = 1", "c.csv": "a,b"])
        let result = FileWalker.walk([tree.root], options: IngestOptions())
        #expect(result.files.map(\.relativePath) == ["a/y/x.py", "a/z.txt", "b.md", "c.csv"])
        #expect(result.files.map(\.format) == [.source, .plainText, .markdown, .csv])
        let first = try #require(result.files.first)
        #expect(first.path == tree.url("a/y/x.py").path)
        #expect(first.size == 5)
        #expect(abs(first.modified.timeIntervalSinceNow) < 600)
        #expect(result.skipped.isEmpty)
    }

    @Test func skipsHiddenUnlessAsked() throws {
        let tree = try TestTree([".secret.md": "s", ".git/config.txt": "c", "visible.md": "v"])
        let plain = walk(tree)
        #expect(plain.files == ["visible.md"])
        #expect(skippedNames(plain.skipped, .hidden) == [".git", ".secret.md"])  // the directory once, not its files
        var options = IngestOptions()
        options.includeHidden = true
        #expect(walk(tree, options: options).files == [".git/config.txt", ".secret.md", "visible.md"])
    }

    @Test func reportsUnsupportedTypesAndTakesWellKnownNames() throws {
        let tree = try TestTree(["photo.png": "x", "README": "r", "Makefile": "all:", "sub/Dockerfile": "FROM x", "sub/license": "l", "notes.MD": "n", "data": "d"])
        let result = walk(tree)
        #expect(result.files == ["Makefile", "README", "notes.MD", "sub/Dockerfile", "sub/license"])
        #expect(skippedNames(result.skipped, .unsupportedType) == ["data", "photo.png"])
        let reason = try #require(result.skipped.first { $0.path.hasSuffix("photo.png") }).reason
        #expect(reason.hasPrefix("unsupported type .png; Ferret reads plain text, Markdown"))
    }

    @Test func gitignoreAndFerretignoreAtEveryLevel() throws {
        let tree = try TestTree([
            ".gitignore": "*.log.txt\n/build/\ndrafts/\n!keep.log.txt\n",
            "a.log.txt": "x", "keep.log.txt": "k", "doc.md": "d",
            "build/out.md": "o", "src/build/real.md": "r",   // `/build/` is anchored to the root
            "drafts/d.md": "d", "src/drafts/d.md": "d",      // `drafts/` is not
            "src/.ferretignore": "secret.md\n# a comment\n/only-here.md\n",
            "src/only-here.md": "o", "src/x/only-here.md": "kept",  // `/…` anchors to src/, not the root
            "src/secret.md": "s", "secret.md": "top",        // .ferretignore applies below its directory only
            "src/lib/.gitignore": "!*.log.txt\n", "src/lib/again.log.txt": "a",
        ])
        let result = walk(tree)
        #expect(result.files == ["doc.md", "keep.log.txt", "secret.md", "src/build/real.md", "src/lib/again.log.txt",
                                 "src/x/only-here.md"])
        let ignored = result.skipped.filter { $0.kind == .ignored }
        #expect(ignored.map { String($0.path.dropFirst(tree.root.path.count + 1)) }.sorted()
                == ["a.log.txt", "build", "drafts", "src/drafts", "src/only-here.md", "src/secret.md"])
        let secret = try #require(ignored.first { $0.path.hasSuffix("src/secret.md") })
        #expect(secret.reason == "ignored by `secret.md` (src/.ferretignore:1)")
    }

    @Test func explicitFileRootIsTakenEvenIfIgnoredOrHidden() throws {
        let tree = try TestTree([".gitignore": "ignored.md\n", "ignored.md": "i", ".hidden.md": "h", "x.bin": "b"])
        let result = walk(tree, ["ignored.md", ".hidden.md", "x.bin", "missing.md"])
        #expect(result.files == [".hidden.md", "ignored.md"])
        #expect(result.skipped.map(\.kind) == [.unsupportedType, .missing])
    }

    @Test func symlinkLoopsTerminateAndFilesAreListedOnce() throws {
        let tree = try TestTree(["a/doc.md": "d", "a/b/deep.md": "e"])
        try tree.symlink("a/b/up", to: "..")                  // a/b/up → a: a loop
        try tree.symlink("a/self", to: ".")                   // a/self → a
        try tree.symlink("a/alias.md", to: "doc.md")          // a second name for a file
        try tree.symlink("a/dangling.md", to: "nowhere.md")
        let result = walk(tree)
        #expect(result.files == ["a/b/deep.md", "a/doc.md"])
        #expect(skippedNames(result.skipped, .symlinkLoop) == ["self", "up"])
        #expect(skippedNames(result.skipped, .duplicate) == ["alias.md"])  // the file's own name wins over a link
        #expect(skippedNames(result.skipped, .brokenSymlink) == ["dangling.md"])
        var noLinks = IngestOptions()
        noLinks.followSymlinks = false
        let strict = walk(tree, options: noLinks)
        #expect(strict.files == ["a/b/deep.md", "a/doc.md"])
        #expect(skippedNames(strict.skipped, .symlinkNotFollowed) == ["alias.md", "dangling.md", "self", "up"])
    }

    @Test func symlinkToDirectoryOutsideIsFollowed() throws {
        let outside = try TestTree(["shared.md": "s"])
        let tree = try TestTree(["own.md": "o"])
        try tree.symlink("linked", to: outside.root.path)
        #expect(walk(tree).files == ["linked/shared.md", "own.md"])
    }

    @Test func overlappingRootsListEachFileOnce() throws {
        let tree = try TestTree(["a/x.md": "x", "a/b/y.md": "y"])
        let result = FileWalker.walk([tree.url("a"), tree.url("a/b")], options: IngestOptions())
        #expect(result.files.map(\.relativePath) == ["b/y.md", "x.md"])
        #expect(result.skipped.map(\.kind) == [.duplicate])
    }

    @Test func largeFilesAreSkippedWithTheirSize() throws {
        let tree = try TestTree(["big.txt": String(repeating: "a", count: 2_500), "small.txt": "s"])
        var options = IngestOptions()
        options.maxFileBytes = 2_000
        let result = walk(tree, options: options)
        #expect(result.files == ["small.txt"])
        #expect(result.skipped.first?.reason.hasPrefix("larger than 2 KB (2.5 KB)") == true)
    }

    @Test func specialFilesAreSkipped() throws {
        let tree = try TestTree(["ok.md": "o"])
        #expect(mkfifo(tree.url("pipe.txt").path, 0o644) == 0)
        let result = walk(tree)
        #expect(result.files == ["ok.md"])
        #expect(skippedNames(result.skipped, .specialFile) == ["pipe.txt"])
    }

    @Test(.enabled(if: getuid() != 0, "root can read any directory"))
    func unreadableDirectoryIsReported() throws {
        let tree = try TestTree(["locked/x.md": "x", "ok.md": "o"])
        chmod(tree.url("locked").path, 0)
        defer { chmod(tree.url("locked").path, 0o755) }
        let result = walk(tree)
        #expect(result.files == ["ok.md"])
        #expect(result.skipped.first?.kind == .unreadable)
        #expect(result.skipped.first?.reason.contains("Permission denied") == true)
    }
}
