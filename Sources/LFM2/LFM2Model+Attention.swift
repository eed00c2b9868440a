import Kernels

/// The queries of one sequence in a pass and the keys they may see.
struct AttentionSpan {
    /// The span's first query row in the workspace, and how many rows it has.
    let firstRow: Int
    let rows: Int
    /// A causal sequence's KV cache (the span's keys are appended at `start`), or nil: the keys are the span's own rows.
    let cache: (keys: Matrix, values: Matrix)?
    /// Position of the first query; keys `0 ..< start + rows` exist.
    let start: Int
    /// Keys whose entry is false are never attended to.
    let keyMask: [Bool]?

    init(firstRow: Int, rows: Int, cache: (keys: Matrix, values: Matrix)? = nil, start: Int = 0, keyMask: [Bool]? = nil) {
        self.firstRow = firstRow
        self.rows = rows
        self.cache = cache
        self.start = start
        self.keyMask = keyMask
    }
}

extension LFM2Model {
    /// Grouped-query attention (spec §2.5) for `rows` new tokens, into `work.mixed`.
    /// q/k are RMS-normed per head before NeoX RoPE; v is not normed. Each span attends on its own: with a cache
    /// (causal sequence) its keys and values are appended to it and queries see every cached key up to their own
    /// position; without one (encoder) the keys are the span's rows, causal or bidirectional per the config, minus
    /// the keys `keyMask` hides.
    func attention(_ attention: LFM2Weights.Attention, rows: Int, work: Workspace, spans: [AttentionSpan]) {
        let d = config.headDim, nh = config.headCount, nkv = config.kvHeadCount
        LinearAlgebra.linear(work.normed.data, rows: rows, products: [
            .init(attention.query, into: work.query.data), .init(attention.key, into: work.key.data),
            .init(attention.value, into: work.value.data)])
        Elementwise.rmsNorm(work.query.data, weight: attention.queryNorm, rows: rows * nh, cols: d,
                            eps: config.normEps, into: work.query.data)
        Elementwise.rmsNorm(work.key.data, weight: attention.keyNorm, rows: rows * nkv, cols: d,
                            eps: config.normEps, into: work.key.data)
        for t in 0..<rows {
            rope.apply(work.query.row(t), heads: nh, cos: work.cos.row(t), sin: work.sin.row(t))
            rope.apply(work.key.row(t), heads: nkv, cos: work.cos.row(t), sin: work.sin.row(t))
        }
        for span in spans { attend(span, work: work) }
        LinearAlgebra.linear(work.attention.data, rows: rows, weight: attention.output, into: work.mixed.data)
    }

    /// Softmax(q·kᵀ/√d)·v for the queries of `span`, the heads spread over the thread pool (each head writes its own
    /// columns of `work.attention` and uses its thread's score buffer), into its rows of `work.attention`.
    private func attend(_ span: AttentionSpan, work: Workspace) {
        let d = config.headDim, nh = config.headCount, nkv = config.kvHeadCount
        let qWidth = nh * d, kvWidth = nkv * d
        let rows = span.rows, start = span.start
        let newKeys = work.key.row(span.firstRow), newValues = work.value.row(span.firstRow)
        let keys: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>
        if let cache = span.cache {
            cache.keys.row(start).update(from: newKeys, count: rows * kvWidth)
            cache.values.row(start).update(from: newValues, count: rows * kvWidth)
            keys = cache.keys.data
            values = cache.values.data
        } else {
            keys = newKeys
            values = newValues
        }
        let keyCount = start + rows
        let causal = span.cache != nil || config.direction == .causal
        let scale = 1 / Float(d).squareRoot()
        let groupSize = nh / nkv
        let pool = work.pool

        pool.run(tasks: nh) { head, thread in
            let scores = work.scores[thread]
            let group = head / groupSize               // repeat_kv: contiguous groups of query heads share a KV head
            let q = work.query.row(span.firstRow) + head * d
            let k = keys + group * d, v = values + group * d
            // scores[t, j] = q_t · k_j / √d
            if rows == 1 {
                LinearAlgebra.gemv(m: keyCount, n: d, alpha: scale, a: k, lda: kvWidth, transpose: false, x: q, y: scores.data)
            } else {
                LinearAlgebra.gemm(m: rows, n: keyCount, k: d, alpha: scale, a: q, lda: qWidth, b: k, ldb: kvWidth,
                                   transposeB: true, c: scores.data, ldc: keyCount)
            }
            for t in 0..<rows {
                let row = scores.data + t * keyCount
                let visible = causal ? start + t + 1 : keyCount
                if let keyMask = span.keyMask {
                    for j in 0..<visible where !keyMask[j] { row[j] = -.infinity }
                }
                Self.maskedSoftmax(row, visible: visible, total: keyCount)
            }
            // out[t, head] = Σ_j p[t, j] · v_j
            let out = work.attention.row(span.firstRow) + head * d
            if rows == 1 {
                LinearAlgebra.gemv(m: keyCount, n: d, a: v, lda: kvWidth, transpose: true, x: scores.data, y: out)
            } else {
                LinearAlgebra.gemm(m: rows, n: d, k: keyCount, a: scores.data, lda: keyCount, b: v, ldb: kvWidth,
                                   transposeB: false, c: out, ldc: qWidth)
            }
        }
    }

    /// Softmax over the first `visible` entries; the rest (future keys) get weight 0. A row whose visible keys are all
    /// masked gets all-zero weights rather than NaNs.
    static func maskedSoftmax(_ row: UnsafeMutablePointer<Float>, visible: Int, total: Int) {
        var maximum = -Float.infinity
        for j in 0..<visible where row[j] > maximum { maximum = row[j] }
        if maximum == -.infinity {
            row.update(repeating: 0, count: total)
            return
        }
        Elementwise.softmax(row, count: visible)
        if visible < total { (row + visible).update(repeating: 0, count: total - visible) }
    }
}
