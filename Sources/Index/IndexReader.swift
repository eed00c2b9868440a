import Foundation
import GRDB

extension IndexDatabase {
    /// Runs `body` on one consistent snapshot of the index (a read transaction): what Search uses so that the
    /// centroids, postings and vectors of one query always belong together.
    public func read<T>(_ body: (IndexReader) throws -> T) throws -> T {
        try guarded { try pool.read { db in try body(IndexReader(db: db, index: self)) } }
    }

    /// Calls `body` with each passage's id, token count and decoded float32 vectors `[count, dimension]`
    /// (`passages` nil: every passage with vectors, in id order). The buffer is reused between calls. Compressed
    /// passages come out decoded (approximately).
    func forEachVectors(_ db: Database, passages: [Int64]?,
                        _ body: (Int64, Int, UnsafePointer<Float>) throws -> Void) throws {
        guard let dimension = encoder?.dimension else { return }
        var scratch: [Float] = []
        try forEachStoredVectors(db, passages: passages) { id, stored in
            let count = stored.count
            if scratch.count < count * dimension { scratch = [Float](repeating: 0, count: count * dimension) }
            try scratch.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                stored.decode(into: base)
                try body(id, count, base)
            }
        }
    }

    /// Like `forEachVectors` but hands out bytes in `vectorEncoding`, checked to hold `count × dimension` values:
    /// the stored bytes of a dense passage; a compressed passage decoded and re-encoded (slower: for callers that
    /// read a few passages; search uses `forEachStoredVectors`).
    func forEachVectorBlob(_ db: Database, passages: [Int64]?,
                           _ body: (Int64, Int, UnsafeRawBufferPointer) throws -> Void) throws {
        guard let dimension = encoder?.dimension else { return }
        try forEachStoredVectors(db, passages: passages) { id, stored in
            switch stored.form {
            case .dense(let bytes, _):
                try body(id, stored.count, bytes)
            case .residual:
                var floats = [Float](repeating: 0, count: stored.count * dimension)
                floats.withUnsafeMutableBufferPointer { stored.decode(into: $0.baseAddress!) }
                try vectorEncoding.encode(floats).withUnsafeBytes { try body(id, stored.count, $0) }
            }
        }
    }

    /// Each passage's stored vectors, dense or compressed, checked: a count, BLOB length or code that does not fit
    /// the index is reported as damage before `body` sees it (`passages` nil: every passage with vectors, in id order).
    func forEachStoredVectors(_ db: Database, passages: [Int64]?,
                              _ body: (Int64, StoredVectors) throws -> Void) throws {
        guard let dimension = encoder?.dimension else { return }
        let select = """
            SELECT v.passage, v.count, v.vectors, r.residuals, c.codes
            FROM passage_vectors v LEFT JOIN passage_residuals r ON r.passage = v.passage
                 LEFT JOIN passage_codes c ON c.passage = r.passage
            """
        let rows: RowCursor
        if let passages {
            rows = try Row.fetchCursor(db, sql: select + " WHERE v.passage IN (SELECT value FROM json_each(?))",
                                       arguments: [Self.jsonList(passages)])
        } else {
            rows = try Row.fetchCursor(db, sql: select + " ORDER BY v.passage")
        }
        // Loaded at the first compressed passage: a dense index never reads them here.
        var residualContext: (codec: ResidualCodec, centroids: CentroidSet)?
        while let row = try rows.next() {
            let id = try row.decode(Int64.self, atIndex: 0), count = try row.decode(Int.self, atIndex: 1)
            guard count > 0 else {
                throw IndexError.corrupt(path: path, detail: "passage \(id) has \(count) token vectors")
            }
            try row.withUnsafeData(atIndex: 3) { residuals in
                guard let residuals else {
                    try row.withUnsafeData(atIndex: 2) { data in
                        guard let data, data.count == vectorEncoding.byteCount(tokens: count, dimension: dimension) else {
                            throw IndexError.corrupt(path: path, detail: "passage \(id) has \(data?.count ?? 0) vector bytes "
                                                     + "for \(count) tokens of \(dimension) \(vectorEncoding.rawValue) values")
                        }
                        try data.withUnsafeBytes {
                            try body(id, StoredVectors(count: count, dimension: dimension, form: .dense($0, vectorEncoding)))
                        }
                    }
                    return
                }
                if residualContext == nil {
                    guard let centroids = try currentCentroids(db), let codec = try residualCodec(db, centroids: centroids) else {
                        throw IndexError.corrupt(path: path, detail: "passage \(id) is stored as residual codes but the "
                                                 + "index has no centroids and residual codec to decode them")
                    }
                    residualContext = (codec, centroids)
                }
                let (codec, centroids) = residualContext!
                try row.withUnsafeData(atIndex: 4) { codes in
                    guard let codes, codes.count / 2 == count, codes.count % 2 == 0,
                          residuals.count / codec.bytesPerToken == count, residuals.count % codec.bytesPerToken == 0 else {
                        throw IndexError.corrupt(path: path, detail: "passage \(id) has \(codes?.count ?? 0) code bytes and "
                                                 + "\(residuals.count) residual bytes for \(count) tokens at "
                                                 + "\(codec.bits) bits × \(dimension) values")
                    }
                    try codes.withUnsafeBytes { c in
                        for t in 0..<count where Int(UInt16(littleEndian: c.loadUnaligned(fromByteOffset: 2 * t, as: UInt16.self)))
                            >= centroids.count {
                            throw IndexError.corrupt(path: path, detail: "passage \(id) has a code past the "
                                                     + "\(centroids.count) centroids")
                        }
                        try residuals.withUnsafeBytes { r in
                            try body(id, StoredVectors(count: count, dimension: dimension,
                                                       form: .residual(codes: c, residuals: r, codec: codec, centroids: centroids)))
                        }
                    }
                }
            }
        }
    }
}

/// Read access to one snapshot of the index, for Search. Valid only inside `IndexDatabase.read`.
public struct IndexReader {
    let db: Database
    let index: IndexDatabase

    public var encoder: EncoderIdentity? { index.encoder }
    public var vectorEncoding: VectorEncoding { index.vectorEncoding }

    /// The centroids, or nil while the index is small enough to score exhaustively.
    public func centroids() throws -> CentroidSet? { try index.currentCentroids(db) }

    /// The largest passage id ever used: ids run from 1 to this (with holes left by removals). Search sizes per-passage
    /// tables with it, so an id past the 32-bit posting lists' range is reported as damage rather than allocated.
    public func maxPassageID() throws -> Int64 {
        let id = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM passages") ?? 0
        guard id <= Int64(UInt32.max) else {
            throw IndexError.corrupt(path: index.path, detail: "passage id \(id) is beyond the 32-bit range of passage ids")
        }
        return id
    }

    /// For each of `centroids`, the sorted ids of the passages with a token assigned to it (removed passages left
    /// out). Centroids with no passages are absent from the result.
    public func postings(centroids: [Int]) throws -> [Int: [UInt32]] {
        guard !centroids.isEmpty else { return [:] }
        let list = IndexDatabase.jsonList(centroids.map(Int64.init))
        var result: [Int: [UInt32]] = [:]
        let main = try Row.fetchCursor(db, sql: """
            SELECT centroid, passages FROM postings WHERE centroid IN (SELECT value FROM json_each(?))
            """, arguments: [list])
        while let row = try main.next() {
            let centroid: Int = row[0]
            try row.withUnsafeData(atIndex: 1) { data in
                guard let data else { return }
                result[centroid] = data.withUnsafeBytes { raw in
                    (0..<raw.count / 4).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) }
                }
            }
        }
        let delta = try Row.fetchCursor(db, sql: """
            SELECT centroid, passage FROM postings_delta WHERE centroid IN (SELECT value FROM json_each(?))
            """, arguments: [list])
        while let row = try delta.next() {
            result[row[0] as Int, default: []].append(UInt32(truncatingIfNeeded: row[1] as Int64))
        }
        let tombstones = Set(try Int64.fetchAll(db, sql: "SELECT passage FROM tombstones").map { UInt32(truncatingIfNeeded: $0) })
        if !tombstones.isEmpty {
            for (centroid, ids) in result { result[centroid] = ids.filter { !tombstones.contains($0) } }
        }
        return result
    }

    /// Calls `body` with each passage's id, token count and vector bytes (`vectorEncoding`, `[count, dimension]`;
    /// compressed passages decoded and re-encoded); `passages` nil means every passage with vectors.
    public func forEachVectorBlob(passages: [Int64]?, _ body: (Int64, Int, UnsafeRawBufferPointer) throws -> Void) throws {
        try index.forEachVectorBlob(db, passages: passages, body)
    }

    /// Calls `body` with each passage's id and stored vectors, dense or compressed (decode them with
    /// `StoredVectors.decode`); `passages` nil means every passage with vectors, in id order.
    public func forEachStoredVectors(passages: [Int64]?, _ body: (Int64, StoredVectors) throws -> Void) throws {
        try index.forEachStoredVectors(db, passages: passages, body)
    }

    /// Calls `body` with each passage's id, token count and float32 vectors `[count, dimension]` (compressed
    /// passages decoded); the buffer is reused between calls.
    public func forEachVectors(passages: [Int64]?, _ body: (Int64, Int, UnsafePointer<Float>) throws -> Void) throws {
        try index.forEachVectors(db, passages: passages, body)
    }

    /// How the index stores vectors (`meta.vector.encoding`).
    public var vectorStorage: VectorStorage { index.vectorStorage }

    /// Calls `body` with each passage's centroid codes (one UInt16 per token, little-endian in the buffer: `count`
    /// codes). Passages without codes (indexed before the centroids existed and not yet re-assigned) are skipped.
    public func forEachCodes(passages: [Int64], _ body: (Int64, UnsafeRawBufferPointer) throws -> Void) throws {
        guard !passages.isEmpty else { return }
        let rows = try Row.fetchCursor(db, sql: """
            SELECT passage, codes FROM passage_codes WHERE passage IN (SELECT value FROM json_each(?))
            """, arguments: [IndexDatabase.jsonList(passages)])
        while let row = try rows.next() {
            let id: Int64 = row[0]
            try row.withUnsafeData(atIndex: 1) { data in
                guard let data else { return }
                try data.withUnsafeBytes { try body(id, $0) }
            }
        }
    }

    /// The number of passages in the index.
    public func passageCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM passages") ?? 0
    }

    /// Every document's id and path.
    public func documents() throws -> [(id: Int64, path: String)] {
        try Row.fetchAll(db, sql: "SELECT id, path FROM documents").map { ($0[0], $0[1]) }
    }

    /// The passages of these documents with their token counts.
    public func passageTokenCounts(documents: [Int64]) throws -> [(id: Int64, tokens: Int)] {
        try Row.fetchAll(db, sql: """
            SELECT id, token_count FROM passages WHERE document IN (SELECT value FROM json_each(?))
            """, arguments: [IndexDatabase.jsonList(documents)]).map { ($0[0], $0[1]) }
    }

    /// Stored token ids of a passage (nil when the indexer gave none).
    public func tokenIDs(passage: Int64) throws -> [Int]? {
        guard let blob = try Data.fetchOne(db, sql: "SELECT token_ids FROM passage_vectors WHERE passage = ?",
                                           arguments: [passage]) else { return nil }
        return CodeBlob.decode(blob, width: 4).map(Int.init)
    }

    /// The passages with these ids, in the order given.
    public func passages(ids: [Int64]) throws -> [StoredPassage] {
        try index.passages(db, ids: ids)
    }
}
