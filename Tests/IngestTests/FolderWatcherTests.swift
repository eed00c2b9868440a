import Foundation
import Testing
@testable import Ingest

/// Both ways of noticing changes report the changed paths: inotify events (debounced into one batch) and polling
/// (sizes and modification times compared).
@Suite struct FolderWatcherTests {
    @Test(arguments: [FolderWatcher.Mode.inotify, .polling])
    func editsCreationsAndDeletionsAreReported(_ mode: FolderWatcher.Mode) throws {
        let tree = try TestTree(["a.md": "alpha", "sub/b.md": "beta"])
        let watcher = FolderWatcher(roots: [tree.root], options: IngestOptions(), mode: mode)
        watcher.pollInterval = 0.1
        #if os(Linux)
        #expect(watcher.mode == mode)
        #endif
        #expect(watcher.next(timeout: 0.3).isEmpty, "nothing changed yet")

        try tree.write("a.md", "alpha, edited and longer")
        try tree.write("sub/c.md", "gamma")
        try FileManager.default.removeItem(at: tree.url("sub/b.md"))
        var seen = Set<String>()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !seen.isSuperset(of: [tree.url("a.md").path, tree.url("sub/c.md").path, tree.url("sub/b.md").path]) {
            seen.formUnion(watcher.next(timeout: 0.5))
        }
        for name in ["a.md", "sub/c.md", "sub/b.md"] {
            #expect(seen.contains(tree.url(name).path), "\(mode): \(name) not reported in \(seen)")
        }
        #expect(watcher.next(timeout: 0.3).isEmpty, "\(mode): changes reported twice")
    }
}
