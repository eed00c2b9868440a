extension LFM2Config {
    /// The published shapes (spec §1.2), for benchmarks and parameter-count checks without downloading weights.
    public enum Shape: String, CaseIterable, Sendable {
        case lfm2_350m = "350m"
        case lfm2_1_2b = "1.2b"
    }

    public static func preset(_ shape: Shape) -> LFM2Config {
        let attention: Set<Int> = [2, 5, 8, 10, 12, 14]
        let kinds = (0..<16).map { attention.contains($0) ? LayerKind.attention : .conv }
        let (hidden, heads, ffn) = shape == .lfm2_350m ? (1024, 16, 4608) : (2048, 32, 8192)
        return LFM2Config(
            hiddenSize: hidden, layerKinds: kinds, headCount: heads, kvHeadCount: 8, headDim: 64, convKernel: 3,
            convBias: false, ffnWidth: ffn, normEps: 1e-5, ropeTheta: 1_000_000, maxPositions: 128_000,
            vocabSize: 65_536, tieEmbeddings: true, bosTokenID: 1, eosTokenIDs: [7], padTokenID: 0, direction: .causal)
    }

    /// Number of parameters the weights of this config hold (tied head counted once).
    public var parameterCount: Int {
        let h = hiddenSize, d = headDim
        var total = vocabSize * h + h                       // embedding, final norm
        for kind in layerKinds {
            total += 2 * h + 3 * ffnWidth * h                 // two norms, SwiGLU
            switch kind {
            case .conv: total += 3 * h * h + h * convKernel + h * h
            case .attention: total += headCount * d * h + 2 * kvHeadCount * d * h + h * headCount * d + 2 * d
            }
        }
        if !tieEmbeddings { total += vocabSize * h }
        return total
    }
}
