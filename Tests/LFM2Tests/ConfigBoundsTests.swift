import Foundation
import LFM2
import TestSupport
import Testing

/// Damaged copies of the fixture config.json whose sizes are absurd: each is refused with `invalidConfig` naming the
/// file and the field, instead of a trap (`Int(Double)`, an overflowing product) or a giant allocation later.
@Suite struct ConfigBoundsTests {
    /// Copies `lfm2-tiny/config.json` into a temp folder with `changes` applied (nil removes a key), and loads it.
    func loadDamaged(_ changes: [String: Any?]) throws -> LFM2Config {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fixture = try Fixtures.data("lfm2-tiny/config.json")
        var object = try #require(try JSONSerialization.jsonObject(with: fixture) as? [String: Any])
        for (key, value) in changes { object[key] = value }
        let url = folder.appendingPathComponent("config.json")
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        return try LFM2Config.load(directory: folder)
    }

    @Test func theUndamagedCopyLoads() throws {
        let config = try loadDamaged([:])
        #expect(config.hiddenSize == 64 && config.layerCount == 6 && config.headDim == 16)
    }

    @Test func absurdSizesNameTheField() {
        let cases: [(changes: [String: Any?], field: String, words: String)] = [
            // Without layer_types the layer list was allocated from num_hidden_layers: 10^12 entries.
            (["num_hidden_layers": 1_000_000_000_000, "layer_types": nil], "num_hidden_layers", "at most 4096"),
            (["num_hidden_layers": 1_000_000_000_000, "layer_types": nil, "full_attn_idxs": [1]], "num_hidden_layers",
             "at most 4096"),
            // Int(1e300 × width) trapped.
            (["block_ffn_dim_multiplier": 1e300], "block_ffn_dim_multiplier", "at most 64"),
            (["block_ffn_dim_multiplier": -1.0], "block_ffn_dim_multiplier", "positive"),
            (["hidden_size": 1 << 40], "hidden_size", "at most 1048576"),
            (["intermediate_size": 1 << 40], "intermediate_size", "at most 1048576"),
            (["block_multiple_of": 1 << 40], "block_multiple_of", "at most 1048576"),
            (["vocab_size": 1_000_000_000_000], "vocab_size", "at most 16777216"),
            (["conv_L_cache": 1_000_000_000], "conv_L_cache", "at most 4096"),
            // heads × head_dim overflowed when the attention projections were sized.
            (["num_attention_heads": 1 << 32, "num_key_value_heads": 1 << 32], "num_attention_heads", "at most 4096"),
            (["head_dim": 1 << 40], "head_dim", "at most 1048576"),
            (["head_dim": 1 << 20, "num_attention_heads": 4096, "num_key_value_heads": 1], "head_dim", "at most 1048576"),
            // More heads than width: head_dim would be 0.
            (["num_attention_heads": 128, "num_key_value_heads": 2], "num_attention_heads", "head_dim would be 0"),
        ]
        for (changes, field, words) in cases {
            do {
                _ = try loadDamaged(changes)
                Issue.record("accepted \(changes)")
            } catch let error as ModelError {
                guard case .invalidConfig(let file, let named, _) = error else {
                    Issue.record("\(changes): \(error)")
                    continue
                }
                #expect(file.hasSuffix("config.json") && named == field, "\(changes): \(error)")
                #expect(error.description.contains(words), "\(changes): \(error)")
            } catch {
                Issue.record("\(changes): not a ModelError: \(error)")
            }
        }
    }
}
