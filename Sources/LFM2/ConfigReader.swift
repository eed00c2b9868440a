import Foundation

/// Reads typed values out of a decoded `config.json`, throwing `ModelError.invalidConfig` that names the field.
struct ConfigReader {
    let object: [String: JSONValue]
    let file: String

    init(_ object: [String: JSONValue], file: String) {
        self.object = object
        self.file = file
    }

    /// Upper bounds for sizes, far above any released model (LFM2-2.6B: width 2,048, FFN 10,752, 30 layers) but low
    /// enough that every product of them the model computes (`3·H·H`, `heads·head_dim·H`) fits an Int: a damaged
    /// config.json gets an error here instead of a trap or a giant allocation later.
    static let maximumWidth = 1 << 20
    static let maximumLayers = 4096
    static let maximumHeads = 4096
    static let maximumConvKernel = 4096
    static let maximumVocabulary = 1 << 24

    func lfm2Config() throws -> LFM2Config {
        let isMixture = try checkModelType() == "lfm2_moe"
        let hidden = try firstInt(["hidden_size", "block_dim", "conv_dim"], minimum: 1, maximum: Self.maximumWidth)
        let layers = try firstInt(["num_hidden_layers"], minimum: 1, maximum: Self.maximumLayers)
        let heads = try firstInt(["num_attention_heads", "num_heads"], minimum: 1, maximum: Self.maximumHeads)
        let kvHeads = try optionalInt("num_key_value_heads", minimum: 1, maximum: Self.maximumHeads) ?? heads
        guard heads % kvHeads == 0 else {
            throw ModelError.invalidConfig(file: file, field: "num_key_value_heads",
                                           problem: "(\(kvHeads)) must divide num_attention_heads (\(heads))")
        }
        let headDim = try optionalInt("head_dim", minimum: 1, maximum: Self.maximumWidth) ?? hidden / heads
        guard headDim >= 1 else {
            throw ModelError.invalidConfig(file: file, field: "num_attention_heads",
                                           problem: "(\(heads)) is larger than hidden_size (\(hidden)), so head_dim "
                                               + "would be 0")
        }
        guard heads * headDim <= Self.maximumWidth else {
            throw ModelError.invalidConfig(file: file, field: "head_dim", problem: "(\(headDim)) × num_attention_heads "
                                           + "(\(heads)) must be at most \(Self.maximumWidth)")
        }
        let kinds = try layerKinds(count: layers)
        let base = try optionalInt("block_ff_dim", minimum: 1, maximum: Self.maximumWidth)
            ?? optionalInt("intermediate_size", minimum: 1, maximum: Self.maximumWidth)
        guard let base else {
            throw ModelError.invalidConfig(file: file, field: "intermediate_size", problem: "is missing (or block_ff_dim)")
        }
        let multiplier = try optionalDouble("block_ffn_dim_multiplier")
        // Checked before `ffnWidth` converts `multiplier × width` to an Int, which traps when it does not fit.
        if let multiplier, !(multiplier > 0 && multiplier <= 64) {
            throw ModelError.invalidConfig(file: file, field: "block_ffn_dim_multiplier",
                                           problem: "must be a positive factor of at most 64, found \(multiplier)")
        }
        // lfm2_moe's dense blocks use intermediate_size as-is (spec gotcha 5).
        let autoAdjust = try !isMixture && (optionalBool("block_auto_adjust_ff_dim") ?? false)
        let ffn = LFM2Config.ffnWidth(
            base: base, autoAdjust: autoAdjust, multiplier: multiplier,
            multipleOf: try optionalInt("block_multiple_of", minimum: 1, maximum: Self.maximumWidth) ?? 256)
        guard (1...Self.maximumWidth).contains(ffn) else {
            throw ModelError.invalidConfig(file: file, field: "intermediate_size",
                                           problem: "gives an FFN width of \(ffn) after block_ffn_dim_multiplier and "
                                               + "block_multiple_of; expected 1 to \(Self.maximumWidth)")
        }
        let theta = try optionalDouble("rope_theta") ?? optionalDouble("theta")
            ?? nestedDouble("rope_parameters", "rope_theta") ?? 1_000_000
        let tie = try optionalBool("tie_word_embeddings") ?? optionalBool("tie_embedding") ?? true
        let eos = try eosTokenIDs()
        let architectures = (object["architectures"]?.array ?? []).compactMap(\.string)
        return LFM2Config(
            hiddenSize: hidden, layerKinds: kinds, headCount: heads, kvHeadCount: kvHeads, headDim: headDim,
            convKernel: try optionalInt("conv_L_cache", minimum: 1, maximum: Self.maximumConvKernel) ?? 3,
            convBias: try optionalBool("conv_bias") ?? false,
            ffnWidth: ffn,
            normEps: Float(try optionalDouble("norm_eps") ?? optionalDouble("block_norm_eps") ?? 1e-5),
            ropeTheta: Float(theta),
            maxPositions: try optionalInt("max_position_embeddings", minimum: 1) ?? 128_000,
            vocabSize: try firstInt(["vocab_size"], minimum: 1, maximum: Self.maximumVocabulary),
            tieEmbeddings: tie,
            bosTokenID: try optionalInt("bos_token_id", minimum: 0),
            eosTokenIDs: eos,
            padTokenID: try optionalInt("pad_token_id", minimum: 0),
            direction: architectures.contains("Lfm2BidirectionalModel") ? .bidirectional : .causal,
            experts: isMixture ? try mixtureOfExperts(layers: layers) : nil)
    }

    /// The `model_type`, when Ferret runs it.
    private func checkModelType() throws -> String {
        guard let type = value("model_type") else {
            throw ModelError.invalidConfig(file: file, field: "model_type", problem: "is missing; this is not a Hugging Face LFM2 folder")
        }
        guard let name = type.string else {
            throw ModelError.invalidConfig(file: file, field: "model_type", problem: "must be a string")
        }
        switch name {
        case "lfm2", "lfm2_bidirectional", "lfm2_moe":
            return name
        case "lfm2_vl", "lfm2-vl":
            throw ModelError.unsupportedModel(
                file: file, detail: "model_type \"\(name)\" (vision-language) is not supported; use a text LFM2 / LFM2.5 model.")
        default:
            throw ModelError.unsupportedModel(
                file: file, detail: "model_type \"\(name)\" is not an LFM2 model; Ferret runs LFM2, LFM2.5 and their ColBERT encoders.")
        }
    }

    private func layerKinds(count: Int) throws -> [LFM2Config.LayerKind] {
        if let raw = value("layer_types") {
            guard let names = raw.array?.compactMap(\.string), names.count == raw.array?.count else {
                throw ModelError.invalidConfig(file: file, field: "layer_types", problem: "must be a list of strings")
            }
            guard names.count == count else {
                throw ModelError.invalidConfig(file: file, field: "layer_types",
                                               problem: "has \(names.count) entries but num_hidden_layers is \(count)")
            }
            return try names.map { name in
                guard let kind = LFM2Config.LayerKind(rawValue: name) else {
                    throw ModelError.invalidConfig(file: file, field: "layer_types",
                                                   problem: "contains unknown layer type \"\(name)\" (expected \"conv\" or \"full_attention\")")
                }
                return kind
            }
        }
        if let raw = value("full_attn_idxs") {
            guard let indices = raw.array?.compactMap(\.int), indices.count == raw.array?.count else {
                throw ModelError.invalidConfig(file: file, field: "full_attn_idxs", problem: "must be a list of integers")
            }
            if let bad = indices.first(where: { $0 < 0 || $0 >= count }) {
                throw ModelError.invalidConfig(file: file, field: "full_attn_idxs",
                                               problem: "contains \(bad), outside 0..<\(count)")
            }
            let set = Set(indices)
            return (0..<count).map { set.contains($0) ? .attention : .conv }
        }
        // The class default (all attention) is never true for real checkpoints.
        return Array(repeating: .attention, count: count)
    }

    private func eosTokenIDs() throws -> [Int] {
        guard let raw = value("eos_token_id") else { return [] }
        if let single = raw.int { return [single] }
        if let list = raw.array {
            let ids = list.compactMap(\.int)
            if ids.count == list.count { return ids }
        }
        throw ModelError.invalidConfig(file: file, field: "eos_token_id", problem: "must be an integer or a list of integers")
    }

    // MARK: typed access

    private func value(_ key: String) -> JSONValue? {
        guard let raw = object[key], !raw.isNull else { return nil }
        return raw
    }

    private func firstInt(_ keys: [String], minimum: Int, maximum: Int = .max) throws -> Int {
        for key in keys { if let value = try optionalInt(key, minimum: minimum, maximum: maximum) { return value } }
        throw ModelError.invalidConfig(file: file, field: keys[0], problem: "is missing")
    }

    func optionalInt(_ key: String, minimum: Int, maximum: Int = .max) throws -> Int? {
        guard let raw = value(key) else { return nil }
        guard let number = raw.int else {
            throw ModelError.invalidConfig(file: file, field: key, problem: "must be an integer, found \(raw.kindDescription)")
        }
        guard number >= minimum else {
            throw ModelError.invalidConfig(file: file, field: key, problem: "must be at least \(minimum), found \(number)")
        }
        guard number <= maximum else {
            throw ModelError.invalidConfig(file: file, field: key, problem: "must be at most \(maximum), found \(number)")
        }
        return number
    }

    func optionalDouble(_ key: String) throws -> Double? {
        guard let raw = value(key) else { return nil }
        guard let number = raw.double, number.isFinite else {
            throw ModelError.invalidConfig(file: file, field: key, problem: "must be a number, found \(raw.kindDescription)")
        }
        return number
    }

    private func nestedDouble(_ key: String, _ inner: String) throws -> Double? {
        guard let raw = value(key) else { return nil }
        guard let dict = raw.object else {
            throw ModelError.invalidConfig(file: file, field: key, problem: "must be an object, found \(raw.kindDescription)")
        }
        return try ConfigReader(dict, file: file).optionalDouble(inner)
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let raw = value(key) else { return nil }
        guard let flag = raw.bool else {
            throw ModelError.invalidConfig(file: file, field: key, problem: "must be true or false, found \(raw.kindDescription)")
        }
        return flag
    }
}
