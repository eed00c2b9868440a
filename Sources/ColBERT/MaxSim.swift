import Kernels

extension ColBERTEncoder {
    /// ColBERT late-interaction score: for every query vector the largest dot product with any document vector,
    /// summed over the query vectors (not averaged; PyLate `colbert_scores`). An empty document scores 0.
    public static func maxSim(query: TokenVectors, document: TokenVectors) -> Float {
        precondition(query.dimension == document.dimension,
                     "query vectors have \(query.dimension) dimensions, document vectors \(document.dimension)")
        guard query.count > 0, document.count > 0 else { return 0 }
        let (q, d) = (query.count, document.count)
        let similarities = Self.similarities(query: query, document: document)  // [q, d]
        var total: Float = 0
        for row in 0..<q {
            var best = -Float.infinity
            for column in 0..<d { best = max(best, similarities[row * d + column]) }
            total += best
        }
        return total
    }

    /// Every query vector's dot product with every document vector, `[query.count, document.count]` row-major
    /// (one SGEMM).
    static func similarities(query: TokenVectors, document: TokenVectors) -> [Float] {
        let (q, d, k) = (query.count, document.count, query.dimension)
        var similarities = [Float](repeating: 0, count: q * d)
        guard q > 0, d > 0 else { return similarities }
        query.vectors.withUnsafeBufferPointer { qp in
            document.vectors.withUnsafeBufferPointer { dp in
                similarities.withUnsafeMutableBufferPointer { sp in
                    LinearAlgebra.gemm(m: q, n: d, k: k, a: qp.baseAddress!, lda: k, b: dp.baseAddress!, ldb: k,
                                       transposeB: true, c: sp.baseAddress!, ldc: d)
                }
            }
        }
        return similarities
    }
}
