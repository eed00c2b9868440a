import Foundation
import GRDB

extension IndexDatabase {
    /// Runs `body` on one consistent snapshot of the index (a read transaction): what Search uses so that the
    /// centroids, postings and vectors of one query always belong together.
    public func read<T>(_ body: (IndexReader) throws -> T) throws -> T {
        try guarded { try pool.read { db in try body(IndexReader(db: db, index: self)) } }
    }

    /// Calls `body` with each passage's id, token count and decoded float32 vectors `[count, dimension]`
    /// (`passages` nil: every passage with vectors, in id order). The buffer is reused between calls.
    func forEachVectors(_ db: Database, passages: [Int64]?,
                        _ body: (Int64, Int, UnsafePointer<Float>) throws -> Void) throws {
        guard let dimension = encoder?.dimension else { return }
        var scratch: [Float] = []
        try forEachVectorBlob(db, passages: passages) { id, count, bytes in
            if scratch.count < count * dimension { scratch = [Float](repeating: 0, count: count * dimension) }
            try scratch.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                vectorEncoding.decode(bytes, count: count * dimension, into: base)
                try body(id, count, base)
            }
        }
    }

    /// Like `forEachVectors` but hands out the stored bytes, checked to hold `count × dimension` values.
    func forEachVectorBlob(_ db: Database, passages: [Int64]?,
                           _ body: (Int64, Int, UnsafeRawBufferPointer) throws -> Void) throws {
        guard let dimension = encoder?.dimension else { return }
        let rows: RowCursor
        if let passages {
            rows = try Row.fetchCursor(db, sql: """
                SELECT passage, count, vectors FROM passage_vectors WHERE passage IN (SELECT value FROM json_each(?))
                """, arguments: [Self.jsonList(passages)])
        } else {
            rows = try Row.fetchCursor(db, sql: "SELECT passage, count, vectors FROM passage_vectors ORDER BY passage")
        }
        while let row = try rows.next() {
            let id = try row.decode(Int64.self, atIndex: 0), count = try row.decode(Int.self, atIndex: 1)
            try row.withUnsafeData(atIndex: 2) { data in
                guard let data, count > 0, data.count == vectorEncoding.byteCount(tokens: count, dimension: dimension) else {
                    throw IndexError.corrupt(path: path, detail: "passage \(id) has \(data?.count ?? 0) vector bytes "
                                             + "for \(count) tokens of \(dimension) \(vectorEncoding.rawValue) values")
                }
                try data.withUnsafeBytes { try body(id, count, $0) }
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

    /// Calls `body` with each passage's id, token count and stored vector bytes (`vectorEncoding`,
    /// `[count, dimension]`); `passages` nil means every passage with vectors.
    public func forEachVectorBlob(passages: [Int64]?, _ body: (Int64, Int, UnsafeRawBufferPointer) throws -> Void) throws {
        try index.forEachVectorBlob(db, passages: passages, body)
    }

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
