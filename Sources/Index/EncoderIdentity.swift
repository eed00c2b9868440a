/// Which model produced an index's vectors. Two encoders are interchangeable when their weights' fingerprint and
/// their dimension are equal: the same weights in a renamed folder, or in the Hugging Face cache's
/// `snapshots/<sha>/` folder, are the same encoder; the same name with other weights (a fine-tune) is not.
/// `name` and `location` are remembered for messages and for finding the encoder again, never compared.
public struct EncoderIdentity: Sendable, Codable {
    /// The model's name as last seen, e.g. `LFM2-ColBERT-350M`.
    public var name: String
    /// A digest of the weights (ColBERT's `WeightFingerprint`).
    public var fingerprint: String
    /// Values per token vector, e.g. 128.
    public var dimension: Int
    /// Where the encoder was loaded from when the index last used it (an absolute folder path), so `search`, `ask`,
    /// `chat` and `serve` can use it without `--model`; nil when unknown.
    public var location: String?

    /// Largest dimension an index may record (LFM2-ColBERT: 128; an encoder without projection: its hidden size).
    /// A larger `vector.dimension` in a file is damage, and products with it could overflow.
    public static let maximumDimension = 1 << 20

    public init(name: String, fingerprint: String, dimension: Int, location: String? = nil) {
        self.name = name
        self.fingerprint = fingerprint
        self.dimension = dimension
        self.location = location
    }
}

extension EncoderIdentity: Equatable {
    /// The same vectors: same weights, same dimension. Name and location do not matter.
    public static func == (a: EncoderIdentity, b: EncoderIdentity) -> Bool {
        a.fingerprint == b.fingerprint && a.dimension == b.dimension
    }
}
