import Kernels

/// Two-level nearest-centroid search: a block of rows is multiplied by the coarse centroids (one GEMM), each row
/// picks its best cells, and then every cell multiplies the rows that picked it by its own fine centroids (one GEMM
/// per cell), so the work stays in BLAS and touches only the cells in use.
struct CellAssigner {
    let set: CentroidSet
    let coarse: CentroidSet.Coarse

    /// The nearest fine centroid of each row (within its `cells` best cells).
    func assign(_ rows: UnsafePointer<Float>, rowCount: Int, cells probes: Int, into codes: UnsafeMutablePointer<UInt32>) {
        var bestScore = [Float](repeating: -.infinity, count: rowCount)
        for r in 0..<rowCount { codes[r] = 0 }
        forEachCell(rows, rowCount: rowCount, cells: probes) { row, first, scores, size in
            let best = CentroidSet.argmax(scores, count: size)
            if best.value > bestScore[row] {
                bestScore[row] = best.value
                codes[row] = UInt32(first + best.index)
            }
        }
    }

    /// The `n` nearest fine centroids of each row (within its `cells` best cells), best first.
    func nearest(_ rows: UnsafePointer<Float>, rowCount: Int, n: Int, cells probes: Int) -> [[(centroid: Int, score: Float)]] {
        var lists = [[(centroid: Int, score: Float)]](repeating: [], count: rowCount)
        forEachCell(rows, rowCount: rowCount, cells: probes) { row, first, scores, size in
            for index in CentroidSet.largest(scores, count: size, n: n) {
                let candidate = (centroid: first + index, score: scores[index])
                var at = lists[row].count
                while at > 0 && lists[row][at - 1].score < candidate.score { at -= 1 }
                if at < n { lists[row].insert(candidate, at: at) }
                if lists[row].count > n { lists[row].removeLast() }
            }
        }
        return lists
    }

    /// Calls `body(row, first centroid of the cell, scores of the row against the cell's centroids, cell size)` for
    /// every row and each of its `cells` best non-empty cells.
    private func forEachCell(_ rows: UnsafePointer<Float>, rowCount: Int, cells probes: Int,
                             _ body: (Int, Int, UnsafePointer<Float>, Int) -> Void) {
        let d = set.dimension, cells = coarse.count
        let block = 16384  // ~190 rows per cell GEMM at 256 cells; smaller blocks made the GEMMs inefficient
        let probes = min(probes, cells)
        var coarseScores = [Float](repeating: 0, count: min(block, rowCount) * cells)  // [block, cells]
        var members = [[Int32]](repeating: [], count: cells)                         // rows that picked each cell
        var gathered: [Float] = []   // [members, d]
        var fineScores: [Float] = [] // [members, cell size]
        var start = 0
        while start < rowCount {
            let n = min(block, rowCount - start)
            let base = rows + start * d
            coarse.vectors.withUnsafeBufferPointer { c in
                coarseScores.withUnsafeMutableBufferPointer { s in
                    LinearAlgebra.gemm(m: n, n: cells, k: d, a: base, lda: d, b: c.baseAddress!, ldb: d,
                                       transposeB: true, c: s.baseAddress!, ldc: cells)
                }
            }
            for c in 0..<cells { members[c].removeAll(keepingCapacity: true) }
            coarseScores.withUnsafeBufferPointer { s in
                for r in 0..<n {
                    var picked = 0
                    for cell in CentroidSet.largest(s.baseAddress! + r * cells, count: cells, n: probes + 2)
                    where picked < probes && coarse.cellStarts[cell + 1] > coarse.cellStarts[cell] {
                        members[cell].append(Int32(r))
                        picked += 1
                    }
                }
            }
            for cell in 0..<cells where !members[cell].isEmpty {
                let first = coarse.cellStarts[cell], size = coarse.cellStarts[cell + 1] - first
                let picked = members[cell]
                if gathered.count < picked.count * d { gathered = [Float](repeating: 0, count: picked.count * d) }
                if fineScores.count < picked.count * size { fineScores = [Float](repeating: 0, count: picked.count * size) }
                gathered.withUnsafeMutableBufferPointer { g in
                    for (i, r) in picked.enumerated() {
                        (g.baseAddress! + i * d).update(from: base + Int(r) * d, count: d)
                    }
                    set.vectors.withUnsafeBufferPointer { fine in
                        fineScores.withUnsafeMutableBufferPointer { f in
                            LinearAlgebra.gemm(m: picked.count, n: size, k: d, a: g.baseAddress!, lda: d,
                                               b: fine.baseAddress! + first * d, ldb: d, transposeB: true,
                                               c: f.baseAddress!, ldc: size)
                            for (i, r) in picked.enumerated() {
                                body(start + Int(r), first, f.baseAddress! + i * size, size)
                            }
                        }
                    }
                }
            }
            start += n
        }
    }
}
