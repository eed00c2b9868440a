import Foundation

/// Tells which paths under some roots changed: inotify on Linux (every directory watched, new directories added as
/// they appear), a polling comparison of sizes and modification times elsewhere or when inotify runs out of
/// watches. `next(timeout:)` returns the paths that changed since the last call, debounced: it waits until no event
/// has arrived for `quietPeriod`, so an editor's write-rename-chmod burst is one change.
public final class FolderWatcher {
    public enum Mode: String, Sendable { case inotify, polling }

    public private(set) var mode: Mode
    public var quietPeriod: Double = 0.3
    public var pollInterval: Double = 2
    private let roots: [String]
    private let options: IngestOptions
    #if os(Linux)
    private var descriptor: Int32 = -1
    private var watches: [Int32: String] = [:]
    #endif
    private var snapshot: [String: FileSignature] = [:]

    struct FileSignature: Equatable {
        let size: Int64
        let modified: Date
    }

    /// Starts watching `roots` (files or folders). Never throws: without inotify (or with `mode: .polling`) it polls.
    public init(roots: [URL], options: IngestOptions, mode requested: Mode = .inotify) {
        self.roots = roots.map { $0.standardizedFileURL.path }
        self.options = options
        mode = .polling
        #if os(Linux)
        descriptor = requested == .inotify ? inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) : -1
        if descriptor >= 0 {
            mode = .inotify
            for root in self.roots { watchTree(root) }
        }
        #endif
        if mode == .polling { snapshot = takeSnapshot() }
    }

    deinit {
        #if os(Linux)
        if descriptor >= 0 { close(descriptor) }
        #endif
    }

    /// Waits up to `timeout` seconds for changes; returns the changed paths (files or directories, existing or
    /// deleted), empty when nothing changed in time.
    public func next(timeout: Double) -> Set<String> {
        #if os(Linux)
        if mode == .inotify { return nextInotify(timeout: timeout) }
        #endif
        return nextPolling(timeout: timeout)
    }

    // MARK: - Polling

    private func nextPolling(timeout: Double) -> Set<String> {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let now = takeSnapshot()
            var changed = Set<String>()
            for (path, signature) in now where snapshot[path] != signature { changed.insert(path) }
            for path in snapshot.keys where now[path] == nil { changed.insert(path) }
            snapshot = now
            if !changed.isEmpty { return changed }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { break }
            Thread.sleep(forTimeInterval: min(pollInterval, left))
        } while true
        return []
    }

    private func takeSnapshot() -> [String: FileSignature] {
        var all: [String: FileSignature] = [:]
        var scanOptions = options
        scanOptions.maxFileBytes = Int.max
        let walk = FileWalker.walk(roots.map { URL(fileURLWithPath: $0) }, options: scanOptions)
        for file in walk.files { all[file.path] = FileSignature(size: file.size, modified: file.modified) }
        return all
    }

    // MARK: - inotify

    #if os(Linux)
    private static let eventMask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM
                                          | IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

    /// Watches `directory` and every directory below it (symbolic links to directories are not followed here; the
    /// indexer still walks them).
    private func watchTree(_ path: String) {
        guard case .success(let status) = FileStatus.of(path, followLinks: true) else { return }
        let directory = status.kind == .directory ? path : (path as NSString).deletingLastPathComponent
        guard addWatch(directory) else { return }
        guard status.kind == .directory else { return }
        var pending = [directory]
        while let next = pending.popLast() {
            guard case .success(let names) = directoryEntries(next) else { continue }
            for name in names {
                if name.hasPrefix(".") && !options.includeHidden { continue }
                let child = next + "/" + name
                if case .success(let entry) = FileStatus.of(child, followLinks: false), entry.kind == .directory {
                    if addWatch(child) { pending.append(child) } else { return }
                }
            }
        }
    }

    /// False (and polling from now on) when the system's watch limit is reached.
    private func addWatch(_ directory: String) -> Bool {
        let wd = PathBytes.withCString(directory) { inotify_add_watch(descriptor, $0, Self.eventMask) }
        if wd >= 0 { watches[wd] = directory; return true }
        if errno == ENOSPC || errno == ENOMEM {
            close(descriptor)
            descriptor = -1
            watches = [:]
            mode = .polling
            snapshot = takeSnapshot()
            return false
        }
        return true   // an unreadable or vanished directory: the walk reports it
    }

    private func nextInotify(timeout: Double) -> Set<String> {
        var changed = Set<String>()
        var wait = timeout
        while true {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(0, wait) * 1000))
            if ready < 0 && errno == EINTR { return changed }   // Ctrl-C: let the caller look at its flag
            guard ready > 0 else { return changed }           // quiet for `wait`: the burst is over
            readEvents(into: &changed)
            if mode == .polling { return changed.union(roots) }
            wait = quietPeriod
        }
    }

    private func readEvents(into changed: inout Set<String>) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            buffer.withUnsafeBytes { raw in
                var offset = 0
                let header = MemoryLayout<inotify_event>.size
                while offset + header <= count {
                    let wd = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                    let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    guard offset + header + length <= count else { break }
                    let nameBytes = raw[(offset + header)..<(offset + header + length)].prefix { $0 != 0 }
                    offset += header + length
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                        changed.formUnion(roots)   // events were lost: look at everything
                        continue
                    }
                    guard let directory = watches[wd] else { continue }
                    if mask & UInt32(IN_IGNORED) != 0 { watches[wd] = nil; continue }
                    let path = nameBytes.isEmpty ? directory
                        : directory + "/" + PathBytes.string(fromRaw: Array(nameBytes))
                    changed.insert(path)
                    if mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { watchTree(path) }
                }
            }
        }
    }
    #endif
}
