/// How an index stores its passages' token vectors: the value of `meta.vector.encoding`.
///
/// `dense`: every passage as `[count, dimension]` values in a `VectorEncoding` (`float16`, `float32`), exact.
/// `residual`: PLAID's compression (`ResidualCodec`): once the index has centroids, each token is its centroid code
/// plus a `bits`-per-value residual (`residual1`, `residual2`, `residual4`). Passages written before the centroids
/// exist are float16 until the centroids are trained, when every passage is re-encoded.
public enum VectorStorage: Sendable, Equatable, CustomStringConvertible {
    case dense(VectorEncoding)
    case residual(bits: Int)

    /// Every value this build reads and writes.
    public static let all: [VectorStorage] = [.dense(.float16), .dense(.float32)]
        + ResidualCodec.supportedBits.map { .residual(bits: $0) }

    /// The stored name (`float16`, `float32`, `residual1`, `residual2`, `residual4`); the short forms `f16` and
    /// `f32` are accepted too (for `--vectors`).
    public init?(rawValue: String) {
        switch rawValue {
        case "f16": self = .dense(.float16)
        case "f32": self = .dense(.float32)
        default:
            guard let found = Self.all.first(where: { $0.rawValue == rawValue }) else { return nil }
            self = found
        }
    }

    public var rawValue: String {
        switch self {
        case .dense(let encoding): encoding.rawValue
        case .residual(let bits): "residual\(bits)"
        }
    }

    public var description: String { rawValue }

    /// The encoding of passages stored as plain vectors: all of them in a dense index; in a residual index, those
    /// written before the centroids existed.
    public var denseEncoding: VectorEncoding {
        switch self {
        case .dense(let encoding): encoding
        case .residual: .float16
        }
    }

    /// Residual bits per value, nil for a dense index.
    public var residualBits: Int? {
        if case .residual(let bits) = self { return bits }
        return nil
    }
}
