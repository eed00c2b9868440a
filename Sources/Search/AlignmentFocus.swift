import Index
import Kernels

/// Where in a passage MaxSim found the query: each query token votes, with its similarity, for the passage token it
/// aligned to; the passage is cut into 8 equal stretches of tokens and the stretch with the most weight wins.
/// Returned as a relative position in [0, 1] for `SnippetBuilder` (token offsets are not stored).
enum AlignmentFocus {
    static let bins = 8

    static func positions(query: QueryVectors, passages: [Int64], reader: IndexReader) throws -> [Int64: Double] {
        guard !passages.isEmpty else { return [:] }
        var result: [Int64: Double] = [:]
        let (q, d) = (query.count, query.dimension)
        var vectors: [Float] = []
        var similarities: [Float] = []
        try reader.forEachVectorBlob(passages: passages) { id, count, bytes in
            if vectors.count < count * d { vectors = [Float](repeating: 0, count: count * d) }
            if similarities.count < q * count { similarities = [Float](repeating: 0, count: q * count) }
            vectors.withUnsafeMutableBufferPointer { v in
                reader.vectorEncoding.decode(bytes, count: count * d, into: v.baseAddress!)
                query.vectors.withUnsafeBufferPointer { qp in
                    similarities.withUnsafeMutableBufferPointer { s in
                        LinearAlgebra.gemm(m: q, n: count, k: d, a: qp.baseAddress!, lda: d, b: v.baseAddress!, ldb: d,
                                           transposeB: true, c: s.baseAddress!, ldc: count)
                    }
                }
            }
            var weight = [Float](repeating: 0, count: bins)
            for i in 0..<q {
                var best = -Float.infinity, at = 0
                for j in 0..<count where similarities[i * count + j] > best {
                    best = similarities[i * count + j]
                    at = j
                }
                weight[min(bins - 1, at * bins / count)] += max(best, 0)
            }
            let bin = weight.indices.max { weight[$0] < weight[$1] } ?? 0
            result[id] = (Double(bin) + 0.5) / Double(bins)
        }
        return result
    }
}
