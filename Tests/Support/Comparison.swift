/// The result of comparing numbers against a reference: the largest absolute difference, where it is, and the
/// reference's scale, printed on failure instead of a bare "false".
public struct Difference: CustomStringConvertible {
    public let maxAbs: Float
    public let index: Int
    public let expected: Float
    public let actual: Float
    public let scale: Float

    /// Max absolute difference relative to the reference's largest magnitude.
    public var relative: Float { scale > 0 ? maxAbs / scale : maxAbs }

    public init(expected: [Float], actual: [Float]) {
        precondition(expected.count == actual.count, "compared arrays differ in length: \(expected.count) vs \(actual.count)")
        var maxAbs: Float = 0, index = 0, scale: Float = 0
        for i in expected.indices {
            scale = max(scale, abs(expected[i]))
            let diff = abs(expected[i] - actual[i])
            if diff > maxAbs || diff.isNaN { maxAbs = diff.isNaN ? .infinity : diff; index = i }
        }
        self.maxAbs = maxAbs
        self.index = index
        self.scale = scale
        self.expected = expected.isEmpty ? 0 : expected[index]
        self.actual = actual.isEmpty ? 0 : actual[index]
    }

    public var description: String {
        "max |Δ| = \(maxAbs) at index \(index) (expected \(expected), got \(actual)); reference scale \(scale), relative \(relative)"
    }
}

/// Cosine similarity of two equal-length vectors.
public func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
    var dot: Float = 0, na: Float = 0, nb: Float = 0
    for (x, y) in zip(a, b) { dot += x * y; na += x * x; nb += y * y }
    return dot / max((na * nb).squareRoot(), 1e-30)
}
