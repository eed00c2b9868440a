/// Which model produced an index's vectors. Two encoders are interchangeable only if all three fields are equal:
/// the same name with other weights (a fine-tune) produces incomparable vectors, hence the fingerprint.
public struct EncoderIdentity: Sendable, Equatable, Codable {
    /// The model's name, e.g. `LFM2-ColBERT-350M`.
    public var name: String
    /// A digest of the weights (ColBERT's `WeightFingerprint`).
    public var fingerprint: String
    /// Values per token vector, e.g. 128.
    public var dimension: Int

    /// Largest dimension an index may record (LFM2-ColBERT: 128; an encoder without projection: its hidden size).
    /// A larger `vector.dimension` in a file is damage, and products with it could overflow.
    public static let maximumDimension = 1 << 20

    public init(name: String, fingerprint: String, dimension: Int) {
        self.name = name
        self.fingerprint = fingerprint
        self.dimension = dimension
    }
}
