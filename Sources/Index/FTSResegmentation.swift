import GRDB

/// Re-segments `passage_fts` when its text was made by an older `WordSegmenter.ftsText` (stored as
/// `meta.fts.segmentation`; missing means 1, surface words only). Every passage gets its text segmented again with
/// its document's language, in the caller's transaction: a crash leaves the old rows. `passage_fts_vocab` is an
/// `fts5vocab` view of the same index, so it follows. Idempotent; nothing to do on an index without passages.
enum FTSResegmentation {
    /// The segmentation version of `passage_fts`'s rows (1 when never recorded: indexes made before stemming).
    static func storedVersion(_ db: Database) throws -> Int {
        try MetaKey.read(db, MetaKey.ftsSegmentation).flatMap(Int.init) ?? 1
    }

    /// Re-segments when the stored version differs from `WordSegmenter.segmentationVersion`, then records it.
    /// Returns the number of passages re-segmented. Files still being created (no `meta.format` yet) are left to
    /// their creator, which records the version with the other meta rows.
    @discardableResult
    static func bringUpToDate(_ db: Database) throws -> Int {
        guard try MetaKey.read(db, MetaKey.format) != nil,
              try storedVersion(db) != WordSegmenter.segmentationVersion else { return 0 }
        let count = try resegment(db)
        try MetaKey.write(db, MetaKey.ftsSegmentation, String(WordSegmenter.segmentationVersion))
        return count
    }

    /// Replaces every FTS row with the current segmentation of its passage and returns how many were written.
    static func resegment(_ db: Database) throws -> Int {
        try db.execute(sql: "DELETE FROM passage_fts")
        let insert = try db.cachedStatement(sql: "INSERT INTO passage_fts(rowid, words) VALUES (?, ?)")
        let rows = try Row.fetchCursor(db, sql: """
            SELECT p.id, p.text, d.language FROM passages p JOIN documents d ON d.id = p.document ORDER BY p.id
            """)
        var count = 0
        while let row = try rows.next() {
            let id: Int64 = row[0], text: String = row[1], language: String? = row[2]
            try insert.execute(arguments: [id, WordSegmenter.ftsText(text, language: language)])
            count += 1
        }
        // One b-tree segment instead of hundreds of small ones from the row-by-row inserts.
        if count > 0 { try db.execute(sql: "INSERT INTO passage_fts(passage_fts) VALUES ('optimize')") }
        return count
    }
}
