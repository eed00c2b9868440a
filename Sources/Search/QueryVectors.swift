/// A query's token vectors, as the ColBERT encoder produced them (`[count, dimension]` row-major, unit rows).
/// Search does not depend on ColBERT: the caller encodes and passes the numbers in.
public struct QueryVectors: Sendable, Equatable {
    public var vectors: [Float]
    public var count: Int
    public var dimension: Int

    public init(vectors: [Float], count: Int, dimension: Int) {
        precondition(vectors.count == count * dimension, "\(count) × \(dimension) query vectors, given \(vectors.count) values")
        self.vectors = vectors
        self.count = count
        self.dimension = dimension
    }
}
