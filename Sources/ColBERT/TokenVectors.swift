/// The output of encoding one text: one L2-normalised vector per kept token, in token order.
public struct TokenVectors: Sendable, Equatable {
    /// The kept token ids (BOS and prefix included), one per vector.
    public let ids: [Int]
    /// `[count, dimension]` row-major; every row has unit L2 norm.
    public let vectors: [Float]
    public let dimension: Int
    public var count: Int { ids.count }

    public init(ids: [Int], vectors: [Float], dimension: Int) {
        precondition(vectors.count == ids.count * dimension,
                     "\(ids.count) ids × \(dimension) dimensions, given \(vectors.count) values")
        self.ids = ids
        self.vectors = vectors
        self.dimension = dimension
    }

    /// The vector of the `index`-th kept token.
    public func vector(_ index: Int) -> ArraySlice<Float> {
        vectors[index * dimension ..< (index + 1) * dimension]
    }
}
