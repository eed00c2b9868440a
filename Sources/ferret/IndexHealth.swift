import Foundation
import Index

/// Damage on disk, found before it is trusted: `index` and `status` run SQLite's quick check, `ferret check` the
/// full one, and `index --repair` moves a damaged file aside and rebuilds from the files (the source of truth).
enum IndexHealth {
    /// Throws `IndexError.corrupt` (which says how to repair) when the quick check finds problems.
    static func refuseIfDamaged(_ database: IndexDatabase, location: URL) throws {
        let problems = try database.quickCheck()
        guard problems != ["ok"] else { return }
        throw IndexError.corrupt(path: location.path, detail: summary(problems))
    }

    /// The first problems, in one line.
    static func summary(_ problems: [String]) -> String {
        let shown = problems.prefix(3).joined(separator: "; ")
        return problems.count > 3 ? shown + "; and \(problems.count - 3) more (`ferret check` lists them)" : shown
    }
}

/// `ferret index --repair`: the damaged index (and its -wal/-shm) is renamed to `NAME.damaged-TIMESTAMP` — nothing is
/// deleted — and the run that follows builds a new one from the files.
enum IndexRepair {
    static func rebuild(at location: URL) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: location.path) else { return }
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let aside = location.path + ".damaged-" + stamp
        for suffix in ["", "-wal", "-shm"] where fm.fileExists(atPath: location.path + suffix) {
            try fm.moveItem(atPath: location.path + suffix, toPath: aside + suffix)
        }
        Console.note("note: moved the old index to \(aside); rebuilding from the files")
    }
}
