import ColBERT
import Foundation
import Kernels
import TestSupport

/// One of the PyLate references written by scripts/fixtures/colbert.py, with the encoder of its folder.
struct ColBERTReference: Decodable {
    struct Case: Decodable {
        let text: String
        let input_ids: [Int]
        let attention_mask: [Int]
        let kept_ids: [Int]
    }

    let model: String
    let dimension: Int
    let query_length: Int
    let document_length: Int
    let query_prefix_id: Int
    let document_prefix_id: Int
    let pad_id: Int
    let skiplist_ids: [Int]
    let vectors: String
    let queries: [Case]
    let documents: [Case]
    let scores: [[Float]]

    /// The fixture kinds: a causal backbone (LFM2-ColBERT) and a bidirectional one (LFM2.5-ColBERT).
    static let kinds = ["causal", "bidir"]

    static func load(_ kind: String) throws -> ColBERTReference {
        try Fixtures.decode(ColBERTReference.self, from: "colbert-\(kind)-reference.json")
    }

    /// The fixture encoder; F32 by default, which must match PyLate to float rounding.
    static func encoder(_ kind: String, precision: Precision = .f32) throws -> ColBERTEncoder {
        try ColBERTEncoder.load(directory: Fixtures.url("colbert-\(kind)-tiny"), precision: precision)
    }

    /// PyLate's kept vectors per text, queries first, split from the one `.f32` file.
    func referenceVectors() throws -> (queries: [TokenVectors], documents: [TokenVectors]) {
        let all = try Fixtures.floats(vectors)
        var offset = 0
        func take(_ cases: [Case]) -> [TokenVectors] {
            cases.map { item in
                let count = item.kept_ids.count * dimension
                defer { offset += count }
                return TokenVectors(ids: item.kept_ids, vectors: Array(all[offset ..< offset + count]), dimension: dimension)
            }
        }
        let queries = take(self.queries)
        let documents = take(self.documents)
        precondition(offset == all.count, "\(vectors) holds \(all.count) floats, the reference lists \(offset)")
        return (queries, documents)
    }
}
