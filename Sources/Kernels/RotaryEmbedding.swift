import Foundation

/// NeoX-style ("rotate half") rotary position embedding over the full head dimension, as HF's default rope:
/// `inv_freq[m] = 1 / θ^(2m/d)` and `φ = pos · inv_freq[m]`, both in Float like the reference.
public struct RotaryEmbedding: Sendable {
    public let headDim: Int
    private let inverseFrequencies: [Float]

    public init(headDim: Int, theta: Float) {
        self.headDim = headDim
        inverseFrequencies = (0..<headDim / 2).map { m in
            1 / powf(theta, Float(2 * m) / Float(headDim))
        }
    }

    /// Fills `cos`/`sin` (`headDim / 2` values each) for one position.
    public func angles(position: Int, cos: UnsafeMutablePointer<Float>, sin: UnsafeMutablePointer<Float>) {
        let p = Float(position)
        for m in 0..<headDim / 2 {
            let phi = p * inverseFrequencies[m]
            cos[m] = cosf(phi)
            sin[m] = sinf(phi)
        }
    }

    /// Rotates `heads` consecutive head vectors of one token in place.
    public func apply(_ x: UnsafeMutablePointer<Float>, heads: Int, cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        let half = headDim / 2
        for h in 0..<heads {
            let v = x + h * headDim
            for m in 0..<half {
                let a = v[m], b = v[m + half]
                v[m] = a * cos[m] - b * sin[m]
                v[m + half] = b * cos[m] + a * sin[m]
            }
        }
    }
}
