import Foundation

/// Remembers `WeightFingerprint`s so that loading an encoder does not read every weight byte again: hashing 0.7 GB
/// costs 0.1–0.2 s with a warm page cache, seconds with a cold one, and makes every page resident — most of a CLI
/// search's time and memory. An entry is keyed by the folder's real path and holds each weight file's size,
/// modification time and inode; any difference (a file rewritten, replaced or renamed) recomputes. Kept in
/// `$XDG_CACHE_HOME/ferret/fingerprints.json` (else `~/.cache/ferret/…`); an unreadable or damaged cache is a miss,
/// and a cache that cannot be written is skipped.
struct FingerprintCache {
    struct FileStamp: Codable, Equatable {
        let path: String
        let size: Int64
        let modified: Double
        let inode: UInt64
    }

    struct Entry: Codable {
        let files: [FileStamp]
        let fingerprint: String
    }

    let location: URL

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".cache")
        location = base.appendingPathComponent("ferret/fingerprints.json")
    }

    /// The stamps of `files` (relative to `directory`), or nil when one cannot be read.
    static func stamps(directory: URL, files: [String]) -> [FileStamp]? {
        var stamps: [FileStamp] = []
        for relative in files {
            var status = stat()
            guard stat(directory.appendingPathComponent(relative).path, &status) == 0 else { return nil }
            let modified = Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
            stamps.append(FileStamp(path: relative, size: Int64(status.st_size), modified: modified, inode: UInt64(status.st_ino)))
        }
        return stamps
    }

    func lookup(key: String, stamps: [FileStamp]) -> String? {
        guard let entry = read()[key], entry.files == stamps else { return nil }
        return entry.fingerprint
    }

    /// Best effort: written atomically, at most 64 entries (the oldest dropped).
    func store(key: String, stamps: [FileStamp], fingerprint: String) {
        var entries = read()
        entries[key] = Entry(files: stamps, fingerprint: fingerprint)
        if entries.count > 64, let victim = entries.keys.sorted().first(where: { $0 != key }) { entries[victim] = nil }
        guard let data = try? JSONEncoder().encode(entries) else { return }
        try? FileManager.default.createDirectory(at: location.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: location, options: .atomic)
    }

    private func read() -> [String: Entry] {
        guard let data = try? Data(contentsOf: location), data.count < 4 << 20 else { return [:] }
        return (try? JSONDecoder().decode([String: Entry].self, from: data)) ?? [:]
    }
}
