import GRDB

/// Keys of the `meta` table (a string → string map). `chunking.*` keys hold the chunker's settings verbatim.
enum MetaKey {
    static let format = "format"
    static let createdAt = "created_at"
    static let encoderName = "encoder.name"
    static let encoderFingerprint = "encoder.fingerprint"
    static let encoderLocation = "encoder.location"
    /// `EncoderIdentity.head`; absent in indexes written before it was recorded.
    static let encoderHead = "encoder.head"
    static let encoderRepository = "encoder.repository"
    static let dimension = "vector.dimension"
    static let vectorEncoding = "vector.encoding"
    static let chunkingPrefix = "chunking."
    /// Passages with an id up to this one are listed in `postings`; later ones in `postings_delta`.
    static let postingsThrough = "postings.through"
    /// Which `WordSegmenter.ftsText` made the rows of `passage_fts` (`WordSegmenter.segmentationVersion`).
    static let ftsSegmentation = "fts.segmentation"
    /// The folders (and single files) `ferret index` was given, as a JSON array: what `serve` may read by default.
    static let roots = "roots"

    static func read(_ db: Database, _ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
    }

    static func write(_ db: Database, _ key: String, _ value: String) throws {
        try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [key, value])
    }

    static func delete(_ db: Database, _ key: String) throws {
        try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
    }

    static func readAll(_ db: Database, prefix: String) throws -> [String: String] {
        let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM meta WHERE key >= ? AND key < ?",
                                    arguments: [prefix, prefix + "\u{10FFFF}"])
        var result: [String: String] = [:]
        for row in rows {
            let key: String = row[0]
            result[String(key.dropFirst(prefix.count))] = row[1]
        }
        return result
    }
}
