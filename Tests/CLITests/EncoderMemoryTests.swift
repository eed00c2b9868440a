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
