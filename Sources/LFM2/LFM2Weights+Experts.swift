import Kernels

extension LFM2Weights {
    /// The sparse feed-forward of an `lfm2_moe` block (transformers `Lfm2MoeSparseMoeBlock`, spec §7): a sigmoid
    /// router over `experts.count` SwiGLU experts. Every expert matrix stays a separate `WeightMatrix` viewing the
    /// memory map at its stored precision, so a token's pass reads only the bytes of the experts it was routed to.
    public struct MixtureOfExperts: Sendable {
        /// `feed_forward.gate.weight [E, H]`, always F32 (see `load`).
        public let router: WeightMatrix
        /// `feed_forward.expert_bias [E]`: added to the scores to choose the experts, never to weight them; nil when
        /// `use_expert_bias` is false.
        public let bias: [Float]?
        /// `feed_forward.experts.{e}.w1 / w3 / w2`, e = 0 ..< E: `[W, H]`, `[W, H]`, `[H, W]`.
        public let experts: [SwiGLU]

        /// Reads one sparse block's tensors; `prefix` is the block's `…feed_forward.`.
        ///
        /// The router is widened to F32 whatever `precision` says: the top-k choice is discontinuous, so a router
        /// logit rounded through a BF16 product (the AVX512-BF16 GEMM rounds its input to BF16) could swap an
        /// expert. It is small (E × H: 256 KB a block at 32 × 2048); the experts, 97 % of the model, stay as stored.
        static func load(store: some CheckpointTensors, prefix: String, config: MixtureOfExpertsConfig, hidden h: Int,
                         precision: Precision) throws -> MixtureOfExperts {
            let w = config.width
            let router = try store.matrix(prefix + "gate.weight", rows: config.count, cols: h, precision: .f32)
            let bias = config.usesExpertBias ? try store.vector(prefix + "expert_bias", shape: [config.count]) : nil
            let experts = try (0..<config.count).map { e in
                let p = prefix + "experts.\(e)."
                return SwiGLU(gate: try store.matrix(p + "w1.weight", rows: w, cols: h, precision: precision),
                              up: try store.matrix(p + "w3.weight", rows: w, cols: h, precision: precision),
                              down: try store.matrix(p + "w2.weight", rows: h, cols: w, precision: precision))
            }
            return MixtureOfExperts(router: router, bias: bias, experts: experts)
        }
    }
}
