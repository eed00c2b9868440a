import Foundation
import GRDB

extension IndexDatabase {
    /// The folders (or single files) this index was built from: what `ferret serve` may read by default. Recorded by
    /// every index run; older indexes that never recorded them fall back to the folders their documents are in.
    public func roots() throws -> [String] {
        let stored = try guarded { try pool.read { try MetaKey.read($0, MetaKey.roots) } }
        if let stored, let data = stored.data(using: .utf8),
           let roots = try? JSONDecoder().decode([String].self, from: data) {
            return roots
        }
        return Self.coveringFolders(try documentPaths())
    }

    /// Adds `roots` (absolute paths) to the recorded ones.
    public func rememberRoots(_ roots: [String]) throws {
        try guarded {
            try pool.write { db in
                let known = try MetaKey.read(db, MetaKey.roots).flatMap { $0.data(using: .utf8) }
                    .flatMap { try? JSONDecoder().decode([String].self, from: $0) } ?? []
                let merged = Array(Set(known + roots)).sorted()
                guard merged != known.sorted() else { return }
                let json = String(decoding: try JSONEncoder().encode(merged), as: UTF8.self)
                try MetaKey.write(db, MetaKey.roots, json)
            }
        }
    }

    /// The fewest folders that hold every path: each file's folder, minus folders inside another one kept.
    static func coveringFolders(_ paths: [String]) -> [String] {
        let folders = Set(paths.map { ($0 as NSString).deletingLastPathComponent }).sorted()
        var kept: [String] = []
        for folder in folders where !kept.contains(where: { folder == $0 || folder.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) {
            kept.append(folder)
        }
        return kept
    }
}
