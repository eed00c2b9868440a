import GRDB

extension IndexDatabase {
    /// SQLite's `PRAGMA integrity_check` plus the FTS5 table's own check and a check that every passage has its
    /// document: `["ok"]` for a sound file, else the problems found. `ferret check` runs it.
    public func integrityCheck() throws -> [String] {
        try check(pragma: "integrity_check", fts: true)
    }

    /// SQLite's faster `PRAGMA quick_check` (page and record structure, no index-content comparison) and the
    /// orphan check: `["ok"]` or the problems. `status` and `index` run it before trusting the file.
    public func quickCheck() throws -> [String] {
        try check(pragma: "quick_check", fts: false)
    }

    private func check(pragma: String, fts: Bool) throws -> [String] {
        do {
            return try pool.read { db in
                var problems = try String.fetchAll(db, sql: "PRAGMA \(pragma)(100)")
                guard problems == ["ok"] else { return problems }
                let orphans = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM passages p LEFT JOIN documents d ON d.id = p.document WHERE d.id IS NULL
                    """) ?? 0
                if orphans > 0 { problems = ["\(orphans) passages belong to no document"] }
                return problems
            }
            + (fts ? try ftsCheck() : [])
        } catch let error as DatabaseError {
            // A damaged file can fail the check itself ("database disk image is malformed").
            return ["SQLite could not read the file: \(error.message ?? error.description)"]
        }
    }

    /// FTS5's own consistency check (the full-text index against its content); empty when sound.
    private func ftsCheck() throws -> [String] {
        do {
            try pool.write { try $0.execute(sql: "INSERT INTO passage_fts(passage_fts) VALUES('integrity-check')") }
            return []
        } catch let error as DatabaseError {
            return ["the full-text index is inconsistent: \(error.message ?? error.description)"]
        }
    }
}
