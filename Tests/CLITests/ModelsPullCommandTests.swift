import Foundation
import MockHub
import Testing
import TestSupport

/// From nothing to semantic search with a pulled model, as the README shows it: `ferret models pull` from a Hub (on
/// loopback here), `ferret index --model OWNER/NAME`, then `ferret search` with no `--model` at all.
@Suite struct ModelsPullCommandTests {
    static let encoderID = "LiquidAI/LFM2-ColBERT-350M"

    @Test func pullIndexAndSearchWithoutModel() async throws {
        let hub = MockHub()
        try hub.publish(Self.encoderID, folder: Fixtures.url("colbert-causal-tiny"))
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = try SampleNotes.write(under: folder)
        let index = folder.appendingPathComponent("i.sqlite").path
        let home = folder.appendingPathComponent("ferret-home")
        try await hub.serve { endpoint in
            let env = ["FERRET_CONFIG": "/dev/null", "FERRET_HOME": home.path, "HF_HUB_CACHE": folder.appendingPathComponent("hf").path,
                       "HF_ENDPOINT": endpoint.absoluteString]
            let pull = try await offPool { try FerretBinary.run(["models", "pull", Self.encoderID], environment: env) }
            #expect(pull.status == 0, "\(pull.stderr)")
            #expect(pull.stdout.contains("pulled \(Self.encoderID)@") && pull.stdout.contains("ferret index"), "\(pull.stdout)")
            // Not a terminal: one progress line per file, no bar.
            #expect(pull.stderr.contains("model.safetensors") && !pull.stderr.contains("\u{1B}[K"), "\(pull.stderr)")

            let again = try await offPool { try FerretBinary.run(["models", "pull", Self.encoderID], environment: env) }
            #expect(again.status == 0 && again.stdout.contains("up to date"), "\(again.stdout)")

            let list = try await offPool { try FerretBinary.run(["models", "list", "--json"], environment: env) }
            let models = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
            #expect(models.contains { $0["id"] as? String == Self.encoderID && $0["role"] as? String == "encoder"
                && $0["source"] as? String == "store" }, "\(list.stdout)")

            let built = try await offPool { try FerretBinary.run(["index", notes.path, "--model", Self.encoderID, "--index", index], environment: env) }
            #expect(built.status == 0, "\(built.stderr)")
            let search = try await offPool { try FerretBinary.run(["search", "kettle", "--index", index, "--json", "-k", "1"], environment: env) }
            let hits = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [[String: Any]] ?? []
            #expect((hits.first?["scores"] as? [String: Any])?["maxsim"] is Double, "\(search.stderr)")
            #expect(search.stderr.contains("using the index's encoder"), "\(search.stderr)")

            // The same weights in a renamed folder are the same encoder.
            let renamed = folder.appendingPathComponent("my-encoder")
            try FileManager.default.copyItem(at: home.appendingPathComponent("models/LiquidAI/LFM2-ColBERT-350M"), to: renamed)
            let moved = try await offPool { try FerretBinary.run(["search", "kettle", "--index", index, "--json", "-k", "1", "--model", renamed.path],
                                             environment: env) }
            let movedHits = try JSONSerialization.jsonObject(with: Data(moved.stdout.utf8)) as? [[String: Any]] ?? []
            #expect((movedHits.first?["scores"] as? [String: Any])?["maxsim"] is Double, "\(moved.stderr)")

            // Offline: no request, and the command to run elsewhere.
            hub.clearLog()
            var offline = env
            offline["FERRET_OFFLINE"] = "1"
            let offlineEnvironment = offline
            let refused = try await offPool { try FerretBinary.run(["models", "pull", "LiquidAI/LFM2.5-1.2B-Instruct"], environment: offlineEnvironment) }
            #expect(refused.status == 1 && refused.stderr.contains("ferret models pull LiquidAI/LFM2.5-1.2B-Instruct"), "\(refused.stderr)")
            #expect(hub.requests.isEmpty)

            let missing = try await offPool { try FerretBinary.run(["models", "pull", "LiquidAI/Nothing-Here"], environment: env) }
            #expect(missing.status == 1 && missing.stderr.contains("no such model repository"), "\(missing.stderr)")
        }
    }
}
