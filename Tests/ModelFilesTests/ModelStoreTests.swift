import Foundation
import ModelFiles
import Testing
import TestSupport

/// Repository ids resolve to models already on the machine: Ferret's store, or the Hugging Face cache in place.
@Suite struct ModelStoreTests {
    @Test func repositoryIDsParseAndPathsDoNot() {
        let plain = RepositoryID("LiquidAI/LFM2-ColBERT-350M")
        #expect(plain?.owner == "LiquidAI" && plain?.name == "LFM2-ColBERT-350M" && plain?.revision == nil && plain?.file == nil)
        let full = RepositoryID("LiquidAI/LFM2-1.2B-GGUF@v1.0:LFM2-1.2B-Q4_K_M.gguf")
        #expect(full?.revision == "v1.0" && full?.file == "LFM2-1.2B-Q4_K_M.gguf" && full?.cacheFolderName == "models--LiquidAI--LFM2-1.2B-GGUF")
        for path in ["/abs/path", "./rel/x", "a/b/c", "models", "../x/y", "a/.hidden", "a/b:../../etc/passwd", "a/b@"] {
            #expect(RepositoryID(path) == nil, "\(path)")
        }
        #expect(RepositoryID("LiquidAI/LFM2-350M@refs/pr/1")?.revision == "refs/pr/1")
    }

    /// A revision becomes a path under `refs/` in the cache: nothing in it may climb out or start at the root.
    @Test func revisionsCannotEscapeTheCache() {
        for argument in ["a/b@..", "a/b@../../etc", "a/b@main/../../x", "a/b@/etc/passwd", "a/b@refs//main", "a/b@./main",
                         "a/b@main/", "a/b@..:config.json"] {
            #expect(RepositoryID(argument) == nil, "\(argument)")
        }
        #expect(RepositoryID("a/b@v1..2")?.revision == "v1..2", "dots inside a name are not a path component")
    }

    func makeCache(repository: String, commit: String, from fixture: URL) throws -> URL {
        try HubCacheFixture.make(repository: repository, commit: commit, from: fixture)
    }

    @Test func aModelInTheHuggingFaceCacheIsUsedByID() throws {
        let cache = try makeCache(repository: "models--LiquidAI--LFM2-Tiny", commit: "0123456789abcdef",
                                  from: Fixtures.url("lfm2-tiny"))
        defer { try? FileManager.default.removeItem(at: cache) }
        let store = ModelStore(environment: ["HF_HUB_CACHE": cache.path, "HOME": cache.path])
        let reference = try ModelReference(argument: "LiquidAI/LFM2-Tiny", store: store)
        #expect(reference.url.path.hasSuffix("snapshots/0123456789abcdef"))
        #expect(try ModelReference(argument: "LiquidAI/LFM2-Tiny@0123456789abcdef", store: store) == reference)
        // HF_HOME/hub is the cache when HF_HUB_CACHE is not set.
        #expect(ModelStore(environment: ["HF_HOME": "/x"]).hubCache.path == "/x/hub")
        do {
            _ = try ModelReference(argument: "LiquidAI/Not-Here", store: store)
            Issue.record("a missing repository resolved")
        } catch let error as ModelFilesError {
            #expect(error.description.contains("LiquidAI/Not-Here") && error.description.contains("`ferret models pull LiquidAI/Not-Here`")
                    && error.description.contains(cache.path), "\(error)")
        }
        #expect(throws: ModelFilesError.self) { try ModelReference(argument: "LiquidAI/LFM2-Tiny@nope", store: store) }
    }

    /// Through the CLI: index with an encoder named by repository id from the cache; search then finds it without
    /// --model.
    @Test func theCLIAcceptsARepositoryID() throws {
        let cache = try makeCache(repository: "models--LiquidAI--ColBERT-Tiny", commit: "feedface",
                                  from: Fixtures.url("colbert-causal-tiny"))
        defer { try? FileManager.default.removeItem(at: cache) }
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = try SampleNotes.write(under: folder)
        let env = ["HF_HUB_CACHE": cache.path, "FERRET_HOME": folder.appendingPathComponent("home").path, "FERRET_CONFIG": "/dev/null"]
        let index = folder.appendingPathComponent("i.sqlite").path
        let run = try FerretBinary.run(["index", notes.path, "--model", "LiquidAI/ColBERT-Tiny", "--index", index], environment: env)
        #expect(run.status == 0 && run.stdout.contains("added 3"), "\(run.stdout)\(run.stderr)")
        let search = try FerretBinary.run(["search", "kettle", "--index", index], environment: env)
        #expect(search.stderr.contains("snapshots/feedface"), "\(search.stderr)")
    }

    /// `models list` describes what is there from the files alone: role, architecture, parameters, dtype, source.
    @Test func installedModelsAreDescribedByRole() throws {
        let cache = try makeCache(repository: "models--LiquidAI--ColBERT-Tiny", commit: "c1", from: Fixtures.url("colbert-causal-tiny"))
        defer { try? FileManager.default.removeItem(at: cache) }
        let generatorRepo = try makeCache(repository: "models--LiquidAI--LFM2-Tiny", commit: "g1", from: Fixtures.url("lfm2-tiny"))
        defer { try? FileManager.default.removeItem(at: generatorRepo) }
        try FileManager.default.moveItem(at: generatorRepo.appendingPathComponent("models--LiquidAI--LFM2-Tiny"),
                                         to: cache.appendingPathComponent("models--LiquidAI--LFM2-Tiny"))
        let store = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: store) }
        let gguf = store.appendingPathComponent("models/LiquidAI/LFM2-Tiny-GGUF")
        try FileManager.default.createDirectory(at: gguf, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.url("gguf/lfm2-quant-tiny-q4_0.gguf"), to: gguf.appendingPathComponent("tiny-q4_0.gguf"))
        let installed = ModelStore(environment: ["HF_HUB_CACHE": cache.path, "FERRET_HOME": store.path]).installed()
        #expect(installed.map(\.id) == ["LiquidAI/ColBERT-Tiny", "LiquidAI/LFM2-Tiny", "LiquidAI/LFM2-Tiny-GGUF:tiny-q4_0.gguf"],
                "\(installed.map(\.id))")
        #expect(installed.map(\.role) == [.encoder, .generator, .generator])
        #expect(installed.map(\.source) == ["huggingface", "huggingface", "store"])
        #expect(installed[1].architecture == "Lfm2ForCausalLM" && installed[2].architecture == "lfm2")
        #expect(installed.allSatisfy { $0.parameters > 0 && $0.bytes > 0 && !$0.dtypes.isEmpty })
        #expect(installed[2].dtypes.contains("Q4_0"), "\(installed[2].dtypes)")
        // Every listed id resolves back to its path.
        for model in installed {
            let reference = try ModelReference(argument: model.id, store: ModelStore(environment: ["HF_HUB_CACHE": cache.path, "FERRET_HOME": store.path]))
            #expect(reference.url.path == model.path, "\(model.id)")
        }
    }

    /// Offline or not, a missing repository's message gives the exact `ferret models pull` line; offline it also says
    /// to run it elsewhere and import here. The places looked at stay in the message.
    @Test func aMissingModelSaysWhichPullToRun() throws {
        let home = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let online = ModelStore(environment: ["FERRET_HOME": home.path, "HF_HUB_CACHE": home.appendingPathComponent("hub").path])
        #expect(!online.isOffline)
        for key in ["FERRET_OFFLINE", "HF_HUB_OFFLINE"] {
            #expect(ModelStore(environment: [key: "1"]).isOffline && ModelStore(environment: [key: "true"]).isOffline)
            #expect(!ModelStore(environment: [key: "0"]).isOffline)
        }
        func message(_ argument: String, _ store: ModelStore) -> String {
            do {
                _ = try ModelReference(argument: argument, store: store)
                return "resolved"
            } catch {
                return String(describing: error)
            }
        }
        let plain = message("LiquidAI/LFM2-ColBERT-350M", online)
        #expect(plain.contains("`ferret models pull LiquidAI/LFM2-ColBERT-350M`") && !plain.contains("huggingface-cli")
                && plain.contains(home.appendingPathComponent("models/LiquidAI/LFM2-ColBERT-350M").path), "\(plain)")
        let pinned = message("LiquidAI/LFM2-1.2B-GGUF@v2:LFM2-1.2B-Q4_0.gguf", online)
        #expect(pinned.contains("`ferret models pull LiquidAI/LFM2-1.2B-GGUF --revision v2 --include LFM2-1.2B-Q4_0.gguf`"), "\(pinned)")
        let offline = ModelStore(environment: online.environment.merging(["HF_HUB_OFFLINE": "1"]) { $1 })
        let advice = message("LiquidAI/LFM2.5-1.2B-Instruct", offline)
        #expect(advice.contains("offline") && advice.contains("`ferret models pull LiquidAI/LFM2.5-1.2B-Instruct`")
                && advice.contains("`ferret models import FOLDER --as LiquidAI/LFM2.5-1.2B-Instruct`"), "\(advice)")
        #expect(DefaultModels.encoder.description == "LiquidAI/LFM2-ColBERT-350M")
        #expect(DefaultModels.generator.description == "LiquidAI/LFM2.5-1.2B-Instruct")
    }
}
