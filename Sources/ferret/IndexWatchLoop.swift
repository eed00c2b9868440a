import Foundation
import Indexing
import Ingest

/// `ferret index --watch`: after the first run, waits for changes under the roots (inotify, or polling) and
/// re-indexes just the changed paths, printing one line per change on stderr. Each file is replaced in its own
/// transaction, so a search running meanwhile sees a file's old or new version, never a mix; Ctrl-C stops between
/// files and leaves the index consistent.
struct IndexWatchLoop {
    let indexer: Indexer
    let roots: [URL]
    let interrupt: InterruptFlag

    func run() throws {
        let watcher = FolderWatcher(roots: roots, options: indexer.options)
        let shown = roots.map { DisplayPath.relative($0.path) }.joined(separator: ", ")
        Console.note("watching \(shown) for changes (\(watcher.mode.rawValue)); Ctrl-C to stop")
        while !interrupt.isSet {
            let changed = watcher.next(timeout: 1)
            guard !changed.isEmpty, !interrupt.isSet else { continue }
            do {
                let summary = try indexer.run(roots: roots, scope: changed, shouldStop: { interrupt.isSet },
                                              progress: { progress in
                                                  guard progress.outcome != "unchanged" else { return }
                                                  Console.note("\(progress.outcome) \(DisplayPath.relative(progress.fullPath))")
                                              },
                                              maintenance: { Console.note($0) })
                for path in summary.removedPaths { Console.note("removed \(DisplayPath.relative(path))") }
                for failure in summary.failed { Console.note("failed \(DisplayPath.relative(failure.path)): \(failure.reason)") }
                for skip in summary.skipped { Console.note("skipped \(DisplayPath.relative(skip.path)): \(skip.reason)") }
            } catch {
                // A busy or briefly unavailable index must not end the watch: say so and carry on.
                Console.error(String(describing: error))
            }
        }
        Console.note("stopped watching; the index is consistent")
    }
}
