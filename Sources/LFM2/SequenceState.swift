import Kernels

/// Everything one causal sequence carries between calls: its position, the per-layer recurrent state and its
/// scratch. Conv layers keep the last `L − 1` gated inputs `Bx` (llama.cpp's layout; HF's cache holds L and has an
/// off-by-one after a 1-token prefill, spec §2.4), attention layers keep post-norm, post-RoPE keys and values.
public final class SequenceState {
    enum LayerState {
        case conv(history: Matrix)                 // [L-1, H], oldest first
        case attention(keys: Matrix, values: Matrix)  // [capacity, nkv·d] each
    }

    /// The most tokens this sequence can hold (KV cache rows).
    public let capacity: Int
    /// Tokens consumed so far; the next token's position.
    public internal(set) var position = 0
    var layers: [LayerState]
    /// Scratch for one-token decode steps, allocated once.
    let decodeWorkspace: Workspace
    /// Scratch for prompts, kept while it is large enough.
    var prefillWorkspace: Workspace?

    init(config: LFM2Config, capacity: Int) {
        self.capacity = capacity
        let h = config.hiddenSize, kvWidth = config.kvHeadCount * config.headDim
        layers = config.layerKinds.map { kind in
            switch kind {
            case .conv: return .conv(history: Matrix(rows: config.convKernel - 1, cols: h))
            case .attention: return .attention(keys: Matrix(rows: capacity, cols: kvWidth),
                                               values: Matrix(rows: capacity, cols: kvWidth))
            }
        }
        decodeWorkspace = Workspace(config: config, rows: 1, keyCapacity: capacity)
    }

    /// Forgets every token; the buffers are kept.
    public func reset() {
        position = 0
        for layer in layers {
            if case .conv(let history) = layer { history.data.update(repeating: 0, count: history.count) }
        }
    }

    func workspace(rows: Int, config: LFM2Config) -> Workspace {
        if rows == 1 { return decodeWorkspace }
        if let existing = prefillWorkspace, existing.rows >= rows { return existing }
        let fresh = Workspace(config: config, rows: rows, keyCapacity: capacity)
        prefillWorkspace = fresh
        return fresh
    }
}
