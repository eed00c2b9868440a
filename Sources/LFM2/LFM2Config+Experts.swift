/// The sparse feed-forward of `lfm2_moe` checkpoints (LFM2-8B-A1B, spec §7), read from config.json.
///
/// Blocks `0 ..< denseLayers` keep the dense SwiGLU of width `LFM2Config.ffnWidth` (`intermediate_size`, used as-is);
/// every later block routes each token to `perToken` of `count` SwiGLU experts of width `width`.
public struct MixtureOfExpertsConfig: Sendable, Equatable {
    /// `num_experts`.
    public var count: Int
    /// `num_experts_per_tok`: the top-k of the router.
    public var perToken: Int
    /// `moe_intermediate_size`: each expert's SwiGLU width.
    public var width: Int
    /// `num_dense_layers`: how many leading blocks keep the dense SwiGLU.
    public var denseLayers: Int
    /// `norm_topk_prob`: divide the selected scores by their sum (+1e-6) before scaling.
    public var normalizesWeights: Bool
    /// `routed_scaling_factor`: multiplies the (normalised) weights.
    public var routedScale: Float
    /// `use_expert_bias`: a per-expert `feed_forward.expert_bias` added to the scores for the selection only.
    public var usesExpertBias: Bool

    public init(count: Int, perToken: Int, width: Int, denseLayers: Int, normalizesWeights: Bool = true,
                routedScale: Float = 1, usesExpertBias: Bool = true) {
        self.count = count
        self.perToken = perToken
        self.width = width
        self.denseLayers = denseLayers
        self.normalizesWeights = normalizesWeights
        self.routedScale = routedScale
        self.usesExpertBias = usesExpertBias
    }
}

extension LFM2Config {
    /// Whether block `layer` runs the routed experts rather than the dense SwiGLU.
    public func isSparse(layer: Int) -> Bool {
        guard let experts else { return false }
        return layer >= experts.denseLayers
    }
}

extension ConfigReader {
    /// Upper bound on `num_experts` (LFM2-8B-A1B: 32, LFM2-24B-A2B: 64).
    static let maximumExperts = 4096

    /// The `lfm2_moe` fields (configuration_lfm2_moe.py). The shapes are required; the flags default as the
    /// reference class does (`norm_topk_prob` true, `routed_scaling_factor` 1, `use_expert_bias` true).
    func mixtureOfExperts(layers: Int) throws -> MixtureOfExpertsConfig {
        let count = try requiredInt("num_experts", minimum: 1, maximum: Self.maximumExperts)
        let perToken = try requiredInt("num_experts_per_tok", minimum: 1, maximum: Self.maximumExperts)
        guard perToken <= count else {
            throw ModelError.invalidConfig(file: file, field: "num_experts_per_tok",
                                           problem: "(\(perToken)) must be at most num_experts (\(count))")
        }
        let width = try requiredInt("moe_intermediate_size", minimum: 1, maximum: Self.maximumWidth)
        let dense = try requiredInt("num_dense_layers", minimum: 0, maximum: layers)
        let scale = try optionalDouble("routed_scaling_factor") ?? 1
        guard scale > 0, scale <= 1e6 else {
            throw ModelError.invalidConfig(file: file, field: "routed_scaling_factor",
                                           problem: "must be a positive factor of at most 1e6, found \(scale)")
        }
        return MixtureOfExpertsConfig(
            count: count, perToken: perToken, width: width, denseLayers: dense,
            normalizesWeights: try optionalBool("norm_topk_prob") ?? true, routedScale: Float(scale),
            usesExpertBias: try optionalBool("use_expert_bias") ?? true)
    }

    private func requiredInt(_ key: String, minimum: Int, maximum: Int) throws -> Int {
        guard let value = try optionalInt(key, minimum: minimum, maximum: maximum) else {
            throw ModelError.invalidConfig(file: file, field: key, problem: "is missing (lfm2_moe needs it)")
        }
        return value
    }
}

extension GGUFConfigReader {
    /// The `lfm2moe.*` keys llama.cpp's converter writes (`expert_count`, `expert_used_count`,
    /// `expert_feed_forward_length`, `leading_dense_block_count`, `expert_gating_func`). The converter writes neither
    /// `routed_scaling_factor` nor `norm_topk_prob`, and llama.cpp's lfm2moe graph always normalises the chosen weights
    /// and scales them only by an `expert_weights_scale` key it never reads: Ferret does the same (normalised, scale
    /// from `expert_weights_scale` when present and not 0, else 1). LFM2-8B-A1B (scale 1, normalised) is unaffected;
    /// a checkpoint with another routed_scaling_factor loses it in the conversion, in llama.cpp as here.
    func mixtureOfExperts(layers: Int) throws -> MixtureOfExpertsConfig {
        let count = try int("expert_count", maximum: ConfigReader.maximumExperts)
        let perToken = try int("expert_used_count", maximum: ConfigReader.maximumExperts)
        guard perToken <= count else {
            throw invalid("expert_used_count", "(\(perToken)) must be at most expert_count (\(count))")
        }
        // llama.cpp accepts one width or a per-layer array; Ferret runs one width for every sparse block.
        let widths = Set(try perLayer("expert_feed_forward_length", layers: layers, maximum: ConfigReader.maximumWidth)
            .filter { $0 > 0 })
        guard widths.count == 1, let width = widths.first else {
            throw invalid("expert_feed_forward_length", "must give one positive width for every sparse block")
        }
        let dense = try optionalInt("leading_dense_block_count", maximum: layers) ?? 0
        if let gating = try optionalInt("expert_gating_func", maximum: 1 << 20), gating != 2 {
            throw invalid("expert_gating_func", "is \(gating); LFM2 routes with a sigmoid (2)")
        }
        let scale = try optionalDouble("expert_weights_scale") ?? 0
        guard scale >= 0, scale <= 1e6 else {
            throw invalid("expert_weights_scale", "must be a factor from 0 to 1e6, found \(scale)")
        }
        return MixtureOfExpertsConfig(count: count, perToken: perToken, width: width, denseLayers: dense,
                                      normalizesWeights: true, routedScale: scale == 0 ? 1 : Float(scale),
                                      usesExpertBias: true)
    }
}
