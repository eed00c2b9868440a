import Index
import Kernels

/// Where in a passage MaxSim found the query: every query vector aligns to its best passage token and votes for it
/// with that similarity.
struct Alignment {
    /// Aligned tokens placed in the text (UTF-8 byte ranges) with their summed votes, when tokens can be placed.
    var tokens: [(utf8Range: Range<Int>, weight: Float)] = []
    /// Relative position in [0, 1] of the heaviest eighth of the passage's tokens: the fallback focus when tokens
    /// cannot be placed (token positions mapped proportionally onto the text).
    var focus: Double
}

enum AlignmentFocus {
    static let bins = 8

    static func alignments(query: QueryVectors, passages: [(id: Int64, text: String)], reader: IndexReader,
                           locate: (@Sendable (String, [Int]) -> [Range<Int>?])?) throws -> [Int64: Alignment] {
        guard !passages.isEmpty else { return [:] }
        let texts = Dictionary(passages.map { ($0.id, $0.text) }, uniquingKeysWith: { first, _ in first })
        var result: [Int64: Alignment] = [:]
        let (q, d) = (query.count, query.dimension)
        var vectors: [Float] = []
        var similarities: [Float] = []
        try reader.forEachStoredVectors(passages: passages.map(\.id)) { id, stored in
            let count = stored.count
            if vectors.count < count * d { vectors = [Float](repeating: 0, count: count * d) }
            if similarities.count < q * count { similarities = [Float](repeating: 0, count: q * count) }
            vectors.withUnsafeMutableBufferPointer { v in
                stored.decode(into: v.baseAddress!)
                query.vectors.withUnsafeBufferPointer { qp in
                    similarities.withUnsafeMutableBufferPointer { s in
                        LinearAlgebra.gemm(m: q, n: count, k: d, a: qp.baseAddress!, lda: d, b: v.baseAddress!, ldb: d,
                                           transposeB: true, c: s.baseAddress!, ldc: count)
                    }
                }
            }
            var votes = [Float](repeating: 0, count: count)
            for i in 0..<q {
                var best = -Float.infinity, at = 0
                for j in 0..<count where similarities[i * count + j] > best {
                    best = similarities[i * count + j]
                    at = j
                }
                votes[at] += max(best, 0)
            }
            var weight = [Float](repeating: 0, count: bins)
            for (j, vote) in votes.enumerated() { weight[min(bins - 1, j * bins / count)] += vote }
            let bin = weight.indices.max { weight[$0] < weight[$1] } ?? 0
            var alignment = Alignment(focus: (Double(bin) + 0.5) / Double(bins))

            if let locate, let text = texts[id], let ids = try reader.tokenIDs(passage: id), ids.count == count {
                let ranges = locate(text, ids)
                for (j, vote) in votes.enumerated() where vote > 0 {
                    if let range = ranges[j] { alignment.tokens.append((range, vote)) }
                }
            }
            result[id] = alignment
        }
        return result
    }
}
