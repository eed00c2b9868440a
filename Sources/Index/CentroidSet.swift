import Kernels

/// Unit-norm centroids of the index's token vectors (spherical k-means), `[count, dimension]` row-major.
/// A token's code is its nearest centroid by dot product — the same similarity MaxSim uses.
public struct CentroidSet: Sendable {
    /// Codes are stored as UInt16.
    public static let maximumCount = 65536

    /// Increases every time the centroids are (re-)trained; cached copies compare it.
    public let generation: Int64
    public let count: Int
    public let dimension: Int
    public let vectors: [Float]  // [count, dimension]
    /// Token vectors in the index when these were trained.
    public let trainedOnTokens: Int

    public init(generation: Int64, count: Int, dimension: Int, vectors: [Float], trainedOnTokens: Int) {
        precondition(vectors.count == count * dimension, "\(count) centroids × \(dimension) ≠ \(vectors.count) values")
        precondition(count <= Self.maximumCount, "codes are 16-bit: at most \(Self.maximumCount) centroids")
        self.generation = generation
        self.count = count
        self.dimension = dimension
        self.vectors = vectors
        self.trainedOnTokens = trainedOnTokens
    }

    /// `similarities[rows, count] = vectors[rows, dimension] · centroidsᵀ`.
    public func similarities(_ rows: UnsafePointer<Float>, rowCount: Int, into similarities: UnsafeMutablePointer<Float>) {
        vectors.withUnsafeBufferPointer { centroids in
            guard let c = centroids.baseAddress, rowCount > 0 else { return }
            LinearAlgebra.gemm(m: rowCount, n: count, k: dimension, a: rows, lda: dimension, b: c, ldb: dimension,
                               transposeB: true, c: similarities, ldc: count)
        }
    }

    /// The nearest centroid of each of `rowCount` vectors `[rowCount, dimension]`, written to `codes`.
    public func assign(_ rows: UnsafePointer<Float>, rowCount: Int, into codes: UnsafeMutablePointer<UInt32>) {
        let block = 256  // bounds the scratch to 256 × count floats (4 MB at 4,096 centroids)
        var scratch = [Float](repeating: 0, count: min(block, max(rowCount, 1)) * count)
        scratch.withUnsafeMutableBufferPointer { buffer in
            guard let s = buffer.baseAddress else { return }
            var start = 0
            while start < rowCount {
                let n = min(block, rowCount - start)
                similarities(rows + start * dimension, rowCount: n, into: s)
                for r in 0..<n { codes[start + r] = UInt32(Self.argmax(s + r * count, count: count)) }
                start += n
            }
        }
    }

    /// Index of the largest of `count` values (the first one on ties), 16 lanes at a time.
    static func argmax(_ values: UnsafePointer<Float>, count: Int) -> Int {
        var best = -Float.infinity, bestIndex = 0
        var i = 0
        if count >= 16 {
            let raw = UnsafeRawPointer(values)
            var laneBest = SIMD16<Float>(repeating: -.infinity)
            var laneIndex = SIMD16<Int32>(repeating: 0)
            var position = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
            while i + 16 <= count {
                let v = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
                let better = v .> laneBest
                laneBest.replace(with: v, where: better)
                laneIndex.replace(with: position, where: better)
                position &+= 16
                i += 16
            }
            for lane in 0..<16 where laneBest[lane] > best || (laneBest[lane] == best && Int(laneIndex[lane]) < bestIndex) {
                best = laneBest[lane]
                bestIndex = Int(laneIndex[lane])
            }
        }
        while i < count {
            if values[i] > best { best = values[i]; bestIndex = i }
            i += 1
        }
        return bestIndex
    }
}
