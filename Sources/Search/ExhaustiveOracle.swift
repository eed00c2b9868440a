import Index
import Kernels

/// Exact MaxSim top-k of many queries in one pass over every stored vector: the reference the candidate scheme's
/// recall is measured against. Each block of passage tokens is decoded once and multiplied by all queries stacked
/// (`[rows, G·q]` = one GEMM), so G queries cost one read of the index instead of G.
public enum ExhaustiveOracle {
    /// Over the vectors the index stores (compressed passages decoded: the ranking MaxSim on codes would give if it
    /// scored every passage).
    public static func topK(queries: [QueryVectors], k: Int, database: IndexDatabase,
                            blockTokens: Int = 1024) throws -> [[(id: Int64, score: Float)]] {
        try topK(queries: queries, k: k, blockTokens: blockTokens) { add in
            try database.read { reader in
                try reader.forEachStoredVectors(passages: nil) { id, stored in
                    add(id, stored.count) { stored.decode(into: $0) }
                }
            }
        }
    }

    /// Over passages handed out by `passages`, which calls its argument once per passage with the id, the token
    /// count and a function writing the `[count, dimension]` float32 vectors to a buffer (the benchmark passes the
    /// original float vectors this way).
    public static func topK(queries: [QueryVectors], k: Int, blockTokens: Int = 1024,
                            passages: ((Int64, Int, (UnsafeMutablePointer<Float>) -> Void) -> Void) throws -> Void) rethrows
        -> [[(id: Int64, score: Float)]] {
        guard let first = queries.first else { return [] }
        let q = first.count, d = first.dimension
        precondition(queries.allSatisfy { $0.count == q && $0.dimension == d }, "oracle queries must share their shape")
        let columns = queries.count * q
        let stride = (columns + 15) / 16 * 16 + 16  // room for the last group's 16-lane reads
        let stacked = queries.flatMap(\.vectors)    // [G·q, d]
        var tokens = [Float](repeating: 0, count: blockTokens * d)
        var similarities = [Float](repeating: 0, count: blockTokens * stride)
        var pending: [(id: Int64, start: Int, count: Int)] = []
        var filled = 0
        var capacity = blockTokens
        var scores = [[(id: Int64, score: Float)]](repeating: [], count: queries.count)

        func flush() {
            guard filled > 0 else { return }
            stacked.withUnsafeBufferPointer { qp in
                tokens.withUnsafeBufferPointer { tp in
                    similarities.withUnsafeMutableBufferPointer { sp in
                        LinearAlgebra.gemm(m: filled, n: columns, k: d, a: tp.baseAddress!, lda: d, b: qp.baseAddress!,
                                           ldb: d, transposeB: true, c: sp.baseAddress!, ldc: stride)
                        for passage in pending {
                            let rows = sp.baseAddress! + passage.start * stride
                            for g in 0..<queries.count {
                                let score = MaxSimScorer.sumOfColumnMaxima(rows + g * q, rows: passage.count,
                                                                           stride: stride, columns: q)
                                scores[g].append((passage.id, score))
                            }
                        }
                    }
                }
            }
            pending.removeAll(keepingCapacity: true)
            filled = 0
        }

        try passages { id, count, write in
            if filled + count > capacity { flush() }
            if count > capacity {
                // A passage longer than a block: grow the scratch (rare; passages are ≤ document_length tokens).
                capacity = count
                tokens = [Float](repeating: 0, count: capacity * d)
                similarities = [Float](repeating: 0, count: capacity * stride)
            }
            tokens.withUnsafeMutableBufferPointer { buffer in write(buffer.baseAddress! + filled * d) }
            pending.append((id, filled, count))
            filled += count
        }
        flush()
        return scores.map { TopK.best($0, k: k) }
    }
}
