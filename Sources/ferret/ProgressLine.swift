import Foundation
import Indexing
import Ingest

/// Progress on stderr: a redrawn bar with rate and ETA on a terminal, a plain line per file otherwise.
final class ProgressLine: @unchecked Sendable {  // used from the one thread that runs the index command
    private let isTerminal = isatty(FileHandle.standardError.fileDescriptor) != 0
    private var drewBar = false

    func update(_ progress: IndexProgress) {
        if isTerminal {
            let width = 24
            let filled = progress.total > 0 ? width * progress.done / progress.total : width
            let eta = progress.eta.map { String(format: "%.0fs", $0) } ?? "?"
            let rate = String(format: "%.1f", progress.rate)
            let shown = PathBytes.display(progress.path)
            let name = shown.count > 40 ? "…" + shown.suffix(39) : shown
            let line = "\r[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                + "] \(progress.done)/\(progress.total) files · \(rate) files/s · ETA \(eta) · \(name)"
            FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
            drewBar = true
        } else {
            Console.note("[\(progress.done)/\(progress.total)] \(PathBytes.display(progress.path)) (\(progress.passages) passages so far)")
        }
    }

    /// A message between files (centroid training): on its own line, the bar redrawn by the next update.
    func message(_ text: String) {
        finish()
        drewBar = false
        Console.note(text)
    }

    func finish() {
        if drewBar { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// Set by SIGINT/SIGTERM so long runs stop between units of work; a second Ctrl-C exits at once.
final class InterruptFlag: @unchecked Sendable {  // the flag is a single word written by a signal handler
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    var isSet: Bool { Self.flag != 0 }

    static func install() -> InterruptFlag {
        let handler: @convention(c) (Int32) -> Void = { signal in
            if InterruptFlag.flag != 0 { _exit(128 + signal) }
            InterruptFlag.flag = 1
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        return InterruptFlag()
    }
}
