import Kernels

/// How a pass sees the rest of the sequence.
enum PassContext {
    /// Causal, continuing `state` at `state.position` (prefill and decode).
    case sequence(SequenceState)
    /// Stateless encoder pass from position 0 with an optional key-padding mask.
    case encoder(keyMask: [Bool]?)
}

extension LFM2Model {
    /// Runs every block over `work.hidden[0..<rows]` in place (spec §2.2: pre-norm, two residuals).
    func runBlocks(rows: Int, work: Workspace, context: PassContext) {
        let h = config.hiddenSize
        let start: Int
        if case .sequence(let state) = context { start = state.position } else { start = 0 }
        for t in 0..<rows { rope.angles(position: start + t, cos: work.cos.row(t), sin: work.sin.row(t)) }

        for (index, block) in weights.blocks.enumerated() {
            Elementwise.rmsNorm(work.hidden.data, weight: block.operatorNorm, rows: rows, cols: h,
                                eps: config.normEps, into: work.normed.data)
            switch block.mixer {
            case .conv(let conv):
                var history: Matrix? = nil
                if case .sequence(let state) = context, case .conv(let stored) = state.layers[index] { history = stored }
                shortConv(conv, rows: rows, work: work, history: history)
            case .attention(let attention):
                var cache: (keys: Matrix, values: Matrix)? = nil
                var keyMask: [Bool]? = nil
                switch context {
                case .sequence(let state):
                    if case .attention(let keys, let values) = state.layers[index] { cache = (keys, values) }
                case .encoder(let mask):
                    keyMask = mask
                }
                self.attention(attention, rows: rows, start: start, work: work, cache: cache, keyMask: keyMask)
            }
            Elementwise.add(work.mixed.data, into: work.hidden.data, count: rows * h)
            feedForward(block, rows: rows, work: work)
            Elementwise.add(work.mixed.data, into: work.hidden.data, count: rows * h)
        }
    }

    /// SwiGLU: `w2(silu(w1·x) ⊙ w3·x)` into `work.mixed` (spec §2.6).
    private func feedForward(_ block: LFM2Weights.Block, rows: Int, work: Workspace) {
        Elementwise.rmsNorm(work.hidden.data, weight: block.ffnNorm, rows: rows, cols: config.hiddenSize,
                            eps: config.normEps, into: work.normed.data)
        LinearAlgebra.linear(work.normed.data, rows: rows, weight: block.gate, into: work.gate.data)
        LinearAlgebra.linear(work.normed.data, rows: rows, weight: block.up, into: work.up.data)
        Elementwise.siluMultiply(gate: work.gate.data, up: work.up.data, count: rows * config.ffnWidth, into: work.gate.data)
        LinearAlgebra.linear(work.gate.data, rows: rows, weight: block.down, into: work.mixed.data)
    }
}
