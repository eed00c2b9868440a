import Foundation
import GRDB

extension IndexDatabase {
    /// The stored record of `path`, or nil if it was never indexed (or was removed).
    public func storedDocument(path: String) throws -> StoredDocument? {
        try guarded {
            try pool.read { db in
                try Row.fetchOne(db, sql: """
                    SELECT d.id, d.path, d.content_hash, d.size, d.modified, d.language, d.title,
                           (SELECT count(*) FROM passages p WHERE p.document = d.id) AS passage_count, d.extractor
                    FROM documents d WHERE d.path = ?
                    """, arguments: [path]).map { row in
                    StoredDocument(id: row[0], path: row[1], contentHash: row[2], size: row[3],
                                   modified: Date(timeIntervalSince1970: row[4]), language: row[5], title: row[6],
                                   passageCount: row[7], extractor: row[8])
                }
            }
        }
    }

    /// Every indexed path, sorted.
    public func documentPaths() throws -> [String] {
        try guarded { try pool.read { try String.fetchAll($0, sql: "SELECT path FROM documents ORDER BY path") } }
    }

    /// Replaces everything stored for `document.path` with `passages`, in one transaction: a crash leaves either the
    /// old or the new version. Vectors are checked against the index's encoder (none for a lexical-only index).
    public func replaceDocument(_ document: DocumentInput, passages: [PassageInput]) throws {
        let prepared = try passages.map { try PreparedPassage($0, document: document.path, language: document.language,
                                                               encoder: encoder, encoding: vectorEncoding) }
        let ordinals = Set(passages.map(\.ordinal))
        guard ordinals.count == passages.count else {
            throw IndexError.invalidPassage(path: document.path, ordinal: passages.map(\.ordinal).sorted().first { o in
                passages.filter { $0.ordinal == o }.count > 1 } ?? 0, detail: "the ordinal is used twice")
        }
        try guarded {
            try pool.write { db in
                let centroids = try currentCentroids(db)
                let now = Date().timeIntervalSince1970
                let documentID: Int64
                if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE path = ?", arguments: [document.path]) {
                    try deletePassages(db, ids: Int64.fetchAll(db, sql: "SELECT id FROM passages WHERE document = ?",
                                                               arguments: [existing]))
                    try db.execute(sql: """
                        UPDATE documents SET content_hash = ?, size = ?, modified = ?, language = ?, title = ?, indexed_at = ?,
                                             extractor = ?
                        WHERE id = ?
                        """, arguments: [document.contentHash, document.size, document.modified.timeIntervalSince1970,
                                         document.language, document.title, now, document.extractor, existing])
                    documentID = existing
                } else {
                    try db.execute(sql: """
                        INSERT INTO documents(path, content_hash, size, modified, language, title, indexed_at, extractor)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [document.path, document.contentHash, document.size,
                                         document.modified.timeIntervalSince1970, document.language, document.title, now,
                                         document.extractor])
                    documentID = db.lastInsertedRowID
                }
                for passage in prepared {
                    try insert(passage, document: documentID, centroids: centroids, db)
                }
            }
        }
    }

    /// Removes the documents at `paths` (unknown paths are ignored) and returns how many were removed.
    @discardableResult
    public func removeDocuments(paths: [String]) throws -> Int {
        try guarded {
            try pool.write { db in
                var removed = 0
                for path in paths {
                    guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE path = ?", arguments: [path]) else {
                        continue
                    }
                    try deletePassages(db, ids: Int64.fetchAll(db, sql: "SELECT id FROM passages WHERE document = ?",
                                                               arguments: [id]))
                    try db.execute(sql: "DELETE FROM documents WHERE id = ?", arguments: [id])
                    removed += 1
                }
                return removed
            }
        }
    }

    /// The passages with these ids, in the order given; ids that no longer exist are left out.
    public func passages(ids: [Int64]) throws -> [StoredPassage] {
        try guarded { try pool.read { try passages($0, ids: ids) } }
    }

    func passages(_ db: Database, ids: [Int64]) throws -> [StoredPassage] {
        guard !ids.isEmpty else { return [] }
        let found = try Row.fetchAll(db, sql: """
            SELECT p.id, d.path, p.ordinal, p.text, p.line_start, p.line_end, p.byte_start, p.byte_end, p.page, d.title,
                   p.location, p.heading_path
            FROM passages p JOIN documents d ON d.id = p.document
            WHERE p.id IN (SELECT value FROM json_each(?))
            """, arguments: [Self.jsonList(ids)]).map { row in
            StoredPassage(id: row[0], path: row[1], ordinal: row[2], text: row[3], lineStart: row[4],
                          lineEnd: row[5], byteStart: row[6], byteEnd: row[7], page: row[8], title: row[9],
                          location: row[10], headingPath: HeadingPathColumn.decode(row[11]))
        }
        let byID = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0] }
    }

    // MARK: - Rows

    private func insert(_ passage: PreparedPassage, document: Int64, centroids: CentroidSet?, _ db: Database) throws {
        let input = passage.input
        try db.execute(sql: """
            INSERT INTO passages(document, ordinal, byte_start, byte_end, line_start, line_end, page, token_count, text,
                                 location, heading_path)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [document, input.ordinal, input.byteStart, input.byteEnd, input.lineStart, input.lineEnd,
                             input.page, passage.tokenCount, input.text, input.location,
                             HeadingPathColumn.encode(input.headingPath)])
        let id = db.lastInsertedRowID
        try db.execute(sql: "INSERT INTO passage_fts(rowid, words) VALUES (?, ?)", arguments: [id, passage.ftsText])
        guard passage.tokenCount > 0, let blob = passage.vectorBlob else { return }
        guard let centroids else {
            try db.execute(sql: "INSERT INTO passage_vectors(passage, count, token_ids, vectors) VALUES (?, ?, ?, ?)",
                           arguments: [id, passage.tokenCount, passage.tokenIDBlob, blob])
            return
        }
        let codes = input.vectors.withUnsafeBufferPointer { vectors in
            [UInt32](unsafeUninitializedCapacity: passage.tokenCount) { buffer, initialized in
                if let v = vectors.baseAddress, let out = buffer.baseAddress {
                    centroids.assign(v, rowCount: passage.tokenCount, into: out)
                }
                initialized = passage.tokenCount
            }
        }
        // A residual index with centroids stores the codes and residuals only (the float16 BLOB was packed outside
        // the transaction, before the centroids were known; it is dropped).
        let codec = try compressingCodec(db, centroids: centroids)
        try db.execute(sql: "INSERT INTO passage_vectors(passage, count, token_ids, vectors) VALUES (?, ?, ?, ?)",
                       arguments: [id, passage.tokenCount, passage.tokenIDBlob, codec == nil ? blob : Data()])
        if let codec {
            let packed = input.vectors.withUnsafeBufferPointer {
                codec.encode($0.baseAddress!, count: passage.tokenCount, codes: codes, centroids: centroids)
            }
            try db.execute(sql: "INSERT INTO passage_residuals(passage, residuals) VALUES (?, ?)", arguments: [id, Data(packed)])
        }
        try insertCodes(db, passage: id, codes: codes, delta: true)
    }

    /// Stores a passage's codes and, with `delta`, lists it under each distinct centroid in `postings_delta`.
    func insertCodes(_ db: Database, passage: Int64, codes: [UInt32], delta: Bool) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO passage_codes(passage, codes) VALUES (?, ?)",
                       arguments: [passage, CodeBlob.encode(codes, width: 2)])
        guard delta else { return }
        let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO postings_delta(centroid, passage) VALUES (?, ?)")
        for centroid in Set(codes) {
            try statement.execute(arguments: [Int64(centroid), passage])
        }
    }

    /// Deletes passages with their FTS rows, vectors, codes and postings; passages already folded into `postings`
    /// get a tombstone until the next compaction.
    func deletePassages(_ db: Database, ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        let through = try MetaKey.read(db, MetaKey.postingsThrough).flatMap(Int64.init) ?? 0
        let deleteDelta = try db.cachedStatement(sql: "DELETE FROM postings_delta WHERE centroid = ? AND passage = ?")
        for id in ids {
            if let blob = try Data.fetchOne(db, sql: "SELECT codes FROM passage_codes WHERE passage = ?", arguments: [id]) {
                if id <= through {
                    try db.execute(sql: "INSERT OR IGNORE INTO tombstones(passage) VALUES (?)", arguments: [id])
                } else {
                    for centroid in Set(CodeBlob.decode(blob, width: 2)) {
                        try deleteDelta.execute(arguments: [Int64(centroid), id])
                    }
                }
            }
            try db.execute(sql: "DELETE FROM passage_fts WHERE rowid = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM passages WHERE id = ?", arguments: [id])
        }
    }

    /// `[1,2,3]`: a list bound as one argument and expanded with `json_each` (no statement per list length).
    static func jsonList(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }
}

/// A passage checked and converted outside the write transaction (segmentation and float16 packing are the slow
/// parts; the transaction only inserts rows).
struct PreparedPassage {
    let input: PassageInput
    let tokenCount: Int
    let ftsText: String
    let vectorBlob: Data?
    let tokenIDBlob: Data?

    /// `language` is the document's (`DocumentInput.language`): the stems in `ftsText` are that language's.
    init(_ input: PassageInput, document: String, language: String?, encoder: EncoderIdentity?,
         encoding: VectorEncoding) throws {
        self.input = input
        func invalid(_ detail: String) -> IndexError { .invalidPassage(path: document, ordinal: input.ordinal, detail: detail) }
        guard input.lineStart >= 1, input.lineEnd >= input.lineStart else {
            throw invalid("lines \(input.lineStart)-\(input.lineEnd) are not a 1-based inclusive range")
        }
        guard input.byteStart >= 0, input.byteEnd >= input.byteStart else {
            throw invalid("bytes \(input.byteStart)..<\(input.byteEnd) are not a range")
        }
        if let encoder {
            guard input.vectors.count % encoder.dimension == 0 else {
                throw invalid("\(input.vectors.count) values are not whole \(encoder.dimension)-d vectors (encoder \(encoder.name))")
            }
            guard input.vectors.allSatisfy(\.isFinite) else { throw invalid("its vectors contain NaN or infinity") }
            tokenCount = input.vectors.count / encoder.dimension
        } else {
            guard input.vectors.isEmpty else {
                throw invalid("it has vectors but the index is lexical-only; open the index with the encoder's identity")
            }
            tokenCount = 0
        }
        if let ids = input.tokenIDs, tokenCount > 0 {
            guard ids.count == tokenCount else { throw invalid("\(ids.count) token ids for \(tokenCount) vectors") }
            tokenIDBlob = CodeBlob.encode(ids.map { UInt32(truncatingIfNeeded: $0) }, width: 4)
        } else {
            tokenIDBlob = nil
        }
        vectorBlob = tokenCount > 0 ? encoding.encode(input.vectors) : nil
        ftsText = WordSegmenter.ftsText(input.text, language: language)
    }
}
