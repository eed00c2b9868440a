import Foundation
import Testing
import TestSupport

/// Damaged or foreign model folders: one `error:` line naming the file, exit status 1, never a crash.
@Suite struct BadModelFolderTests {
    /// A copy of the fixture model folder that a test may damage.
    func copyOfModel() throws -> URL {
        let folder = try Fixtures.temporaryDirectory().appendingPathComponent("model")
        try FileManager.default.copyItem(at: Fixtures.url("lfm2-tiny"), to: folder)
        return folder
    }

    func generate(_ folder: URL) throws -> FerretBinary.Output {
        try FerretBinary.run(["generate", "--model", folder.path, "--prompt", "Hello", "--max-tokens", "2"])
    }

    @Test func missingFolder() throws {
        let result = try FerretBinary.run(["generate", "--model", "/nonexistent/model", "--prompt", "x"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error:") && result.stderr.contains("/nonexistent/model"), "\(result.stderr)")
    }

    @Test func truncatedWeights() throws {
        let folder = try copyOfModel()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let weights = folder.appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: weights)
        try data.prefix(data.count / 2).write(to: weights)
        let result = try generate(folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains("truncated") && result.stderr.contains("model.safetensors"), "\(result.stderr)")
    }

    @Test func missingTensorAndWrongShape() throws {
        let folder = try copyOfModel()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let configURL = folder.appendingPathComponent("config.json")
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as! [String: Any]
        // One more layer than the checkpoint has → its tensors are missing.
        config["num_hidden_layers"] = 7
        config["layer_types"] = (config["layer_types"] as! [String]) + ["conv"]
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        var result = try generate(folder)
        #expect(result.status == 1 && result.stderr.contains("layers.6."), "\(result.stderr)")
        // A head count that does not fit the stored projections → wrong shape.
        config["num_hidden_layers"] = 6
        config["layer_types"] = Array((config["layer_types"] as! [String]).prefix(6))
        config["num_attention_heads"] = 8
        config["num_key_value_heads"] = 4
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        result = try generate(folder)
        #expect(result.status == 1 && result.stderr.contains("shape"), "\(result.stderr)")
    }

    @Test func unknownModelTypeAndBadValues() throws {
        let folder = try copyOfModel()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let configURL = folder.appendingPathComponent("config.json")
        let original = try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as! [String: Any]
        for (field, value, expected) in [("model_type", "lfm2_vl" as Any, "not supported"),
                                         ("model_type", "lfm2_moe" as Any, "num_experts"),
                                         ("model_type", "gpt2" as Any, "not an LFM2 model"),
                                         ("hidden_size", "64" as Any, "hidden_size")] {
            var config = original
            config[field] = value
            try JSONSerialization.data(withJSONObject: config).write(to: configURL)
            let result = try generate(folder)
            #expect(result.status == 1 && result.stderr.contains(expected) && result.stderr.contains("config.json"),
                    "\(field)=\(value): \(result.stderr)")
        }
    }

    @Test func encoderCannotGenerate() throws {
        let result = try FerretBinary.run(["generate", "--model", Fixtures.url("lfm2-bidir-tiny").path, "--prompt", "x"])
        #expect(result.status == 1 && result.stderr.contains("bidirectional"), "\(result.stderr)")
    }
}
