import Foundation
import Testing
import TestSupport

/// The index remembers its encoder by its weights, not its folder name: `search` and `ask` use it without
/// `--model`, the same weights in a renamed folder are accepted (and remembered), and a missing encoder falls back to
/// BM25 loudly, never silently.
@Suite struct EncoderMemoryTests {
    @Test func theIndexFindsItsEncoderAndAcceptsTheSameWeightsAnywhere() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = try SampleNotes.write(under: folder)
        let first = folder.appendingPathComponent("LFM2-ColBERT-copy")
        try FileManager.default.copyItem(at: Fixtures.url("colbert-causal-tiny"), to: first)
        let index = folder.appendingPathComponent("i.sqlite").path
        let env = ["FERRET_CONFIG": "/dev/null"]
        #expect(try FerretBinary.run(["index", notes.path, "--model", first.path, "--index", index], environment: env).status == 0)

        func hybrid(_ arguments: [String]) throws -> (Bool, String) {
            let run = try FerretBinary.run(["search", "kettle", "--index", index, "--json", "-k", "1"] + arguments, environment: env)
            let hits = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]] ?? []
            let scores = hits.first?["scores"] as? [String: Any]
            return (scores?["maxsim"] is Double, run.stderr)
        }
        let (remembered, note) = try hybrid([])
        #expect(remembered && note.contains("using the index's encoder"), "\(note)")

        // Renamed: gone from where the index saw it → BM25, said loudly.
        let renamed = folder.appendingPathComponent("snapshots/0123abcd")
        try FileManager.default.createDirectory(at: renamed.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: first, to: renamed)
        let (lost, warning) = try hybrid([])
        #expect(!lost && warning.contains("gone") && warning.contains("BM25"), "\(warning)")
        // The same weights under another name are the same encoder, and the new place is remembered.
        let (accepted, refusal) = try hybrid(["--model", renamed.path])
        #expect(accepted, "the same weights in a renamed folder were refused: \(refusal)")
        let (found, _) = try hybrid([])
        #expect(found, "the new location was not remembered")
        let ask = try FerretBinary.run(["ask", "How often should the kettle be descaled?", "--index", index,
                                        "--min-score=-1", "--json"], environment: env)
        #expect(ask.status == 0 && ask.stderr.contains("using the index's encoder"), "\(ask.stderr)")

        // Other weights are still refused.
        let other = try FerretBinary.run(["search", "kettle", "--index", index, "--model", Fixtures.url("colbert-bidir-tiny").path],
                                         environment: env)
        #expect(other.status != 0 && other.stderr.contains("error:"), "\(other.stderr)")
    }
}

/// The ColBERT settings around the weights are part of the encoder's identity, and a repository id finds the
/// encoder again through the model store when its folder is gone.
@Suite struct EncoderHeadAndRepositoryTests {
    func hybrid(_ index: String, _ arguments: [String] = [], env: [String: String]) throws -> (hybrid: Bool, run: FerretBinary.Output) {
        let run = try FerretBinary.run(["search", "kettle", "--index", index, "--json", "-k", "1"] + arguments, environment: env)
        let hits = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]] ?? []
        return ((hits.first?["scores"] as? [String: Any])?["maxsim"] is Double, run)
    }

    /// The same weights with another query length write other vectors: another encoder.
    @Test func aChangedHeadSettingIsAnotherEncoder() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = try SampleNotes.write(under: folder)
        let model = folder.appendingPathComponent("encoder")
        try FileManager.default.copyItem(at: Fixtures.url("colbert-causal-tiny"), to: model)
        let index = folder.appendingPathComponent("i.sqlite").path
        let env = ["FERRET_CONFIG": "/dev/null"]
        #expect(try FerretBinary.run(["index", notes.path, "--model", model.path, "--index", index], environment: env).status == 0)
        #expect(try hybrid(index, env: env).hybrid)

        let settings = model.appendingPathComponent("config_sentence_transformers.json")
        let text = try String(contentsOf: settings, encoding: .utf8)
        try text.replacingOccurrences(of: "\"query_length\": 16", with: "\"query_length\": 24").write(to: settings, atomically: true, encoding: .utf8)
        let (remembered, warned) = try hybrid(index, env: env)
        #expect(!remembered && warned.stderr.contains("other ColBERT settings") && warned.stderr.contains("BM25"), "\(warned.stderr)")
        let explicit = try FerretBinary.run(["search", "kettle", "--index", index, "--model", model.path], environment: env)
        #expect(explicit.status != 0 && explicit.stderr.contains("error:"), "\(explicit.stderr)")
        // Back to the settings the index was built with: accepted again.
        try text.write(to: settings, atomically: true, encoding: .utf8)
        #expect(try hybrid(index, env: env).hybrid)
    }

    /// Indexed from the Hugging Face cache by id; the cache is cleared and the model imported into Ferret's store:
    /// search finds it there through the remembered id.
    @Test func aGoneEncoderIsFoundAgainByItsRepositoryID() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = try SampleNotes.write(under: folder)
        let cache = folder.appendingPathComponent("hub")
        try HubCacheFixture.make(repository: "models--LiquidAI--ColBERT-Tiny", commit: "feedface",
                                 from: Fixtures.url("colbert-causal-tiny"), in: cache)
        let env = ["FERRET_CONFIG": "/dev/null", "FERRET_HOME": folder.appendingPathComponent("home").path, "HF_HUB_CACHE": cache.path]
        let index = folder.appendingPathComponent("i.sqlite").path
        #expect(try FerretBinary.run(["index", notes.path, "--model", "LiquidAI/ColBERT-Tiny", "--index", index],
                                     environment: env).status == 0)
        try FileManager.default.removeItem(at: cache.appendingPathComponent("models--LiquidAI--ColBERT-Tiny"))
        let (lost, warning) = try hybrid(index, env: env)
        #expect(!lost && warning.stderr.contains("LiquidAI/ColBERT-Tiny is not installed")
                && warning.stderr.contains("`ferret models pull LiquidAI/ColBERT-Tiny`"), "\(warning.stderr)")

        #expect(try FerretBinary.run(["models", "import", Fixtures.url("colbert-causal-tiny").path, "--as", "LiquidAI/ColBERT-Tiny"],
                                     environment: env).status == 0)
        let store = folder.appendingPathComponent("home/models/LiquidAI/ColBERT-Tiny").path
        let (found, note) = try hybrid(index, env: env)
        #expect(found && note.stderr.contains("using LiquidAI/ColBERT-Tiny from \(store)"), "\(note.stderr)")
        // The new place is remembered: the next search uses it directly.
        let (again, direct) = try hybrid(index, env: env)
        #expect(again && direct.stderr.contains("using the index's encoder") && direct.stderr.contains(store), "\(direct.stderr)")
    }
}

/// A model given in the wrong role is refused with what to pass instead.
@Suite struct ModelRoleTests {
    @Test func anEncoderIsNotAGeneratorAndAGeneratorIsNotAnEncoder() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = try SampleNotes.write(under: folder)
        let index = folder.appendingPathComponent("i.sqlite").path
        let env = ["FERRET_CONFIG": "/dev/null"]
        #expect(try FerretBinary.run(["index", notes.path, "--index", index], environment: env).status == 0)
        let asGenerator = try FerretBinary.run(["ask", "kettle", "--index", index, "--generator",
                                                Fixtures.url("colbert-causal-tiny").path], environment: env)
        #expect(asGenerator.status == 1 && asGenerator.stderr.contains("ColBERT encoder") && asGenerator.stderr.contains("--model"),
                "\(asGenerator.stderr)")
        let asEncoder = try FerretBinary.run(["index", notes.path, "--index", index + "2", "--model",
                                              Fixtures.url("lfm2-tiny").path], environment: env)
        #expect(asEncoder.status == 1 && asEncoder.stderr.contains("not a PyLate ColBERT folder"), "\(asEncoder.stderr)")
    }
}
