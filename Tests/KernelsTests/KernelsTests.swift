import Foundation
import Kernels
import Testing
import TestSupport

/// The kernels against straightforward Double-precision formulas.
@Suite struct KernelsTests {
    func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float(sin(Double($0 * 7 + seed) * 0.37) * 2) }
    }

    @Test func linearUsesPyTorchLayoutForOneAndManyRows() {
        let x = values(3 * 5, seed: 1), w = values(4 * 5, seed: 2)
        let weight = WeightMatrix(rows: 4, cols: 5, values: w)
        var many = [Float](repeating: 0, count: 12), one = [Float](repeating: 0, count: 4)
        LinearAlgebra.linear(x, rows: 3, weight: weight, into: &many)
        LinearAlgebra.linear(Array(x[5..<10]), rows: 1, weight: weight, into: &one)
        for t in 0..<3 {
            for o in 0..<4 {
                let expected = (0..<5).reduce(0.0) { $0 + Double(x[t * 5 + $1]) * Double(w[o * 5 + $1]) }
                #expect(abs(Double(many[t * 4 + o]) - expected) < 1e-5)
            }
        }
        #expect(Difference(expected: Array(many[4..<8]), actual: one).maxAbs < 1e-6)
    }

    @Test func rmsNormMultipliesByPlainWeight() {
        let x = values(8, seed: 3), w = values(8, seed: 4)
        var out = [Float](repeating: 0, count: 8)
        Elementwise.rmsNorm(x, weight: w, rows: 1, cols: 8, eps: 1e-5, into: &out)
        let rms = (x.reduce(0.0) { $0 + Double($1) * Double($1) } / 8 + 1e-5).squareRoot()
        for i in 0..<8 { #expect(abs(Double(out[i]) - Double(w[i]) * Double(x[i]) / rms) < 1e-5) }
    }

    @Test func softmaxAndNormalise() {
        var x: [Float] = [1, 2, 3, 1000]
        Elementwise.softmax(&x, count: 3)
        #expect(abs(x[0] + x[1] + x[2] - 1) < 1e-6 && x[2] > x[1] && x[3] == 1000)
        var v: [Float] = [3, 4]
        Elementwise.l2Normalize(&v, count: 2)
        #expect(v == [0.6, 0.8])
        var zero: [Float] = [0, 0]
        Elementwise.l2Normalize(&zero, count: 2)
        #expect(zero == [0, 0])
    }

    @Test func ropeRotatesHalvesNeoXStyle() {
        let rope = RotaryEmbedding(headDim: 4, theta: 10_000)
        var cos = [Float](repeating: 0, count: 2), sin = [Float](repeating: 0, count: 2)
        rope.angles(position: 3, cos: &cos, sin: &sin)
        var x: [Float] = [1, 2, 3, 4]
        rope.apply(&x, heads: 1, cos: cos, sin: sin)
        // Pairs are (0, 2) and (1, 3); frequencies 1 and 1/100.
        let phi0 = 3.0, phi1 = 3.0 / 100
        #expect(abs(Double(x[0]) - (1 * Foundation.cos(phi0) - 3 * Foundation.sin(phi0))) < 1e-5)
        #expect(abs(Double(x[2]) - (3 * Foundation.cos(phi0) + 1 * Foundation.sin(phi0))) < 1e-5)
        #expect(abs(Double(x[1]) - (2 * Foundation.cos(phi1) - 4 * Foundation.sin(phi1))) < 1e-5)
        #expect(abs(Double(x[3]) - (4 * Foundation.cos(phi1) + 2 * Foundation.sin(phi1))) < 1e-5)
    }

    @Test func siluMultiply() {
        var out = [Float](repeating: 0, count: 2)
        Elementwise.siluMultiply(gate: [0, 2], up: [5, 3], count: 2, into: &out)
        #expect(out[0] == 0 && abs(Double(out[1]) - 2 / (1 + exp(-2.0)) * 3) < 1e-5)
    }
}
