import Kernels

/// Spherical k-means: centroids are unit vectors, a point belongs to the centroid with the largest dot product.
/// Deterministic for a given seed (SplitMix64), so re-training the same sample gives the same centroids.
enum KMeans {
    /// Trains `k` centroids on `points` `[n, dimension]` (unit-norm rows). Empty clusters are re-seeded with
    /// the point farthest from its centroid among a few random draws.
    static func train(points: [Float], dimension: Int, k: Int, iterations: Int, seed: UInt64) -> [Float] {
        let n = points.count / dimension
        precondition(n >= k && k > 0, "k-means needs at least k = \(k) points, given \(n)")
        var random = SplitMix64(seed: seed)
        var centroids = [Float](repeating: 0, count: k * dimension)
        // Initialise with k distinct random points (partial Fisher–Yates).
        var order = Array(0..<n)
        for i in 0..<k {
            let j = i + Int(random.next() % UInt64(n - i))
            order.swapAt(i, j)
            for d in 0..<dimension { centroids[i * dimension + d] = points[order[i] * dimension + d] }
        }
        var codes = [UInt32](repeating: 0, count: n)
        var scores = [Float](repeating: 0, count: n)
        for _ in 0..<iterations {
            let set = CentroidSet(generation: 0, count: k, dimension: dimension, vectors: centroids, trainedOnTokens: 0)
            assignWithScores(set, points: points, codes: &codes, scores: &scores)
            var sums = [Float](repeating: 0, count: k * dimension)
            var sizes = [Int](repeating: 0, count: k)
            for p in 0..<n {
                let c = Int(codes[p])
                sizes[c] += 1
                for d in 0..<dimension { sums[c * dimension + d] += points[p * dimension + d] }
            }
            for c in 0..<k {
                if sizes[c] == 0 {
                    // Re-seed from the worst-served of 8 random points.
                    var worst = Int(random.next() % UInt64(n))
                    for _ in 0..<7 {
                        let candidate = Int(random.next() % UInt64(n))
                        if scores[candidate] < scores[worst] { worst = candidate }
                    }
                    scores[worst] = .infinity
                    for d in 0..<dimension { sums[c * dimension + d] = points[worst * dimension + d] }
                }
                normalize(&sums, row: c, dimension: dimension)
            }
            centroids = sums
        }
        return centroids
    }

    /// Two-level training: `coarseCount` cells on all points, then each cell's own centroids on the points it
    /// received, the cell's share of `k` proportional to its share of the points (at most one centroid per point).
    static func trainTwoLevel(points: [Float], dimension: Int, k: Int, coarseCount: Int, iterations: Int,
                              seed: UInt64) -> (fine: [Float], coarse: CentroidSet.Coarse) {
        let n = points.count / dimension
        let cells = min(coarseCount, n)
        let coarseVectors = train(points: points, dimension: dimension, k: cells, iterations: iterations, seed: seed)
        let coarseSet = CentroidSet(generation: 0, count: cells, dimension: dimension, vectors: coarseVectors, trainedOnTokens: 0)
        var codes = [UInt32](repeating: 0, count: n)
        points.withUnsafeBufferPointer { p in
            codes.withUnsafeMutableBufferPointer { c in coarseSet.assign(p.baseAddress!, rowCount: n, into: c.baseAddress!) }
        }
        var members = [[Int]](repeating: [], count: cells)
        for (point, cell) in codes.enumerated() { members[Int(cell)].append(point) }
        // Largest-remainder apportionment of k over the cells, capped by each cell's points.
        let quotas = members.map { Double(k) * Double($0.count) / Double(n) }
        var shares = zip(quotas, members).map { min(Int($0.0), $0.1.count) }
        var remaining = k - shares.reduce(0, +)
        for cell in quotas.indices.sorted(by: { quotas[$0] - quotas[$0].rounded(.down) > quotas[$1] - quotas[$1].rounded(.down) })
        where remaining > 0 && shares[cell] < members[cell].count {
            shares[cell] += 1
            remaining -= 1
        }
        var fine: [Float] = []
        var starts = [0]
        for cell in 0..<cells {
            if shares[cell] > 0 {
                var cellPoints: [Float] = []
                cellPoints.reserveCapacity(members[cell].count * dimension)
                for point in members[cell] { cellPoints += points[point * dimension ..< (point + 1) * dimension] }
                fine += train(points: cellPoints, dimension: dimension, k: shares[cell], iterations: iterations,
                              seed: seed &+ UInt64(cell + 1))
            }
            starts.append(fine.count / dimension)
        }
        return (fine, CentroidSet.Coarse(count: cells, vectors: coarseVectors, cellStarts: starts))
    }

    private static func assignWithScores(_ set: CentroidSet, points: [Float], codes: inout [UInt32], scores: inout [Float]) {
        let dimension = set.dimension
        let n = points.count / dimension
        points.withUnsafeBufferPointer { p in
            codes.withUnsafeMutableBufferPointer { c in
                guard let base = p.baseAddress, let out = c.baseAddress else { return }
                set.assign(base, rowCount: n, into: out)
            }
        }
        set.vectors.withUnsafeBufferPointer { centroids in
            for i in 0..<n {
                var dot: Float = 0
                let c = Int(codes[i])
                for d in 0..<dimension { dot += points[i * dimension + d] * centroids[c * dimension + d] }
                scores[i] = dot
            }
        }
    }

    static func normalize(_ values: inout [Float], row: Int, dimension: Int) {
        var norm: Float = 0
        for d in 0..<dimension { norm += values[row * dimension + d] * values[row * dimension + d] }
        let scale = norm > 0 ? 1 / norm.squareRoot() : 0
        for d in 0..<dimension { values[row * dimension + d] *= scale }
    }
}
