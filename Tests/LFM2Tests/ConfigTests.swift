import Foundation
import LFM2
import Testing

@Suite struct ConfigTests {
    func decode(_ json: String) throws -> LFM2Config { try LFM2Config.decode(Data(json.utf8), file: "config.json") }

    let base = """
    "model_type": "lfm2", "hidden_size": 1024, "num_hidden_layers": 4, "num_attention_heads": 16,
    "num_key_value_heads": 8, "vocab_size": 65536, "intermediate_size": 4608
    """

    @Test func aliasesOfTheReference() throws {
        let legacy = try decode("""
        {\(base), "full_attn_idxs": [1, 3], "block_ff_dim": 6656, "block_auto_adjust_ff_dim": true,
         "block_multiple_of": 256, "block_ffn_dim_multiplier": 1.0, "theta": 10000.0, "tie_embedding": false,
         "block_norm_eps": 1e-6, "eos_token_id": [7, 2]}
        """)
        #expect(legacy.layerKinds == [.conv, .attention, .conv, .attention])
        #expect(legacy.ffnWidth == 4608)
        #expect(legacy.ropeTheta == 10000)
        #expect(legacy.tieEmbeddings == false)
        #expect(legacy.normEps == 1e-6)
        #expect(legacy.eosTokenIDs == [7, 2])
        #expect(legacy.headDim == 64)

        let modern = try decode("""
        {\(base), "layer_types": ["conv", "full_attention", "conv", "conv"],
         "block_ff_dim": 10752, "block_auto_adjust_ff_dim": false, "rope_parameters": {"rope_theta": 500000.0, "rope_type": "default"},
         "architectures": ["Lfm2BidirectionalModel"], "eos_token_id": 7}
        """)
        #expect(modern.layerKinds == [.conv, .attention, .conv, .conv])
        #expect(modern.ffnWidth == 10752, "2.6B does not auto-adjust")
        #expect(modern.ropeTheta == 500000)
        #expect(modern.direction == .bidirectional)
    }

    @Test func ffnRuleOfTheReleasedSizes() {
        for (base, width) in [(6656, 4608), (10240, 6912), (12288, 8192)] {
            #expect(LFM2Config.ffnWidth(base: base, autoAdjust: true, multiplier: 1.0, multipleOf: 256) == width)
        }
    }

    @Test func parameterCountOfTheRealShapes() {
        #expect(LFM2Config.preset(.lfm2_350m).parameterCount == 354_483_968)
        #expect(LFM2Config.preset(.lfm2_1_2b).parameterCount == 1_170_340_608)
    }

    @Test func refusesWhatItCannotRun() throws {
        #expect(throws: ModelError.self) { try decode(#"{"model_type": "lfm2_vl", "hidden_size": 2048}"#) }
        #expect(throws: ModelError.self) { try decode(#"{"model_type": "llama", "hidden_size": 2048}"#) }
        do {
            _ = try decode(#"{"model_type": "lfm2_vl"}"#)
        } catch {
            #expect(String(describing: error).contains("not supported"))
        }
        // lfm2_moe is read, and a dense config relabelled as one names the first missing mixture field.
        do {
            _ = try decode(try variant("model_type", "lfm2_moe"))
            Issue.record("a dense config without num_experts loaded as lfm2_moe")
        } catch {
            #expect(String(describing: error).contains("num_experts"), "\(error)")
        }
    }

    /// The base config with one field replaced (or removed when `value` is nil).
    func variant(_ field: String, _ value: Any?) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data("{\(base)}".utf8)) as! [String: Any]
        object[field] = value
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func wronglyTypedValuesNameTheField() throws {
        let cases: [(String, String)] = [
            (try variant("hidden_size", "1024"), "hidden_size"),
            (try variant("layer_types", ["conv", "mamba", "conv", "conv"]), "layer_types"),
            (try variant("layer_types", ["conv"]), "layer_types"),
            (try variant("tie_word_embeddings", 1), "tie_word_embeddings"),
            (try variant("num_key_value_heads", 5), "num_key_value_heads"),
            (try variant("rope_theta", "big"), "rope_theta"),
            (try variant("hidden_size", nil), "hidden_size"),
            (try variant("num_hidden_layers", 2.5), "num_hidden_layers"),
        ]
        for (json, field) in cases {
            do {
                _ = try decode(json)
                Issue.record("accepted \(json)")
            } catch {
                let message = String(describing: error)
                #expect(message.contains("config.json") && message.contains(field), "\(message)")
            }
        }
        #expect(throws: ModelError.self) { try decode("not json") }
    }
}
