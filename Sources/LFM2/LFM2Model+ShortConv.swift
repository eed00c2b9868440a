import Kernels

extension LFM2Model {
    /// Gated short convolution (spec §2.4): `BCx = in_proj(u)`; `Bx = B ⊙ x`; depthwise conv over time; `y = C ⊙ conv`;
    /// `out_proj(y)` into `work.mixed`. No activation anywhere. The projections run over all `rows`; the conv runs over
    /// each of `segments` alone (one for a causal sequence, one per sequence of a packed encoder batch).
    func shortConv(_ conv: LFM2Weights.ShortConv, rows: Int, work: Workspace, segments: [Range<Int>], history: Matrix?) {
        let h = config.hiddenSize
        // B, C and x are multiplied together, so their rounding errors add up: the projection keeps its input precise.
        LinearAlgebra.linear(work.normed.data, rows: rows, weight: conv.inProjection, into: work.bcx.data, sensitive: true)
        if let bias = conv.inBias {
            for t in 0..<rows { Elementwise.add(bias, into: work.bcx.row(t), count: 3 * h) }
        }
        for segment in segments { depthwiseConv(conv, segment: segment, work: work, history: history) }
        LinearAlgebra.linear(work.normed.data, rows: rows, weight: conv.outProjection, into: work.mixed.data)
        if let bias = conv.outBias {
            for t in 0..<rows { Elementwise.add(bias, into: work.mixed.row(t), count: h) }
        }
    }

    /// `y = C ⊙ conv(Bx)` for the rows of `segment`, written into `work.normed` (its input is consumed by then).
    ///
    /// The conv reads `work.convInput`: `left` rows before the segment's `Bx` rows and zeros after them, so
    /// `conv[t, c] = Σ_k w[c, k] · convInput[t + k, c]` covers both alignments. Causal: `left = L − 1` rows of history
    /// (zeros at the start of a sequence; kernel index L−1 multiplies the current token). Bidirectional: `left = L/2`
    /// zero rows, i.e. PyTorch `conv1d(padding=L//2)` truncated to T — the centred conv of `Lfm2BidirectionalModel`.
    private func depthwiseConv(_ conv: LFM2Weights.ShortConv, segment: Range<Int>, work: Workspace, history: Matrix?) {
        let h = config.hiddenSize, kernel = config.convKernel, rows = segment.count
        let left = config.direction == .causal ? kernel - 1 : kernel / 2
        let input = work.convInput
        if let history {
            input.data.update(from: history.data, count: (kernel - 1) * h)
        } else {
            input.data.update(repeating: 0, count: left * h)
        }
        for t in 0..<rows {
            let bcx = work.bcx.row(segment.lowerBound + t), dst = input.row(left + t)
            for c in 0..<h { dst[c] = bcx[c] * bcx[2 * h + c] }      // B ⊙ x
        }
        let trailing = kernel - 1 - left
        if trailing > 0 { input.row(left + rows).update(repeating: 0, count: trailing * h) }

        let weightsPerChannel = conv.kernel.data
        for t in 0..<rows {
            let c_ = work.bcx.row(segment.lowerBound + t) + h, out = work.normed.row(segment.lowerBound + t)
            for c in 0..<h {
                var sum: Float = conv.kernelBias?[c] ?? 0
                let w = weightsPerChannel + c * kernel
                for k in 0..<kernel { sum += w[k] * input.data[(t + k) * h + c] }
                out[c] = c_[c] * sum                                     // C ⊙ conv
            }
        }
        if let history {
            // Keep the last L − 1 rows of [history; Bx] for the next call.
            history.data.update(from: input.row(rows), count: (kernel - 1) * h)
        }
    }
}
