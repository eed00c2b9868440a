import Foundation
import Testing
import TestSupport

/// `ferret models import | list | verify | remove` as a user runs them, each with its own store and cache.
@Suite struct ModelsCommandTests {
    /// An empty store and cache for one test; `env` points Ferret at them.
    struct Home {
        let root: URL
        var env: [String: String]
        init() throws {
            root = try Fixtures.temporaryDirectory()
            env = ["FERRET_HOME": root.appendingPathComponent("home").path, "HF_HUB_CACHE": root.appendingPathComponent("hub").path,
                   "FERRET_CONFIG": "/dev/null"]
        }
        var store: URL { root.appendingPathComponent("home/models") }
        func run(_ arguments: [String]) throws -> FerretBinary.Output { try FerretBinary.run(arguments, environment: env) }
    }

    @Test func importListVerifyRemove() throws {
        let home = try Home()
        defer { try? FileManager.default.removeItem(at: home.root) }
        let imported = try home.run(["models", "import", Fixtures.url("colbert-causal-tiny").path, "--as", "Me/Tiny-ColBERT"])
        #expect(imported.status == 0 && imported.stdout.contains("imported Me/Tiny-ColBERT (encoder")
                && imported.stderr.contains("--model Me/Tiny-ColBERT"), "\(imported.stdout)\(imported.stderr)")
        let linked = try home.run(["models", "import", Fixtures.url("lfm2-tiny").path, "--link"])
        #expect(linked.status == 0 && linked.stdout.contains("local/lfm2-tiny") && linked.stdout.contains("linked"), "\(linked.stderr)")

        let list = try home.run(["models", "list"])
        #expect(list.stdout.contains("Me/Tiny-ColBERT  encoder") && list.stdout.contains("local/lfm2-tiny  generator")
                && list.stdout.contains("[store]"), "\(list.stdout)")

        let verified = try home.run(["models", "verify"])
        #expect(verified.status == 0 && verified.stdout.contains("2 models: 2 ok, 0 damaged, 0 unverified"), "\(verified.stdout)")

        // One byte of the copied encoder's weights changed: verify says which file and exits 1.
        let weights = home.store.appendingPathComponent("Me/Tiny-ColBERT/model.safetensors")
        var bytes = try Data(contentsOf: weights)
        bytes[bytes.count - 3] ^= 0x10
        try bytes.write(to: weights)
        let damaged = try home.run(["models", "verify"])
        #expect(damaged.status == 1 && damaged.stdout.contains("DAMAGED    Me/Tiny-ColBERT")
                && damaged.stdout.contains("model.safetensors: digest") && damaged.stdout.contains("1 damaged"), "\(damaged.stdout)")
        let only = try home.run(["models", "verify", "local/lfm2-tiny", "--json"])
        let results = try JSONSerialization.jsonObject(with: Data(only.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(only.status == 0 && results.count == 1 && results.first?["status"] as? String == "ok", "\(only.stdout)")

        let removed = try home.run(["models", "remove", "Me/Tiny-ColBERT"])
        #expect(removed.status == 0 && removed.stdout.contains("removed Me/Tiny-ColBERT"), "\(removed.stderr)")
        #expect(try !home.run(["models", "list"]).stdout.contains("Me/Tiny-ColBERT"))
        let again = try home.run(["models", "remove", "Me/Tiny-ColBERT"])
        #expect(again.status == 1 && again.stderr.contains("not installed"), "\(again.stderr)")
        // The linked import's source is untouched by its removal.
        #expect(try home.run(["models", "remove", "local/lfm2-tiny"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: Fixtures.url("lfm2-tiny/model.safetensors").path))
    }

    @Test func aBrokenFolderIsRefusedAndTheStoreStaysEmpty() throws {
        let home = try Home()
        defer { try? FileManager.default.removeItem(at: home.root) }
        let broken = home.root.appendingPathComponent("broken")
        try FileManager.default.copyItem(at: Fixtures.url("colbert-causal-tiny"), to: broken)
        let weights = broken.appendingPathComponent("1_Dense/model.safetensors")
        try Data(try Data(contentsOf: weights).prefix(100)).write(to: weights)
        let run = try home.run(["models", "import", broken.path, "--as", "Me/Broken"])
        #expect(run.status == 1 && run.stderr.contains(weights.path) && run.stderr.contains("Nothing was written"), "\(run.stderr)")
        let left = (try? FileManager.default.subpathsOfDirectory(atPath: home.store.path)) ?? []
        #expect(left.isEmpty, "\(left)")
    }

    @Test func removeLeavesTheHuggingFaceCacheAlone() throws {
        let home = try Home()
        defer { try? FileManager.default.removeItem(at: home.root) }
        let cache = URL(fileURLWithPath: home.env["HF_HUB_CACHE"]!)
        try HubCacheFixture.make(repository: "models--LiquidAI--LFM2-Tiny", commit: "c1", from: Fixtures.url("lfm2-tiny"), in: cache)
        let run = try home.run(["models", "remove", "LiquidAI/LFM2-Tiny"])
        #expect(run.status == 1 && run.stderr.contains("Hugging Face cache")
                && run.stderr.contains(cache.appendingPathComponent("models--LiquidAI--LFM2-Tiny").path), "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: cache.appendingPathComponent("models--LiquidAI--LFM2-Tiny/snapshots/c1").path))
        let escape = try home.run(["models", "remove", "../etc"])
        #expect(escape.status != 0 && escape.stderr.contains("not a repository id"), "\(escape.stderr)")
    }

    /// Offline, a model named by id that is not here gets the pull line to run elsewhere and the import to run here.
    @Test func offlineMissingModelSaysPullThenImport() throws {
        var home = try Home()
        defer { try? FileManager.default.removeItem(at: home.root) }
        let notes = try SampleNotes.write(under: home.root)
        home.env["FERRET_OFFLINE"] = "1"
        let run = try home.run(["index", notes.path, "--index", home.root.appendingPathComponent("i.sqlite").path,
                                "--model", "LiquidAI/LFM2-ColBERT-350M@v2"])
        #expect(run.status == 1 && run.stderr.contains("`ferret models pull LiquidAI/LFM2-ColBERT-350M --revision v2`")
                && run.stderr.contains("ferret models import --as") == false && run.stderr.contains("ferret models import FOLDER")
                && run.stderr.contains("looked in \(home.root.path)"), "\(run.stderr)")
    }
}

/// Without --model / --generator: the defaults when installed, said once; otherwise today's behaviour and the exact
/// command that installs them.
@Suite struct DefaultModelTests {
    @Test func withoutTheDefaultsTheNotesSayWhatToPull() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = try SampleNotes.write(under: folder)
        let index = folder.appendingPathComponent("i.sqlite").path
        let env = ["FERRET_CONFIG": "/dev/null"]   // FerretBinary points the store and cache at an empty folder
        let indexed = try FerretBinary.run(["index", notes.path, "--index", index], environment: env)
        #expect(indexed.status == 0 && indexed.stdout.contains("(lexical-only)")
                && indexed.stderr.contains("`ferret models pull LiquidAI/LFM2-ColBERT-350M`"), "\(indexed.stderr)")
        let asked = try FerretBinary.run(["ask", "How often should the kettle be descaled?", "--index", index, "--json"],
                                         environment: env)
        #expect(asked.status == 0 && asked.stderr.contains("`ferret models pull LiquidAI/LFM2.5-1.2B-Instruct`")
                && asked.stdout.contains("\"extracted\":true"), "\(asked.stderr)")
    }

    @Test func installedDefaultsAreUsedAndSaidOnce() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = try SampleNotes.write(under: folder)
        let env = ["FERRET_CONFIG": "/dev/null", "FERRET_HOME": folder.appendingPathComponent("home").path,
                   "HF_HUB_CACHE": folder.appendingPathComponent("hub").path]
        // The tiny fixtures stand in for the real defaults, installed under their ids.
        #expect(try FerretBinary.run(["models", "import", Fixtures.url("colbert-causal-tiny").path, "--as", "LiquidAI/LFM2-ColBERT-350M"],
                                     environment: env).status == 0)
        #expect(try FerretBinary.run(["models", "import", Fixtures.url("lfm2-tiny").path, "--as", "LiquidAI/LFM2.5-1.2B-Instruct",
                                      "--link"], environment: env).status == 0)
        let index = folder.appendingPathComponent("i.sqlite").path
        let indexed = try FerretBinary.run(["index", notes.path, "--index", index], environment: env)
        #expect(indexed.status == 0 && !indexed.stdout.contains("lexical-only"), "\(indexed.stdout)")
        #expect(indexed.stderr.components(separatedBy: "using the default encoder LiquidAI/LFM2-ColBERT-350M").count == 2,
                "\(indexed.stderr)")
        // Re-indexing without --model uses the same default: no mismatch.
        #expect(try FerretBinary.run(["index", notes.path, "--index", index], environment: env).status == 0)
        let asked = try FerretBinary.run(["ask", "kettle", "--index", index, "--min-score=-1", "--max-tokens", "4", "--json"],
                                         environment: env)
        #expect(asked.status == 0 && asked.stderr.contains("using the default generator LiquidAI/LFM2.5-1.2B-Instruct")
                && asked.stdout.contains("\"extracted\":false"), "\(asked.stdout)\(asked.stderr)")

        // A lexical index that already has passages stays lexical rather than failing.
        let lexical = folder.appendingPathComponent("lexical.sqlite").path
        #expect(try FerretBinary.run(["index", notes.path, "--index", lexical], environment: ["FERRET_CONFIG": "/dev/null"]).status == 0)
        let kept = try FerretBinary.run(["index", notes.path, "--index", lexical], environment: env)
        #expect(kept.status == 0 && kept.stderr.contains("stays lexical-only") && !kept.stderr.contains("not installed"),
                "\(kept.stderr)")
    }

    /// An index built with another encoder is not re-encoded with the default on a re-run without --model: refused,
    /// as without a default.
    @Test func aReRunDoesNotSwapTheIndexsEncoderForTheDefault() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = try SampleNotes.write(under: folder)
        let env = ["FERRET_CONFIG": "/dev/null", "FERRET_HOME": folder.appendingPathComponent("home").path,
                   "HF_HUB_CACHE": folder.appendingPathComponent("hub").path]
        #expect(try FerretBinary.run(["models", "import", Fixtures.url("colbert-bidir-tiny").path, "--as", "LiquidAI/LFM2-ColBERT-350M"],
                                     environment: env).status == 0)
        let own = folder.appendingPathComponent("own-encoder")
        try FileManager.default.copyItem(at: Fixtures.url("colbert-causal-tiny"), to: own)
        let index = folder.appendingPathComponent("i.sqlite").path
        #expect(try FerretBinary.run(["index", notes.path, "--index", index, "--model", own.path], environment: env).status == 0)
        let rerun = try FerretBinary.run(["index", notes.path, "--index", index], environment: env)
        #expect(rerun.status == 1 && rerun.stderr.contains("error:") && !rerun.stderr.contains("default encoder"),
                "\(rerun.stdout)\(rerun.stderr)")
    }
}
