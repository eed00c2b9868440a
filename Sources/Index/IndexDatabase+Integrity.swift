import GRDB

extension IndexDatabase {
    /// SQLite's `PRAGMA integrity_check` plus the FTS5 table's own check: `["ok"]` for a sound file, else the
    /// problems SQLite reports. Used after crashes (tests kill an indexing process with SIGKILL) and by `status`.
    public func integrityCheck() throws -> [String] {
        try pool.read { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if problems == ["ok"] {
                let orphans = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM passages p LEFT JOIN documents d ON d.id = p.document WHERE d.id IS NULL
                    """) ?? 0
                if orphans > 0 { problems = ["\(orphans) passages belong to no document"] }
            }
            return problems
        }
    }
}
