import Foundation
import Weights

extension LFM2Config {
    /// The configuration llama.cpp's converter writes into an LFM2 GGUF file (spec §6): `general.architecture` =
    /// "lfm2", then `lfm2.*` keys. The per-layer `attention.head_count_kv` array tells the layer kinds: 0 for a
    /// short-conv layer. Every size is bounded as `config.json`'s are.
    public static func load(gguf file: GGUFFile) throws -> LFM2Config {
        let reader = GGUFConfigReader(file: file)
        try reader.checkArchitecture()
        let hidden = try reader.int("embedding_length", maximum: ConfigReader.maximumWidth)
        let layers = try reader.int("block_count", maximum: ConfigReader.maximumLayers)
        let heads = try reader.perLayer("attention.head_count", layers: layers)
        let kvHeads = try reader.perLayer("attention.head_count_kv", layers: layers)
        let kinds: [LayerKind] = kvHeads.map { $0 == 0 ? .conv : .attention }
        // Ferret's attention has one head count for all attention layers (true of every LFM2 release).
        let attentionHeads = Set(zip(heads, kvHeads).filter { $0.1 > 0 }.map(\.0))
        let attentionKV = Set(kvHeads.filter { $0 > 0 })
        guard attentionHeads.count <= 1, attentionKV.count <= 1 else {
            throw reader.invalid("attention.head_count_kv", "varies between attention layers, which Ferret does not run")
        }
        let headCount = attentionHeads.first ?? heads.max() ?? 1
        let kvHeadCount = attentionKV.first ?? headCount
        guard headCount >= 1, headCount % kvHeadCount == 0 else {
            throw reader.invalid("attention.head_count_kv", "(\(kvHeadCount)) must divide attention.head_count (\(headCount))")
        }
        let headDim = try reader.optionalInt("attention.key_length", maximum: ConfigReader.maximumWidth) ?? hidden / headCount
        guard headDim >= 1, headCount * headDim <= ConfigReader.maximumWidth else {
            throw reader.invalid("attention.head_count", "(\(headCount)) does not fit embedding_length (\(hidden))")
        }
        let causal = try reader.optionalBool("attention.causal") ?? true
        let experts = reader.architecture == "lfm2moe" ? try reader.mixtureOfExperts(layers: layers) : nil
        func tokenID(_ key: String) throws -> Int? {
            try reader.optionalInt(key, prefixed: false, maximum: ConfigReader.maximumVocabulary)
        }
        return LFM2Config(
            hiddenSize: hidden, layerKinds: kinds, headCount: headCount, kvHeadCount: kvHeadCount, headDim: headDim,
            convKernel: try reader.optionalInt("shortconv.l_cache", maximum: ConfigReader.maximumConvKernel) ?? 3,
            convBias: false,
            ffnWidth: try reader.int("feed_forward_length", maximum: ConfigReader.maximumWidth),
            normEps: Float(try reader.optionalDouble("attention.layer_norm_rms_epsilon") ?? 1e-5),
            ropeTheta: Float(try reader.optionalDouble("rope.freq_base") ?? 1_000_000),
            maxPositions: try reader.optionalInt("context_length", maximum: Int(Int32.max)) ?? 128_000,
            vocabSize: try reader.optionalInt("vocab_size", maximum: ConfigReader.maximumVocabulary) ?? 1,
            tieEmbeddings: file.tensors["output.weight"] == nil,
            bosTokenID: try tokenID("tokenizer.ggml.bos_token_id"),
            eosTokenIDs: try tokenID("tokenizer.ggml.eos_token_id").map { [$0] } ?? [],
            padTokenID: try tokenID("tokenizer.ggml.padding_token_id"),
            direction: causal ? .causal : .bidirectional,
            experts: experts)
    }
}

/// Typed, bounded reads of `lfm2.*` metadata; errors name the file and the key.
struct GGUFConfigReader {
    let file: GGUFFile

    func checkArchitecture() throws {
        guard let architecture = file.metadata["general.architecture"]?.string else {
            throw invalid("general.architecture", "is missing; this is not a llama.cpp model file", prefixed: false)
        }
        switch architecture {
        case "lfm2", "lfm2moe":
            return
        default:
            throw ModelError.unsupportedModel(
                file: file.path, detail: "architecture \"\(architecture)\" is not LFM2; Ferret runs LFM2 and LFM2.5 "
                    + "GGUF files (general.architecture = \"lfm2\").")
        }
    }

    /// `lfm2` or `lfm2moe`: the prefix of the model's metadata keys.
    var architecture: String { file.metadata["general.architecture"]?.string ?? "lfm2" }

    func key(_ name: String, prefixed: Bool = true) -> String { prefixed ? architecture + "." + name : name }

    func invalid(_ name: String, _ problem: String, prefixed: Bool = true) -> ModelError {
        .invalidConfig(file: file.path, field: key(name, prefixed: prefixed), problem: problem)
    }

    func optionalInt(_ name: String, prefixed: Bool = true, minimum: Int = 0, maximum: Int) throws -> Int? {
        guard let value = file.metadata[key(name, prefixed: prefixed)] else { return nil }
        guard let number = value.int else { throw invalid(name, "must be an integer", prefixed: prefixed) }
        guard (minimum...maximum).contains(number) else {
            throw invalid(name, "is \(number); expected \(minimum) to \(maximum)", prefixed: prefixed)
        }
        return number
    }

    func int(_ name: String, maximum: Int) throws -> Int {
        guard let number = try optionalInt(name, minimum: 1, maximum: maximum) else { throw invalid(name, "is missing") }
        return number
    }

    func optionalDouble(_ name: String) throws -> Double? {
        guard let value = file.metadata[key(name)] else { return nil }
        guard let number = value.double, number.isFinite else { throw invalid(name, "must be a finite number") }
        return number
    }

    func optionalBool(_ name: String) throws -> Bool? {
        guard let value = file.metadata[key(name)] else { return nil }
        guard let flag = value.bool else { throw invalid(name, "must be true or false") }
        return flag
    }

    /// A per-layer array, or one integer for every layer.
    func perLayer(_ name: String, layers: Int, maximum: Int = ConfigReader.maximumHeads) throws -> [Int] {
        guard let value = file.metadata[key(name)] else { throw invalid(name, "is missing") }
        let values: [Int]
        if let items = value.array {
            guard items.count == layers else { throw invalid(name, "has \(items.count) entries for \(layers) layers") }
            values = try items.map { item in
                guard let number = item.int else { throw invalid(name, "must hold integers") }
                return number
            }
        } else if let number = value.int {
            values = Array(repeating: number, count: layers)
        } else {
            throw invalid(name, "must be an integer or a list of integers")
        }
        if let bad = values.first(where: { !(0...maximum).contains($0) }) {
            throw invalid(name, "contains \(bad); expected 0 to \(maximum)")
        }
        return values
    }
}
