import Foundation
import Kernels
import Weights

/// An LFM2 / LFM2.5 network ready to run: its config, its immutable weights and its rotary table.
/// Per-sequence state lives in `SequenceState`; the model itself is never mutated and can be shared across threads.
public final class LFM2Model: Sendable {
    public let config: LFM2Config
    public let weights: LFM2Weights
    let rope: RotaryEmbedding

    public init(config: LFM2Config, weights: LFM2Weights) {
        self.config = config
        self.weights = weights
        rope = RotaryEmbedding(headDim: config.headDim, theta: config.ropeTheta)
    }

    /// Loads `config.json` and the safetensors weights of a Hugging Face model folder. With `.auto` the matrices stay
    /// in the memory map at their stored precision; pages are read when a kernel first touches them.
    /// - Parameters:
    ///   - withHead: read an untied `lm_head` (generation); encoders skip it.
    ///   - precision: the storage of the matrices (`--dtype`).
    public static func load(directory: URL, withHead: Bool = true, precision: Precision = .auto) throws -> LFM2Model {
        var config = try LFM2Config.load(directory: directory)
        let store = try WeightStore.open(directory: directory)
        let weights = try LFM2Weights.load(store: store, config: &config, wantHead: withHead, precision: precision)
        return LFM2Model(config: config, weights: weights)
    }

    /// Loads an LFM2 GGUF file (llama.cpp's layout): the config from its `lfm2.*` metadata, the matrices in the
    /// memory map at their stored type (quantised ones included), unless `precision` asks for F32 or BF16.
    public static func load(gguf file: GGUFFile, withHead: Bool = true, precision: Precision = .auto) throws -> LFM2Model {
        var config = try LFM2Config.load(gguf: file)
        let weights = try LFM2Weights.load(store: GGUFCheckpoint(file: file), config: &config, wantHead: withHead,
                                           precision: precision)
        return LFM2Model(config: config, weights: weights)
    }

    /// A fresh causal sequence holding at most `capacity` tokens (default: the model's own limit, capped at 8,192 so a
    /// 128k-position config does not reserve gigabytes of KV cache up front).
    public func makeSequence(capacity: Int? = nil) -> SequenceState {
        precondition(config.direction == .causal, "bidirectional encoders have no incremental state; use encode(_:keyMask:)")
        let limit = min(capacity ?? 8192, config.maxPositions)
        return SequenceState(config: config, capacity: max(limit, 1))
    }

    /// Number of output logits (embedding rows, including padded vocabulary rows).
    public var logitCount: Int { weights.outputHead.rows }
}
