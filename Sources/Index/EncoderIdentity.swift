/// Which model produced an index's vectors. Two encoders are interchangeable when their weights' fingerprint, their
/// dimension and (when both record it) their ColBERT head settings are equal: the same weights in a renamed folder,
/// or in the Hugging Face cache's `snapshots/<sha>/` folder, are the same encoder; the same name with other weights
/// (a fine-tune) is not, and neither are the same weights with another query length or prefix, whose vectors differ.
/// `name`, `location` and `repository` are remembered for messages and for finding the encoder again, never compared.
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
    /// A digest of the settings around the weights that change the vectors (prefixes, query and document lengths,
    /// query expansion, skiplist, prompt, lower-casing, Dense activations: ColBERT's `headFingerprint`); nil in
    /// indexes written before it was recorded, which keep working.
    public var head: String?
    /// The repository id the encoder was given as (`LiquidAI/LFM2-ColBERT-350M`), so it can be found again through
    /// the model store when `location` is gone; nil when it was given as a path.
    public var repository: String?

    /// Largest dimension an index may record (LFM2-ColBERT: 128; an encoder without projection: its hidden size).
    /// A larger `vector.dimension` in a file is damage, and products with it could overflow.
    public static let maximumDimension = 1 << 20

    public init(name: String, fingerprint: String, dimension: Int, location: String? = nil, head: String? = nil,
                repository: String? = nil) {
        self.name = name
        self.fingerprint = fingerprint
        self.dimension = dimension
        self.location = location
        self.head = head
        self.repository = repository
    }
}

extension EncoderIdentity: Equatable {
    /// The same vectors: same weights, same dimension and, when both sides know it, the same head settings (an
    /// index from before `head` was recorded accepts its encoder as before). Name, location, repository do not matter.
    public static func == (a: EncoderIdentity, b: EncoderIdentity) -> Bool {
        guard a.fingerprint == b.fingerprint, a.dimension == b.dimension else { return false }
        if let first = a.head, let second = b.head { return first == second }
        return true
    }
}
