import Foundation
import GRDB

extension IndexDatabase {
    /// Remembers that `path` was not indexed and why (unsupported format, unreadable, too large…); `kind` groups
    /// skips in `status` (`IndexStatus.Skipped.failedKind` for real errors).
    public func recordSkipped(path: String, reason: String, kind: String = IndexStatus.Skipped.failedKind) throws {
        try guarded {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO skipped(path, reason, recorded_at, kind) VALUES (?, ?, ?, ?)
                    ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, recorded_at = excluded.recorded_at,
                                                    kind = excluded.kind
                    """, arguments: [path, reason, Date().timeIntervalSince1970, kind])
            }
        }
    }

    /// Replaces the skips recorded under `roots` by this run's, in one transaction, and forgets skips of paths that
    /// no longer exist anywhere: `status` shows the state of the last run, not every problem ever seen.
    public func replaceSkipped(under roots: [String], with entries: [IndexStatus.Skipped],
                               exists: (String) -> Bool) throws {
        try guarded {
            try pool.write { db in
                let now = Date().timeIntervalSince1970
                for path in try String.fetchAll(db, sql: "SELECT path FROM skipped") {
                    let under = roots.contains { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
                    if under || !exists(path) { try db.execute(sql: "DELETE FROM skipped WHERE path = ?", arguments: [path]) }
                }
                for entry in entries {
                    try db.execute(sql: """
                        INSERT INTO skipped(path, reason, recorded_at, kind) VALUES (?, ?, ?, ?)
                        ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, recorded_at = excluded.recorded_at,
                                                        kind = excluded.kind
                        """, arguments: [entry.path, entry.reason, now, entry.kind])
                }
            }
        }
    }

    /// Forgets a skip (the file was indexed after all, or is gone).
    public func clearSkipped(path: String) throws {
        try guarded { try pool.write { try $0.execute(sql: "DELETE FROM skipped WHERE path = ?", arguments: [path]) } }
    }

    /// Forgets the skips of `path` and of everything under it.
    public func clearSkipped(under path: String) throws {
        try guarded {
            try pool.write {
                // Byte order ('/' is 0x2F, '0' 0x30): every path that starts with `path/`.
                try $0.execute(sql: "DELETE FROM skipped WHERE path = ? OR (path >= ? AND path < ?)",
                               arguments: [path, path + "/", path + "0"])
            }
        }
    }

    /// Records an indexing run, then brings the candidate structure up to date (`maintain()`: may train centroids
    /// after the run that first passes the threshold — seconds to minutes on large indexes).
    public func recordRun(_ summary: RunSummary, policy: CandidatePolicy = .default,
                          progress: (@Sendable (String) -> Void)? = nil) throws {
        try guarded {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO runs(started, finished, added, updated, removed, unchanged, failed, passages, tokens)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [summary.started.timeIntervalSince1970, summary.finished.timeIntervalSince1970,
                                     summary.added, summary.updated, summary.removed, summary.unchanged, summary.failed,
                                     summary.passages, summary.tokens])
            }
        }
        try maintain(policy: policy, progress: progress)
    }

    /// Counts, sizes, encoder, candidate structure, last run and skipped files.
    public func status() throws -> IndexStatus {
        try guarded {
            try pool.read { db in
                let documents = try Int.fetchOne(db, sql: "SELECT count(*) FROM documents") ?? 0
                let passages = try Int.fetchOne(db, sql: "SELECT count(*) FROM passages") ?? 0
                let tokens = try Int.fetchOne(db, sql: "SELECT coalesce(sum(count), 0) FROM passage_vectors") ?? 0
                let centroids = try currentCentroids(db)
                let pending = try Int.fetchOne(db, sql: "SELECT count(*) FROM postings_delta") ?? 0
                let tombstones = try Int.fetchOne(db, sql: "SELECT count(*) FROM tombstones") ?? 0
                let lastRun = try Row.fetchOne(db, sql: """
                    SELECT started, finished, added, updated, removed, unchanged, failed, passages, tokens
                    FROM runs ORDER BY id DESC LIMIT 1
                    """).map { row in
                    RunSummary(started: Date(timeIntervalSince1970: row[0]), finished: Date(timeIntervalSince1970: row[1]),
                               added: row[2], updated: row[3], removed: row[4], unchanged: row[5], failed: row[6],
                               passages: row[7], tokens: row[8])
                }
                let skipped = try Row.fetchAll(db, sql: "SELECT path, reason, kind FROM skipped ORDER BY path").map {
                    IndexStatus.Skipped(path: $0[0], reason: $0[1], kind: $0[2])
                }
                let fileBytes = fileSize(path) + fileSize(path + "-wal")
                return IndexStatus(
                    schemaVersion: IndexSchema.version, path: path, documents: documents, passages: passages,
                    tokens: tokens, bytesPerToken: tokens > 0 ? Double(fileBytes) / Double(tokens) : nil,
                    vectorBytesPerToken: encoder.map { encoder in
                        vectorStorage.residualBits.map { 2 + encoder.dimension * $0 / 8 }
                            ?? encoder.dimension * vectorEncoding.bytesPerValue
                    },
                    encoder: encoder, vectorEncoding: vectorStorage.rawValue,
                    chunking: try MetaKey.readAll(db, prefix: MetaKey.chunkingPrefix),
                    candidates: IndexStatus.Candidates(
                        scheme: centroids == nil ? "exhaustive" : "centroids", centroids: centroids?.count ?? 0,
                        trainedOnTokens: centroids?.trainedOnTokens ?? 0, pendingPostings: pending, tombstones: tombstones),
                    fileBytes: fileBytes, lastRun: lastRun, skipped: skipped)
            }
        }
    }

    private func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
