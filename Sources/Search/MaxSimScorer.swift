import Index
import Kernels

/// Exact ColBERT late-interaction scores of many passages against one query:
/// `score(P) = Σ_i max_j q_i · p_j` (summed over query tokens, not averaged).
///
/// Passages are decoded (float16 → float32) into one batch of up to `batchTokens` rows, and the whole batch is scored
/// with one GEMM `sims[rows, q] = P · Qᵀ` followed by a 16-lane running max per passage. Measured here (one core):
/// GEMM ≈ 83 ns, decoding ≈ 28 ns and the max ≈ 1 ns per passage token at q = 32, d = 128; a per-passage GEMM was no
/// faster, and the scalar max loop cost 50 ns per token.
public final class MaxSimScorer {
    public let queryCount: Int
    public let dimension: Int
    private let query: [Float]          // [q, d]
    private let lanes: Int              // q rounded up to 16: the stride of `similarities`
    private var capacity: Int           // rows the scratch holds
    private var tokens: [Float]         // [capacity, d]
    private var similarities: [Float]   // [capacity, lanes]
    private var pending: [(id: Int64, start: Int, count: Int)] = []
    private var filled = 0
    /// `(passage id, score)` in the order passages were added.
    public private(set) var results: [(id: Int64, score: Float)] = []

    public init(query: QueryVectors, batchTokens: Int = 4096) {
        queryCount = query.count
        dimension = query.dimension
        self.query = query.vectors
        lanes = max(16, (query.count + 15) / 16 * 16)
        capacity = max(batchTokens, 1)
        tokens = [Float](repeating: 0, count: capacity * query.dimension)
        similarities = [Float](repeating: 0, count: capacity * lanes)
    }

    /// Queues a passage given as stored bytes (`count × dimension` values in `encoding`).
    public func add(id: Int64, count: Int, bytes: UnsafeRawBufferPointer, encoding: VectorEncoding) {
        reserve(count)
        tokens.withUnsafeMutableBufferPointer { buffer in
            encoding.decode(bytes, count: count * dimension, into: buffer.baseAddress! + filled * dimension)
        }
        pending.append((id, filled, count))
        filled += count
    }

    /// Queues a passage as the index stores it, dense or residual codes: decoded straight into the batch (a
    /// compressed passage is rebuilt token by token from its centroid and residual bytes, so no float copy of the
    /// candidates exists beyond the `batchTokens` being scored).
    public func add(id: Int64, stored: StoredVectors) {
        let count = stored.count
        reserve(count)
        tokens.withUnsafeMutableBufferPointer { buffer in
            stored.decode(into: buffer.baseAddress! + filled * dimension)
        }
        pending.append((id, filled, count))
        filled += count
    }

    /// Queues a passage given as float32 `[count, dimension]`.
    public func add(id: Int64, vectors: UnsafeBufferPointer<Float>) {
        let count = vectors.count / dimension
        reserve(count)
        if let source = vectors.baseAddress, count > 0 {
            tokens.withUnsafeMutableBufferPointer { buffer in
                (buffer.baseAddress! + filled * dimension).update(from: source, count: count * dimension)
            }
        }
        pending.append((id, filled, count))
        filled += count
    }

    /// Scores everything queued and returns all results so far.
    public func finish() -> [(id: Int64, score: Float)] {
        flush()
        return results
    }

    private func reserve(_ count: Int) {
        if filled + count > capacity { flush() }
        if count > capacity {
            capacity = count
            tokens = [Float](repeating: 0, count: capacity * dimension)
            similarities = [Float](repeating: 0, count: capacity * lanes)
        }
    }

    private func flush() {
        guard filled > 0 else { return }
        let (q, d, lanes) = (queryCount, dimension, lanes)
        query.withUnsafeBufferPointer { qp in
            tokens.withUnsafeBufferPointer { tp in
                similarities.withUnsafeMutableBufferPointer { sp in
                    LinearAlgebra.gemm(m: filled, n: q, k: d, a: tp.baseAddress!, lda: d, b: qp.baseAddress!, ldb: d,
                                       transposeB: true, c: sp.baseAddress!, ldc: lanes)
                    for passage in pending {
                        results.append((passage.id, Self.sumOfColumnMaxima(sp.baseAddress! + passage.start * lanes,
                                                                           rows: passage.count, stride: lanes, columns: q)))
                    }
                }
            }
        }
        pending.removeAll(keepingCapacity: true)
        filled = 0
    }

    /// `Σ_{c < columns} max_r m[r, c]` of a matrix with row stride `stride`. Reads 16 lanes at a time, so up to
    /// 15 columns past `columns` must be readable (they are ignored).
    static func sumOfColumnMaxima(_ m: UnsafePointer<Float>, rows: Int, stride: Int, columns: Int) -> Float {
        guard rows > 0 else { return 0 }
        let raw = UnsafeRawPointer(m)
        var total: Float = 0
        var block = 0
        while block < columns {
            // `replace(with:where:)` compiles to a vector compare and blend; `pointwiseMax` was 170× slower here.
            var best = raw.loadUnaligned(fromByteOffset: 4 * block, as: SIMD16<Float>.self)
            for r in 1..<rows {
                let v = raw.loadUnaligned(fromByteOffset: 4 * (r * stride + block), as: SIMD16<Float>.self)
                best.replace(with: v, where: v .> best)
            }
            for lane in 0..<16 where block + lane < columns { total += best[lane] }
            block += 16
        }
        return total
    }
}
