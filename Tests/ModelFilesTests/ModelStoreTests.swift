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
    }

    /// A cache laid out as `huggingface_hub` writes it: refs/main names the commit, the snapshot holds relative
    /// symbolic links into blobs/.
    func makeCache(repository: String, commit: String, from fixture: URL) throws -> URL {
        let cache = try Fixtures.temporaryDirectory()
        let repo = cache.appendingPathComponent(repository)
        let snapshot = repo.appendingPathComponent("snapshots/\(commit)")
        let blobs = repo.appendingPathComponent("blobs")
        try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("refs"), withIntermediateDirectories: true)
        try Data(commit.utf8).write(to: repo.appendingPathComponent("refs/main"))
        let files = FileManager.default.enumerator(at: fixture, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let file as URL in files where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let relative = String(file.path.dropFirst(fixture.path.count + 1))
            let blob = blobs.appendingPathComponent(relative.replacingOccurrences(of: "/", with: "_"))
            try FileManager.default.copyItem(at: file, to: blob)
            let link = snapshot.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Relative, as huggingface_hub writes them (`../../blobs/<hash>`), so the cache can move.
            let up = String(repeating: "../", count: relative.split(separator: "/").count + 1)
            try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: up + "blobs/" + blob.lastPathComponent)
        }
        return cache
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
            #expect(error.description.contains("LiquidAI/Not-Here") && error.description.contains("huggingface-cli download"))
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
}
