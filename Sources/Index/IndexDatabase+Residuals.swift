import Foundation
import GRDB

/// Residual compression in the file (`VectorStorage.residual`): the codec of the current centroid generation in
/// `residual_codecs`, each compressed passage's packed residuals in `passage_residuals` (its codes are its
/// `passage_codes`; its `passage_vectors.vectors` is empty). Invariant: every compressed passage is encoded against
/// the current centroids and codec — training replaces all three in one transaction.
extension IndexDatabase {
    /// The codec stored for `centroids`' generation, nil when there is none (a dense index, or one trained before it
    /// was compressed). A malformed row is reported as damage.
    func residualCodec(_ db: Database, centroids: CentroidSet) throws -> ResidualCodec? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT bits, dimension, cutoffs, weights FROM residual_codecs WHERE generation = ?
            """, arguments: [centroids.generation]) else { return nil }
        let damaged = { (detail: String) in
            IndexError.corrupt(path: self.path, detail: "residual codec of centroid generation \(centroids.generation): \(detail)")
        }
        let bits = try row.decode(Int.self, atIndex: 0), dimension = try row.decode(Int.self, atIndex: 1)
        let cutoffs = try row.decode(Data.self, atIndex: 2), weights = try row.decode(Data.self, atIndex: 3)
        guard dimension == centroids.dimension else {
            throw damaged("dimension \(dimension), the centroids have \(centroids.dimension)")
        }
        guard cutoffs.count % 4 == 0, weights.count % 4 == 0 else {
            throw damaged("\(cutoffs.count) and \(weights.count) bytes are not whole float32 values")
        }
        do {
            return try ResidualCodec(bits: bits, dimension: dimension, cutoffs: VectorEncoding.float32.decode(cutoffs),
                                     weights: VectorEncoding.float32.decode(weights))
        } catch {
            throw damaged("\(error)")
        }
    }

    /// Replaces the stored codec by `codec` for centroid generation `generation` (nil: none).
    func storeResidualCodec(_ codec: ResidualCodec?, generation: Int64, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM residual_codecs")
        guard let codec else { return }
        try db.execute(sql: """
            INSERT INTO residual_codecs(generation, bits, dimension, cutoffs, weights) VALUES (?, ?, ?, ?, ?)
            """, arguments: [generation, codec.bits, codec.dimension, VectorEncoding.float32.encode(codec.cutoffs),
                             VectorEncoding.float32.encode(codec.weights)])
    }

    /// Stores `packed` as the passage's residuals and empties its dense vectors (its codes are written by the caller).
    func storeResiduals(_ db: Database, passage: Int64, packed: [UInt8]) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO passage_residuals(passage, residuals) VALUES (?, ?)",
                       arguments: [passage, Data(packed)])
        try db.execute(sql: "UPDATE passage_vectors SET vectors = x'' WHERE passage = ?", arguments: [passage])
    }

    /// The codec to compress new passages with: the stored one when this index is residual and it matches its bits.
    func compressingCodec(_ db: Database, centroids: CentroidSet?) throws -> ResidualCodec? {
        guard let bits = vectorStorage.residualBits, let centroids,
              let codec = try residualCodec(db, centroids: centroids), codec.bits == bits else { return nil }
        return codec
    }

    /// Trains a codec of `bits` on the residuals of up to 65,536 vectors of `sample` against `centroids` (a sample
    /// held out from k-means: see `train`).
    static func trainResidualCodec(bits: Int, sample: [Float], centroids: CentroidSet) throws -> ResidualCodec {
        let d = centroids.dimension
        let rows = sample.count / d
        let step = max(1, rows / 65_536)
        var chosen: [Float] = []
        chosen.reserveCapacity((rows / step + 1) * d)
        for r in stride(from: 0, to: rows, by: step) { chosen += sample[(r * d)..<((r + 1) * d)] }
        let n = chosen.count / d
        var codes = [UInt32](repeating: 0, count: n)
        chosen.withUnsafeBufferPointer { p in
            codes.withUnsafeMutableBufferPointer { centroids.assign(p.baseAddress!, rowCount: n, into: $0.baseAddress!) }
        }
        for (t, code) in codes.enumerated() {
            for i in 0..<d { chosen[t * d + i] -= centroids.vectors[Int(code) * d + i] }
        }
        return try ResidualCodec.train(residuals: chosen, bits: bits, dimension: d)
    }
}

/// One passage's stored token vectors, as `IndexReader.forEachStoredVectors` hands them out: checked against the
/// index (lengths, codes within the centroids), valid only inside the callback (it points into SQLite's buffers).
public struct StoredVectors {
    public let count: Int
    public let dimension: Int
    let form: Form

    enum Form {
        case dense(UnsafeRawBufferPointer, VectorEncoding)
        case residual(codes: UnsafeRawBufferPointer, residuals: UnsafeRawBufferPointer, codec: ResidualCodec,
                      centroids: CentroidSet)
    }

    /// True when the passage is stored as residual codes (decoding is approximate).
    public var isCompressed: Bool {
        if case .residual = form { return true }
        return false
    }

    /// Writes the passage's float32 vectors `[count, dimension]` to `out`.
    @inline(__always)
    public func decode(into out: UnsafeMutablePointer<Float>) {
        switch form {
        case .dense(let bytes, let encoding):
            encoding.decode(bytes, count: count * dimension, into: out)
        case .residual(let codes, let residuals, let codec, let centroids):
            let decoded = codec.decode(codes: codes, residuals: residuals, count: count, centroids: centroids, into: out)
            precondition(decoded, "residual row checked by IndexReader")
        }
    }
}
