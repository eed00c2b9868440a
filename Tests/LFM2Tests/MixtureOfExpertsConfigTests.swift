import Foundation
import LFM2
import Testing
import TestSupport
import Weights

/// `lfm2_moe` configs, and damaged `lfm2_moe` folders: each gives an error naming the file and the field or tensor,
/// never a crash.
@Suite struct MixtureOfExpertsConfigTests {
    /// The shape of LiquidAI/LFM2-8B-A1B's config.json (spec §7).
    @Test func readsTheLFM2_8B_A1BConfig() throws {
        let attention: Set = [2, 6, 10, 14, 18, 21]
        let types = (0..<24).map { attention.contains($0) ? "\"full_attention\"" : "\"conv\"" }.joined(separator: ",")
        let json = """
        {"architectures": ["Lfm2MoeForCausalLM"], "model_type": "lfm2_moe", "bos_token_id": 1, "eos_token_id": 7,
         "pad_token_id": 0, "conv_L_cache": 3, "conv_bias": false, "dtype": "bfloat16", "hidden_size": 2048,
         "intermediate_size": 7168, "moe_intermediate_size": 1792, "num_experts": 32, "num_experts_per_tok": 4,
         "num_dense_layers": 2, "norm_topk_prob": true, "routed_scaling_factor": 1.0, "use_expert_bias": true,
         "max_position_embeddings": 128000, "norm_eps": 1e-05, "num_attention_heads": 32, "num_key_value_heads": 8,
         "num_hidden_layers": 24, "rope_theta": 1000000.0, "tie_word_embeddings": true, "vocab_size": 65536,
         "layer_types": [\(types)]}
        """
        let config = try LFM2Config.decode(Data(json.utf8))
        #expect(config.experts == MixtureOfExpertsConfig(count: 32, perToken: 4, width: 1792, denseLayers: 2))
        #expect(config.ffnWidth == 7168, "no auto-adjust for the dense blocks")
        #expect(config.layerKinds.filter { $0 == .attention }.count == 6)
        #expect(!config.isSparse(layer: 1) && config.isSparse(layer: 2) && config.isSparse(layer: 23))
    }

    /// A copy of the fixture folder with its config.json and safetensors header edited by `edit`.
    func damagedCopy(config: (inout [String: Any]) -> Void = { _ in },
                     header: (inout [String: Any]) -> Void = { _ in }) throws -> URL {
        let folder = try Fixtures.temporaryDirectory().appendingPathComponent("lfm2-moe-tiny")
        try FileManager.default.copyItem(at: Fixtures.url("lfm2-moe-tiny"), to: folder)
        let configURL = folder.appendingPathComponent("config.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as! [String: Any]
        config(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: configURL)

        // The header is rewritten in place, padded with spaces to its old length, so the data offsets stay valid.
        let weightsURL = folder.appendingPathComponent("model.safetensors")
        var bytes = try Data(contentsOf: weightsURL)
        let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        var entries = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8 ..< 8 + length)) as! [String: Any]
        header(&entries)
        var rewritten = try JSONSerialization.data(withJSONObject: entries)
        try #require(rewritten.count <= length, "the edited header must not grow")
        rewritten.append(contentsOf: [UInt8](repeating: 0x20, count: length - rewritten.count))
        bytes.replaceSubrange(8 ..< 8 + length, with: rewritten)
        try bytes.write(to: weightsURL)
        return folder
    }

    func loadError(_ folder: URL) -> String {
        do {
            _ = try LFM2Model.load(directory: folder, precision: .auto)
            return "loaded without an error"
        } catch {
            return String(describing: error)
        }
    }

    @Test func moreExpertsPerTokenThanExperts() throws {
        let folder = try damagedCopy(config: { $0["num_experts_per_tok"] = 9 })
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let message = loadError(folder)
        #expect(message.contains("num_experts_per_tok") && message.contains("num_experts (8)")
                && message.contains("config.json"), "\(message)")
    }

    @Test func missingMixtureFieldsAreNamed() throws {
        for field in ["num_experts", "moe_intermediate_size", "num_dense_layers"] {
            let folder = try damagedCopy(config: { $0.removeValue(forKey: field) })
            defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
            let message = loadError(folder)
            #expect(message.contains("\"\(field)\" is missing") && message.contains("config.json"), "\(message)")
        }
        let folder = try damagedCopy(config: { $0["num_dense_layers"] = 6 })
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        #expect(loadError(folder).contains("num_dense_layers"))
    }

    @Test func missingExpertTensor() throws {
        let name = "model.layers.3.feed_forward.experts.5.w3.weight"
        let folder = try damagedCopy(header: { entries in
            entries["model.layers.3.feed_forward.experts.5.w3.weighX"] = entries.removeValue(forKey: name)
        })
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let message = loadError(folder)
        #expect(message.contains("'\(name)' is missing") && message.contains("lfm2-moe-tiny"), "\(message)")
    }

    @Test func expertTensorOfTheWrongShape() throws {
        let name = "model.layers.2.feed_forward.experts.7.w2.weight"
        let folder = try damagedCopy(header: { entries in
            var entry = entries[name] as! [String: Any]
            entry["shape"] = [24, 64]   // stored [H, W] = [64, 24]: same bytes, transposed shape
            entries[name] = entry
        })
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let message = loadError(folder)
        #expect(message.contains("'\(name)'") && message.contains("model.safetensors")
                && message.contains("[24, 64]") && message.contains("[64, 24]"), "\(message)")
    }

    @Test func routerOfTheWrongShape() throws {
        let folder = try damagedCopy(config: { $0["num_experts"] = 6; $0["num_experts_per_tok"] = 2 })
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let message = loadError(folder)
        #expect(message.contains("feed_forward.gate.weight") && message.contains("model.safetensors"), "\(message)")
    }
}
