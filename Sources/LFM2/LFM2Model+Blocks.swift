import Kernels

/// How a pass sees the rest of the sequence.
enum PassContext {
    /// Causal, continuing `state` at `state.position` (prefill and decode).
    case sequence(SequenceState)
    /// Stateless encoder pass over independent sequences packed row after row, each from position 0.
    case encoder([PackedSequence])
}

/// One sequence of a packed encoder batch: rows `start ..< start + count` of the workspace, with its own key mask.
/// Row-wise layers (norms, projections, MLP) run over the whole pack at once; the conv and attention never mix rows
/// of different sequences, so each sequence comes out exactly as if it ran alone.
struct PackedSequence {
    let start: Int
    let count: Int
    let keyMask: [Bool]?
    var rows: Range<Int> { start ..< start + count }
}

extension LFM2Model {
    /// Runs every block over `work.hidden[0..<rows]` in place (spec §2.2: pre-norm, two residuals).
    func runBlocks(rows: Int, work: Workspace, context: PassContext) {
        let h = config.hiddenSize
        switch context {
        case .sequence(let state):
            for t in 0..<rows { rope.angles(position: state.position + t, cos: work.cos.row(t), sin: work.sin.row(t)) }
        case .encoder(let pack):
            for sequence in pack {
                for t in 0..<sequence.count {
                    rope.angles(position: t, cos: work.cos.row(sequence.start + t), sin: work.sin.row(sequence.start + t))
                }
            }
        }

        for (index, block) in weights.blocks.enumerated() {
            Elementwise.rmsNorm(work.hidden.data, weight: block.operatorNorm, rows: rows, cols: h,
                                eps: config.normEps, into: work.normed.data)
            switch block.mixer {
            case .conv(let conv):
                switch context {
                case .sequence(let state):
                    guard case .conv(let history) = state.layers[index] else { preconditionFailure("layer kinds differ") }
                    shortConv(conv, rows: rows, work: work, segments: [0 ..< rows], history: history)
                case .encoder(let pack):
                    shortConv(conv, rows: rows, work: work, segments: pack.map(\.rows), history: nil)
                }
            case .attention(let attention):
                let spans: [AttentionSpan]
                switch context {
                case .sequence(let state):
                    guard case .attention(let keys, let values) = state.layers[index] else {
                        preconditionFailure("layer kinds differ")
                    }
                    spans = [AttentionSpan(firstRow: 0, rows: rows, cache: (keys, values), start: state.position)]
                case .encoder(let pack):
                    spans = pack.map { AttentionSpan(firstRow: $0.start, rows: $0.count, keyMask: $0.keyMask) }
                }
                self.attention(attention, rows: rows, work: work, spans: spans)
            }
            Elementwise.add(work.mixed.data, into: work.hidden.data, count: rows * h)
            feedForward(block, rows: rows, work: work)
            Elementwise.add(work.mixed.data, into: work.hidden.data, count: rows * h)
        }
    }

    /// SwiGLU: `w2(silu(w1·x) ⊙ w3·x)` into `work.mixed` (spec §2.6); or an lfm2_moe block's routed experts.
    private func feedForward(_ block: LFM2Weights.Block, rows: Int, work: Workspace) {
        Elementwise.rmsNorm(work.hidden.data, weight: block.ffnNorm, rows: rows, cols: config.hiddenSize,
                            eps: config.normEps, into: work.normed.data)
        let mlp: LFM2Weights.SwiGLU
        switch block.feedForward {
        case .dense(let dense): mlp = dense
        case .experts(let moe): return sparseFeedForward(moe, rows: rows, work: work)
        }
        LinearAlgebra.linear(work.normed.data, rows: rows, products: [
            .init(mlp.gate, into: work.gate.data), .init(mlp.up, into: work.up.data)])
        Elementwise.siluMultiply(gate: work.gate.data, up: work.up.data, count: rows * config.ffnWidth, into: work.gate.data)
        LinearAlgebra.linear(work.gate.data, rows: rows, weight: mlp.down, into: work.mixed.data)
    }
}
