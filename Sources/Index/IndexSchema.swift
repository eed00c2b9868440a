import GRDB

/// The index's tables, as append-only migrations: a released migration is never edited, a change is a new
/// `registerMigration` at the end. docs/INDEX.md documents every table; keep the two in step.
enum IndexSchema {
    /// The value of `meta.format` that marks a file as a Ferret index.
    static let format = "ferret-index"

    /// Every table the migrations create, plus GRDB's and SQLite's own (FTS5 shadow tables start with `passage_fts`).
    static let tableNames: Set<String> = [
        "grdb_migrations", "sqlite_sequence", "meta", "documents", "passages", "passage_vectors", "passage_codes",
        "centroids", "postings", "postings_delta", "tombstones", "skipped", "runs", "residual_codecs", "passage_residuals",
    ]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-core") { db in
            try db.execute(sql: """
                CREATE TABLE meta (
                    key   TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE documents (
                    id           INTEGER PRIMARY KEY AUTOINCREMENT,
                    path         TEXT NOT NULL UNIQUE,
                    content_hash TEXT NOT NULL,
                    size         INTEGER NOT NULL,
                    modified     REAL NOT NULL,
                    language     TEXT,
                    title        TEXT,
                    indexed_at   REAL NOT NULL
                );

                CREATE TABLE passages (
                    id          INTEGER PRIMARY KEY AUTOINCREMENT,
                    document    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                    ordinal     INTEGER NOT NULL,
                    byte_start  INTEGER NOT NULL,
                    byte_end    INTEGER NOT NULL,
                    line_start  INTEGER NOT NULL,
                    line_end    INTEGER NOT NULL,
                    page        INTEGER,
                    token_count INTEGER NOT NULL,
                    text        TEXT NOT NULL,
                    UNIQUE (document, ordinal)
                );

                -- Small columns first: reading `count` must not walk the vector BLOB's overflow pages.
                CREATE TABLE passage_vectors (
                    passage   INTEGER PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,
                    count     INTEGER NOT NULL,
                    token_ids BLOB,
                    vectors   BLOB NOT NULL
                );

                -- Nearest centroid of every token (u16 or u32 LE by centroid count); rewritten on re-training, so
                -- kept apart from the vectors (an UPDATE rewrites the whole row).
                CREATE TABLE passage_codes (
                    passage INTEGER PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,
                    codes   BLOB NOT NULL
                );

                CREATE VIRTUAL TABLE passage_fts USING fts5(words, tokenize = 'unicode61 remove_diacritics 2');

                CREATE TABLE centroids (
                    generation        INTEGER PRIMARY KEY,
                    count             INTEGER NOT NULL,
                    dimension         INTEGER NOT NULL,
                    trained_on_tokens INTEGER NOT NULL,
                    vectors           BLOB NOT NULL
                );

                CREATE TABLE postings (
                    centroid INTEGER PRIMARY KEY,
                    passages BLOB NOT NULL
                );

                CREATE TABLE postings_delta (
                    centroid INTEGER NOT NULL,
                    passage  INTEGER NOT NULL,
                    PRIMARY KEY (centroid, passage)
                ) WITHOUT ROWID;

                CREATE TABLE tombstones (
                    passage INTEGER PRIMARY KEY
                );

                CREATE TABLE skipped (
                    path        TEXT PRIMARY KEY NOT NULL,
                    reason      TEXT NOT NULL,
                    recorded_at REAL NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE runs (
                    id        INTEGER PRIMARY KEY AUTOINCREMENT,
                    started   REAL NOT NULL,
                    finished  REAL NOT NULL,
                    added     INTEGER NOT NULL,
                    updated   INTEGER NOT NULL,
                    removed   INTEGER NOT NULL,
                    unchanged INTEGER NOT NULL,
                    failed    INTEGER NOT NULL,
                    passages  INTEGER NOT NULL,
                    tokens    INTEGER NOT NULL
                );
                """)
        }
        // Two-level centroids (see CentroidSet): the coarse centroids (float32 [cells, dimension]) and the first
        // fine centroid of every cell plus the total (u32 LE, cells + 1 values). NULL: a flat set.
        migrator.registerMigration("v2-coarse-centroids") { db in
            try db.execute(sql: """
                ALTER TABLE centroids ADD COLUMN coarse BLOB;
                ALTER TABLE centroids ADD COLUMN cell_starts BLOB;
                """)
        }
        // Document frequency per FTS5 term, to drop head terms from OR queries (FTS5 scores every match).
        migrator.registerMigration("v3-fts-vocabulary") { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE passage_fts_vocab USING fts5vocab(passage_fts, 'row')")
        }
        // Container formats (issue 10): where a passage is (`page=3`, `slide=2`, `sheet=Q3`) and the headings above
        // it (a JSON array of strings); which extractor and version made each document (a new version re-extracts);
        // why a path was skipped, as a kind to group by (`binary`, `symlinkLoop`, …).
        migrator.registerMigration("v4-locations") { db in
            try db.execute(sql: """
                ALTER TABLE passages ADD COLUMN location TEXT;
                ALTER TABLE passages ADD COLUMN heading_path TEXT;
                ALTER TABLE documents ADD COLUMN extractor TEXT;
                ALTER TABLE skipped ADD COLUMN kind TEXT;
                """)
        }
        // Word forms (issue 11): `passage_fts` holds each word's Snowball stem after it, in its document's language.
        // Re-segments existing rows; later segmentation changes bump `meta.fts.segmentation` instead (checked on
        // every open). Older builds refuse the file rather than add unstemmed rows to it.
        migrator.registerMigration("v5-stemmed-fts") { db in
            try FTSResegmentation.bringUpToDate(db)
        }
        // Residual compression (issue 15, PLAID): the buckets of the current centroid generation (f32 LE cut-points
        // and reconstruction values) and, per compressed passage, its packed residuals `[count, dimension·bits/8]`
        // against the fine centroids named by its `passage_codes`. A compressed passage keeps its `passage_vectors`
        // row (count, token ids) with an empty `vectors` BLOB. Nothing to convert: existing passages stay float16.
        migrator.registerMigration("v6-residual-codes") { db in
            try db.execute(sql: """
                CREATE TABLE residual_codecs (
                    generation INTEGER PRIMARY KEY,
                    bits       INTEGER NOT NULL,
                    dimension  INTEGER NOT NULL,
                    cutoffs    BLOB NOT NULL,
                    weights    BLOB NOT NULL
                );

                CREATE TABLE passage_residuals (
                    passage   INTEGER PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,
                    residuals BLOB NOT NULL
                );
                """)
        }
        return migrator
    }

    /// Number of migrations this build knows; `status` reports it as `schema_version`.
    static var version: Int { migrator.migrations.count }
}
