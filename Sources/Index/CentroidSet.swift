import Kernels

/// Unit-norm centroids of the index's token vectors (spherical k-means), `[count, dimension]` row-major.
/// A token's code is its nearest centroid by dot product — the same similarity MaxSim uses.
///
/// Tens of thousands of centroids are needed for centroid lists to separate passages (PLAID's rule is
/// 16·√tokens), and comparing every token with all of them costs 8 MFLOP per token at 32,768. So the centroids
/// are grouped under `coarse` cells (two-level k-means): a token is compared with the √count coarse centroids, then
/// only with the fine centroids of its `cellsProbed` best cells — about 20× less work, and the nearest centroid is
/// almost always among them. Queries still compare with every fine centroid (one small GEMM).
public struct CentroidSet: Sendable {
    /// The first level: `count` centroids `[count, dimension]`; fine centroids `cellStarts[j] ..< cellStarts[j + 1]`
    /// belong to cell j.
    public struct Coarse: Sendable {
        public let count: Int
        public let vectors: [Float]
        public let cellStarts: [Int]

        public init(count: Int, vectors: [Float], cellStarts: [Int]) {
            self.count = count
            self.vectors = vectors
            self.cellStarts = cellStarts
        }
    }

    /// Codes are stored as UInt16.
    public static let maximumCount = 65536
    /// Coarse cells searched when assigning a token.
    static let cellsProbed = 3
    /// Coarse cells searched for a query token's nearest centroids.
    static let queryCellsProbed = 4

    /// Increases every time the centroids are (re-)trained; cached copies compare it.
    public let generation: Int64
    public let count: Int
    public let dimension: Int
    public let vectors: [Float]  // [count, dimension]
    /// Token vectors in the index when these were trained.
    public let trainedOnTokens: Int
    /// Nil: assignment compares with every centroid.
    public let coarse: Coarse?

    public init(generation: Int64, count: Int, dimension: Int, vectors: [Float], trainedOnTokens: Int, coarse: Coarse? = nil) {
        precondition(vectors.count == count * dimension, "\(count) centroids × \(dimension) ≠ \(vectors.count) values")
        precondition(count <= Self.maximumCount, "codes are 16-bit: at most \(Self.maximumCount) centroids")
        if let coarse {
            precondition(coarse.vectors.count == coarse.count * dimension && coarse.cellStarts.count == coarse.count + 1
                         && coarse.cellStarts.last == count, "coarse cells do not partition the \(count) centroids")
        }
        self.generation = generation
        self.count = count
        self.dimension = dimension
        self.vectors = vectors
        self.trainedOnTokens = trainedOnTokens
        self.coarse = coarse
    }

    /// `similarities[rows, count] = vectors[rows, dimension] · centroidsᵀ`.
    public func similarities(_ rows: UnsafePointer<Float>, rowCount: Int, into similarities: UnsafeMutablePointer<Float>) {
        vectors.withUnsafeBufferPointer { centroids in
            guard let c = centroids.baseAddress, rowCount > 0 else { return }
            LinearAlgebra.gemm(m: rowCount, n: count, k: dimension, a: rows, lda: dimension, b: c, ldb: dimension,
                               transposeB: true, c: similarities, ldc: count)
        }
    }

    /// The nearest centroid of each of `rowCount` vectors `[rowCount, dimension]`, written to `codes`
    /// (approximately nearest when there are coarse cells: the best within the `cellsProbed` nearest cells).
    public func assign(_ rows: UnsafePointer<Float>, rowCount: Int, into codes: UnsafeMutablePointer<UInt32>) {
        guard rowCount > 0 else { return }
        if let coarse {
            CellAssigner(set: self, coarse: coarse).assign(rows, rowCount: rowCount, cells: Self.cellsProbed, into: codes)
            return
        }
        let block = 256  // bounds the scratch to 256 × count floats
        var scratch = [Float](repeating: 0, count: min(block, rowCount) * count)
        scratch.withUnsafeMutableBufferPointer { buffer in
            guard let s = buffer.baseAddress else { return }
            var start = 0
            while start < rowCount {
                let n = min(block, rowCount - start)
                similarities(rows + start * dimension, rowCount: n, into: s)
                for r in 0..<n { codes[start + r] = UInt32(Self.argmax(s + r * count, count: count).index) }
                start += n
            }
        }
    }

    /// Indices of the `n` largest of `count` values, best first (ties: the smaller index). For small `n`.
    public static func largest(_ values: UnsafePointer<Float>, count: Int, n: Int) -> [Int] {
        var top: [(index: Int, value: Float)] = []
        top.reserveCapacity(n + 1)
        for i in 0..<count {
            let v = values[i]
            if top.count == n, let last = top.last, v <= last.value { continue }
            var at = top.count
            while at > 0 && top[at - 1].value < v { at -= 1 }
            top.insert((i, v), at: at)
            if top.count > n { top.removeLast() }
        }
        return top.map(\.index)
    }
    /// The `n` nearest centroids of each row, best first. With coarse cells only the `queryCellsProbed` best cells
    /// of a row are searched (at 65,536 centroids this read 1–2% of the 32 MB of centroids instead of all of them:
    /// 0.3 ms instead of 4–7 ms for 32 query vectors).
    public func nearest(_ rows: UnsafePointer<Float>, rowCount: Int, n: Int) -> [[(centroid: Int, score: Float)]] {
        guard rowCount > 0, n > 0 else { return [] }
        if let coarse {
            return CellAssigner(set: self, coarse: coarse).nearest(rows, rowCount: rowCount, n: n, cells: Self.queryCellsProbed)
        }
        var scores = [Float](repeating: 0, count: rowCount * count)
        return scores.withUnsafeMutableBufferPointer { s in
            similarities(rows, rowCount: rowCount, into: s.baseAddress!)
            return (0..<rowCount).map { r in
                Self.largest(s.baseAddress! + r * count, count: count, n: n).map { ($0, s[r * count + $0]) }
            }
        }
    }

    /// Index and value of the largest of `count` values (the first one on ties), 16 lanes at a time.
    static func argmax(_ values: UnsafePointer<Float>, count: Int) -> (index: Int, value: Float) {
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
        return (bestIndex, best)
    }
}
