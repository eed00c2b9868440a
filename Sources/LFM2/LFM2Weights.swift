import Foundation
import Kernels
import Weights

/// The immutable parameters of an LFM2 model, named as in the Hugging Face checkpoint (spec §3). Linear weights are
/// `[out, in]` row-major `WeightMatrix`es at the precision the command asked for (by default as stored, viewed in
/// the memory map); norms, biases and the tiny conv kernel are widened to Float.
public struct LFM2Weights: Sendable {
    public struct ShortConv: Sendable {
        public let inProjection: WeightMatrix    // conv.in_proj.weight   [3H, H]  rows: B, C, x
        public let kernel: Matrix          // conv.conv.weight      [H, L]   (stored [H, 1, L])
        public let outProjection: WeightMatrix   // conv.out_proj.weight  [H, H]
        public let inBias: [Float]?        // only when conv_bias (false in every release)
        public let kernelBias: [Float]?
        public let outBias: [Float]?
    }

    public struct Attention: Sendable {
        public let query: WeightMatrix           // self_attn.q_proj.weight   [nh·d, H]
        public let key: WeightMatrix             // self_attn.k_proj.weight   [nkv·d, H]
        public let value: WeightMatrix           // self_attn.v_proj.weight   [nkv·d, H]
        public let output: WeightMatrix          // self_attn.out_proj.weight [H, nh·d]
        public let queryNorm: [Float]      // self_attn.q_layernorm.weight [d]
        public let keyNorm: [Float]        // self_attn.k_layernorm.weight [d]
    }

    public enum Mixer: Sendable {
        case conv(ShortConv)
        case attention(Attention)
    }

    /// `w2(silu(w1·x) ⊙ w3·x)`: a dense block's feed-forward (`feed_forward.w1…`) or one expert of a sparse one
    /// (`feed_forward.experts.E.w1…`).
    public struct SwiGLU: Sendable {
        public let gate: WeightMatrix            // w1.weight [F, H]
        public let up: WeightMatrix              // w3.weight [F, H]
        public let down: WeightMatrix            // w2.weight [H, F]
    }

    public enum FeedForward: Sendable {
        case dense(SwiGLU)
        case experts(MixtureOfExperts)          // lfm2_moe blocks from num_dense_layers on (LFM2Weights+Experts.swift)
    }

    public struct Block: Sendable {
        public let operatorNorm: [Float]   // operator_norm.weight [H]
        public let mixer: Mixer
        public let ffnNorm: [Float]        // ffn_norm.weight [H]
        public let feedForward: FeedForward
    }

    public let embedding: WeightMatrix           // embed_tokens.weight [V, H]
    public let blocks: [Block]
    public let finalNorm: [Float]          // embedding_norm.weight [H]: the OUTPUT norm, despite its name
    public let head: WeightMatrix?               // lm_head.weight [V, H] when untied; nil → the embedding

    public var outputHead: WeightMatrix { head ?? embedding }

    /// Loads and shape-checks every tensor. The FFN width comes from `w1` (spec gotcha 5) and the embedding row count
    /// from the checkpoint (ColBERT encoders have 64,402 rows while config.json may say 65,536).
    static func load(store: some CheckpointTensors, config: inout LFM2Config, wantHead: Bool, precision: Precision) throws -> LFM2Weights {
        let prefix = try namePrefix(store)
        func name(_ suffix: String) -> String { prefix + suffix }
        func matrix(_ suffix: String, _ rows: Int, _ cols: Int) throws -> WeightMatrix {
            try store.matrix(name(suffix), rows: rows, cols: cols, precision: precision)
        }
        func vector(_ suffix: String, _ count: Int) throws -> [Float] { try store.vector(name(suffix), shape: [count]) }

        let h = config.hiddenSize, d = config.headDim
        guard let embeddingShape = store.shape(of: name("embed_tokens.weight")), embeddingShape.count == 2,
              embeddingShape[1] == h else {
            let actual = store.shape(of: name("embed_tokens.weight")) ?? []
            throw store.shapeError(name("embed_tokens.weight"), expected: [config.vocabSize, h], actual: actual)
        }
        let rows = embeddingShape[0]
        config.vocabSize = rows
        if let w1 = store.shape(of: name("layers.0.feed_forward.w1.weight")), w1.count == 2, w1[1] == h {
            config.ffnWidth = w1[0]
        }
        let f = config.ffnWidth, kernel = config.convKernel

        var blocks: [Block] = []
        for (i, kind) in config.layerKinds.enumerated() {
            let p = "layers.\(i)."
            let mixer: Mixer
            switch kind {
            case .conv:
                let kernelWeights = try store.vector(name(p + "conv.conv.weight"), shape: [h, 1, kernel])
                mixer = .conv(ShortConv(
                    inProjection: try matrix(p + "conv.in_proj.weight", 3 * h, h),
                    kernel: Matrix(rows: h, cols: kernel, values: kernelWeights),
                    outProjection: try matrix(p + "conv.out_proj.weight", h, h),
                    inBias: config.convBias ? try vector(p + "conv.in_proj.bias", 3 * h) : nil,
                    kernelBias: config.convBias ? try vector(p + "conv.conv.bias", h) : nil,
                    outBias: config.convBias ? try vector(p + "conv.out_proj.bias", h) : nil))
            case .attention:
                let nh = config.headCount, nkv = config.kvHeadCount
                mixer = .attention(Attention(
                    query: try matrix(p + "self_attn.q_proj.weight", nh * d, h),
                    key: try matrix(p + "self_attn.k_proj.weight", nkv * d, h),
                    value: try matrix(p + "self_attn.v_proj.weight", nkv * d, h),
                    output: try matrix(p + "self_attn.out_proj.weight", h, nh * d),
                    queryNorm: try vector(p + "self_attn.q_layernorm.weight", d),
                    keyNorm: try vector(p + "self_attn.k_layernorm.weight", d)))
            }
            let feedForward: FeedForward
            if let experts = config.experts, config.isSparse(layer: i) {
                feedForward = .experts(try MixtureOfExperts.load(store: store, prefix: name(p + "feed_forward."),
                                                                 config: experts, hidden: h, precision: precision))
            } else {
                feedForward = .dense(SwiGLU(gate: try matrix(p + "feed_forward.w1.weight", f, h),
                                            up: try matrix(p + "feed_forward.w3.weight", f, h),
                                            down: try matrix(p + "feed_forward.w2.weight", h, f)))
            }
            blocks.append(Block(
                operatorNorm: try vector(p + "operator_norm.weight", h),
                mixer: mixer,
                ffnNorm: try vector(p + "ffn_norm.weight", h),
                feedForward: feedForward))
        }
        // An untied head is read only when the checkpoint really carries one and the model needs logits.
        var head: WeightMatrix? = nil
        if wantHead, !config.tieEmbeddings, store.contains("lm_head.weight") {
            head = try store.matrix("lm_head.weight", rows: rows, cols: h, precision: precision)
        }
        return LFM2Weights(embedding: try matrix("embed_tokens.weight", rows, h), blocks: blocks,
                           finalNorm: try vector("embedding_norm.weight", h), head: head)
    }

    /// `model.` for `Lfm2ForCausalLM`, none for sentence-transformers encoders, `lfm2.` for masked-LM encoders (spec §3).
    private static func namePrefix(_ store: some CheckpointTensors) throws -> String {
        for prefix in ["model.", "", "lfm2."] where store.contains(prefix + "embed_tokens.weight") {
            return prefix
        }
        throw WeightsError.missingTensor(name: "model.embed_tokens.weight", source: store.source)
    }
}
