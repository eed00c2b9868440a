@testable import ColBERT
import Foundation
import Kernels
import Testing

/// The parts that need no model: MaxSim, Dense layers, activations and Python's strip.
@Suite struct ColBERTUnitTests {
    @Test func maxSimSumsTheBestMatches() {
        // 2 query vectors, 3 document vectors, 2 dimensions.
        let query = TokenVectors(ids: [1, 2], vectors: [1, 0, 0, 1], dimension: 2)
        let document = TokenVectors(ids: [5, 6, 7], vectors: [0.6, 0.8, -1, 0, 0.8, -0.6], dimension: 2)
        // q0 best: 0.8 (d2); q1 best: 0.8 (d0) → 1.6, a sum, not a mean.
        #expect(abs(ColBERTEncoder.maxSim(query: query, document: document) - 1.6) < 1e-6)
        #expect(ColBERTEncoder.maxSim(query: query, document: TokenVectors(ids: [], vectors: [], dimension: 2)) == 0)
        // All-negative similarities stay negative (true max, no zero padding).
        let opposite = TokenVectors(ids: [9], vectors: [-0.6, -0.8], dimension: 2)
        #expect(abs(ColBERTEncoder.maxSim(query: query, document: opposite) - (-1.4)) < 1e-6)
    }

    @Test func denseLayerAppliesBiasActivationAndResidual() {
        let weight = WeightMatrix(rows: 2, cols: 3, values: [1, 0, -1, 0.5, 0.5, 0.5])
        let input = Matrix(rows: 2, cols: 3, values: [1, 2, 3, -1, 0, 1])
        func run(_ activation: Activation, bias: [Float]?, residual: WeightMatrix? = nil, useResidual: Bool = false) -> [Float] {
            let config = DenseLayerConfig(path: "1_Dense", inFeatures: 3, outFeatures: 2, bias: bias != nil,
                                          activation: activation, useResidual: useResidual)
            return DenseLayer(config: config, weight: weight, bias: bias, residual: residual).apply(input).toArray()
        }
        // x·Wᵀ = [[-2, 3], [-2, 0]]
        #expect(run(.identity, bias: nil) == [-2, 3, -2, 0])
        #expect(run(.identity, bias: [1, -1]) == [-1, 2, -1, -1])
        #expect(run(.relu, bias: [1, -1]) == [0, 2, 0, 0])
        let tanh = run(.tanh, bias: nil)
        #expect(abs(tanh[0] - tanhf(-2)) < 1e-6 && abs(tanh[1] - tanhf(3)) < 1e-6)
        let gelu = run(.gelu, bias: nil)
        #expect(abs(gelu[1] - 2.99595031) < 1e-5 && abs(gelu[0] - (-0.04550026)) < 1e-6)  // torch.nn.GELU()
        let sigmoid = run(.sigmoid, bias: nil)
        #expect(abs(sigmoid[3] - 0.5) < 1e-7)
        let residual = WeightMatrix(rows: 2, cols: 3, values: [1, 1, 1, 0, 0, 0])
        #expect(run(.identity, bias: nil, residual: residual, useResidual: true) == [4, 3, -2, 0])
    }

    @Test func activationNames() {
        #expect(Activation(pytorchName: "torch.nn.modules.linear.Identity") == .identity)
        #expect(Activation(pytorchName: "torch.nn.modules.activation.Tanh") == .tanh)
        #expect(Activation(pytorchName: "torch.nn.GELU") == .gelu)
        #expect(Activation(pytorchName: "torch.nn.modules.activation.Softsign") == nil)
        #expect(Activation(pytorchName: "Tanh") == nil)
    }

    @Test func stripIsPythons() {
        #expect(PythonStrip.strip("  a b \t\n") == "a b")
        #expect(PythonStrip.strip("\u{3000}\u{A0}\u{1C}x\u{2029}\u{85}") == "x")
        #expect(PythonStrip.strip("\u{200B}x\u{FEFF}") == "\u{200B}x\u{FEFF}")  // not whitespace in Python
        #expect(PythonStrip.strip(" \u{301}e") == "\u{301}e")  // scalar-wise, not by grapheme cluster
        #expect(PythonStrip.strip(" \n ") == "")
    }
}
