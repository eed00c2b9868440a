import Foundation
import GRDB
import Index
import Testing

/// `v5-stemmed-fts` and `meta.fts.segmentation`: indexes made before stemming are re-segmented on open.
@Suite struct FTSMigrationTests {
    /// Turns the index at `url` back into one of the previous schema: FTS rows of surface words only (what
    /// `WordSegmenter.ftsText` wrote before stems), no `v5-stemmed-fts` migration, no segmentation key.
    private func downgrade(_ url: URL) throws {
        let queue = try DatabaseQueue(path: url.path)
        try queue.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, text FROM passages")
            try db.execute(sql: "DELETE FROM passage_fts")
            for row in rows {
                try db.execute(sql: "INSERT INTO passage_fts(rowid, words) VALUES (?, ?)",
                               arguments: [row[0] as Int64, WordSegmenter.ftsText(row[1] as String)])
            }
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v5-stemmed-fts'")
            try db.execute(sql: "DELETE FROM meta WHERE key = 'fts.segmentation'")
        }
    }

    private func inspect(_ url: URL) throws -> (vocabulary: Set<String>, rows: Int, segmentation: String?) {
        let queue = try DatabaseQueue(path: url.path)
        return try queue.read { db in
            (Set(try String.fetchAll(db, sql: "SELECT term FROM passage_fts_vocab")),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM passage_fts") ?? -1,
             try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'fts.segmentation'"))
        }
    }

    @Test func aNewIndexRecordsTheSegmentation() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        do { _ = try IndexDatabase.open(at: url, encoder: nil) }
        #expect(try inspect(url).segmentation == String(WordSegmenter.segmentationVersion))
    }

    @Test func anOldIndexIsResegmentedWithEachDocumentsLanguage() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        do {
            let index = try IndexDatabase.open(at: url, encoder: nil)
            try index.replaceDocument(IndexFixtures.document("manual.txt"),  // language "en"
                                      passages: IndexFixtures.passages(["Descale once a month.", "Kettles and cups"], dimension: nil))
            var german = IndexFixtures.document("de.txt")
            german.language = "de"
            try index.replaceDocument(german, passages: IndexFixtures.passages(["Die Schaltungen"], dimension: nil))
            var unknown = IndexFixtures.document("unknown.txt")
            unknown.language = nil
            try index.replaceDocument(unknown, passages: IndexFixtures.passages(["Printers printed"], dimension: nil))
        }
        try downgrade(url)
        let before = try inspect(url)
        #expect(!before.vocabulary.contains("descal") && before.segmentation == nil && before.rows == 4)

        do {
            let index = try IndexDatabase.open(at: url, encoder: nil)
            let found = try index.read { try $0.lexicalMatches(terms: ["descaled"], limit: 5) }
            #expect(found.count == 1)
            #expect(try index.read { try $0.lexicalMatches(terms: ["Schaltung"], limit: 5) }.count == 1)
        }
        let after = try inspect(url)
        #expect(after.vocabulary.isSuperset(of: ["descale", "descal", "kettl", "schaltungen", "schaltung", "printed"]))
        #expect(!after.vocabulary.contains("print"))  // no language, no stems
        #expect(after.rows == 4 && after.segmentation == String(WordSegmenter.segmentationVersion))

        // Idempotent: opening again changes nothing.
        do { _ = try IndexDatabase.open(at: url, encoder: nil) }
        let again = try inspect(url)
        #expect(again.vocabulary == after.vocabulary && again.rows == 4)
    }

    @Test func anOlderSegmentationKeyAloneTriggersResegmentation() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        do {
            let index = try IndexDatabase.open(at: url, encoder: nil)
            try index.replaceDocument(IndexFixtures.document("manual.txt"),
                                      passages: IndexFixtures.passages(["Descale once a month."], dimension: nil))
        }
        try downgrade(url)
        // The migration already ran (a later segmentation change bumps only the key).
        try DatabaseQueue(path: url.path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v5-stemmed-fts')")
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('fts.segmentation', '1')")
        }
        do { _ = try IndexDatabase.open(at: url, encoder: nil) }
        let after = try inspect(url)
        #expect(after.vocabulary.contains("descal") && after.segmentation == String(WordSegmenter.segmentationVersion))
    }

    @Test func anOldEmptyIndexMigrates() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        do { _ = try IndexDatabase.open(at: url, encoder: nil) }
        try downgrade(url)
        do {
            let index = try IndexDatabase.open(at: url, encoder: nil)
            #expect(try index.read { try $0.lexicalMatches(terms: ["anything"], limit: 5) }.isEmpty)
        }
        let after = try inspect(url)
        #expect(after.rows == 0 && after.segmentation == String(WordSegmenter.segmentationVersion))
    }
}
