import ColBERT
import Foundation
import Kernels
import Testing
import TestSupport

/// The fixture encoders at their stored BF16 precision (BF16 matrices, and on AVX512-BF16 CPUs activations rounded
/// to BF16 in the matrix products) against PyLate's float32 reference: every vector within cosine 0.999, every
/// MaxSim ranking unchanged beyond near-ties.
@Suite struct ColBERTBF16Tests {
    @Test(arguments: ColBERTReference.kinds)
    func vectorsStayCloseToPyLate(kind: String) throws {
        let (encoder, reference) = (try ColBERTReference.encoder(kind, precision: .auto), try ColBERTReference.load(kind))
        let expected = try reference.referenceVectors()
        var worst: Float = 1
        for (role, cases, vectors) in [(TextRole.query, reference.queries, expected.queries),
                                       (.document, reference.documents, expected.documents)] {
            for (item, want) in zip(cases, vectors) {
                let got = try encoder.encode(item.text, as: role)
                try #require(got.ids == want.ids, "\(kind) \(role) \(item.text.debugDescription): kept ids differ")
                for token in 0..<got.count {
                    let similarity = cosine(got.vector(token), want.vector(token))
                    worst = min(worst, similarity)
                    #expect(similarity >= 0.999, "\(kind) \(role) \(item.text.debugDescription) token \(token): \(similarity)")
                }
            }
        }
        print("\(kind) BF16 (\(KernelPath.current.rawValue)): min cosine to PyLate \(worst)")
    }

    /// Scores move by less than `scoreTolerance / 2`, so every pair of documents whose reference scores differ by more
    /// than `scoreTolerance` (about 1 % of a score) keeps its order. (The random fixtures have near-ties, 0.0003 apart on scores near 8,
    /// that no reduced-precision arithmetic can be asked to keep.)
    static let scoreTolerance: Float = 0.1

    @Test(arguments: ColBERTReference.kinds)
    func maxSimRankingsAreUnchanged(kind: String) throws {
        let (encoder, reference) = (try ColBERTReference.encoder(kind, precision: .auto), try ColBERTReference.load(kind))
        let documents = try encoder.encodeDocuments(reference.documents.map(\.text))
        var worst: Float = 0
        for (index, query) in reference.queries.enumerated() {
            let vectors = try encoder.encodeQuery(query.text)
            let mine = documents.map { ColBERTEncoder.maxSim(query: vectors, document: $0) }
            let expected = reference.scores[index]
            worst = max(worst, zip(mine, expected).map { abs($0 - $1) }.max() ?? 0)
            for i in expected.indices {
                for j in expected.indices where expected[i] > expected[j] + Self.scoreTolerance {
                    #expect(mine[i] > mine[j], "\(kind) query \(index): documents \(i) and \(j) swapped")
                }
            }
        }
        print("\(kind) BF16: largest MaxSim score difference \(worst)")
        #expect(worst < Self.scoreTolerance / 2)
    }

    /// `auto` keeps BF16 storage (half the bytes of F32); `f32` widens; `bf16` on a BF16 folder changes nothing.
    @Test func precisionChoosesTheStorage() throws {
        let auto = try ColBERTReference.encoder("causal", precision: .auto)
        let wide = try ColBERTReference.encoder("causal", precision: .f32)
        let bf16 = try ColBERTReference.encoder("causal", precision: .bf16)
        #expect(auto.backboneMatrixBytes * 2 == wide.backboneMatrixBytes)
        #expect(bf16.backboneMatrixBytes == auto.backboneMatrixBytes)
    }
}
