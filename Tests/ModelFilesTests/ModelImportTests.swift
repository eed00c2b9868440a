import Foundation
import ModelFiles
import Testing
import TestSupport

/// `ferret models import` and `remove`: a checked model in, found by id; a broken one refused with nothing written;
/// out again without touching what a linked import points to or the Hugging Face cache.
@Suite struct ModelImportTests {
    /// A store and a cache in a fresh temporary folder, and nothing else.
    struct Place {
        let root: URL
        let store: ModelStore
        init() throws {
            root = try Fixtures.temporaryDirectory()
            store = ModelStore(environment: ["FERRET_HOME": root.appendingPathComponent("home").path,
                                             "HF_HUB_CACHE": root.appendingPathComponent("hub").path, "HOME": root.path])
        }
        /// Everything under the store folder (hidden staging folders included).
        var storeContents: [String] { (try? FileManager.default.subpathsOfDirectory(atPath: store.storeFolder.path)) ?? [] }
    }

    @Test func aCopiedFolderIsFoundByIDAndListed() throws {
        let place = try Place()
        defer { try? FileManager.default.removeItem(at: place.root) }
        let result = try ModelImport(source: Fixtures.url("colbert-causal-tiny")).run(in: place.store)
        #expect(result.id == "local/colbert-causal-tiny" && result.role == .encoder && result.mode == .copy && !result.replaced)
        let folder = place.store.storeFolder.appendingPathComponent("local/colbert-causal-tiny")
        #expect(result.folder == folder.path)
        let reference = try ModelReference(argument: "local/colbert-causal-tiny", store: place.store)
        #expect(reference == .folder(folder) || reference.url.standardizedFileURL.path == folder.path)
        let manifest = try #require(ModelManifest.read(in: folder))
        #expect(manifest.source == "import" && manifest.origin == Fixtures.url("colbert-causal-tiny").standardizedFileURL.path)
        #expect(manifest.files.contains { $0.path == "1_Dense/model.safetensors" })
        #expect(manifest.files.allSatisfy { $0.sha256?.count == 64 }, "every file has its SHA-256")
        // Copies, not links, and nothing staged is left behind.
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: folder.appendingPathComponent("config.json").path)) == nil)
        #expect(!place.storeContents.contains { $0.hasPrefix(".") })
        let listed = place.store.installed()
        #expect(listed.map(\.id) == ["local/colbert-causal-tiny"] && listed.first?.source == "store" && listed.first?.role == .encoder)
        #expect(try place.store.verify().map(\.status) == [.ok])
        // The store holds one revision: `main` (what an import records), not another.
        #expect(try ModelReference(argument: "local/colbert-causal-tiny@main", store: place.store).url.path == folder.path)
        #expect(throws: ModelFilesError.self) { try ModelReference(argument: "local/colbert-causal-tiny@v9", store: place.store) }
        // Again under the same id: refused unless forced.
        #expect(throws: ModelFilesError.alreadyInstalled(id: "local/colbert-causal-tiny", folder: folder.path)) {
            try ModelImport(source: Fixtures.url("colbert-causal-tiny")).run(in: place.store)
        }
        let replaced = try ModelImport(source: Fixtures.url("colbert-causal-tiny"), force: true).run(in: place.store)
        #expect(replaced.replaced && place.store.installed().count == 1)
    }

    @Test func aLinkedImportPointsAtTheSourceAndRemovingItKeepsTheSource() throws {
        let place = try Place()
        defer { try? FileManager.default.removeItem(at: place.root) }
        let source = place.root.appendingPathComponent("my-generator")
        try FileManager.default.copyItem(at: Fixtures.url("lfm2-tiny"), to: source)
        let id = try #require(RepositoryID("Me/Tiny-Generator"))
        let result = try ModelImport(source: source, id: id, mode: .link).run(in: place.store)
        #expect(result.role == .generator && result.mode == .link)
        let folder = place.store.folder(for: id)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.appendingPathComponent("model.safetensors").path)
                == source.appendingPathComponent("model.safetensors").path)
        #expect(try ModelReference(argument: "Me/Tiny-Generator", store: place.store).url.path == folder.path)
        #expect(place.store.installed().map(\.role) == [.generator])
        #expect(try place.store.verify(id).map(\.status) == [.ok])

        try place.store.remove(id)
        #expect(!FileManager.default.fileExists(atPath: folder.path) && place.store.installed().isEmpty)
        #expect(FileManager.default.fileExists(atPath: source.appendingPathComponent("model.safetensors").path),
                "removing a linked import deleted the files it pointed to")
        #expect(throws: ModelFilesError.self) { try ModelReference(argument: "Me/Tiny-Generator", store: place.store) }
    }

    /// A GGUF file inside a Hugging Face cache snapshot gets the repository's id and keeps its file name.
    @Test func aGGUFFromACacheSnapshotKeepsItsRepositoryID() throws {
        let place = try Place()
        defer { try? FileManager.default.removeItem(at: place.root) }
        let elsewhere = place.root.appendingPathComponent("usb")
        try HubCacheFixture.make(repository: "models--LiquidAI--LFM2-Tiny-GGUF", commit: "abc123",
                                 from: Fixtures.url("gguf/lfm2-quant-tiny-q4_0.gguf"), in: elsewhere)
        let file = elsewhere.appendingPathComponent("models--LiquidAI--LFM2-Tiny-GGUF/snapshots/abc123/lfm2-quant-tiny-q4_0.gguf")
        #expect(ModelImport.defaultID(for: file)?.description == "LiquidAI/LFM2-Tiny-GGUF")
        let result = try ModelImport(source: file).run(in: place.store)
        #expect(result.id == "LiquidAI/LFM2-Tiny-GGUF" && result.role == .generator && result.files == 1)
        let reference = try ModelReference(argument: "LiquidAI/LFM2-Tiny-GGUF:lfm2-quant-tiny-q4_0.gguf", store: place.store)
        #expect(reference == .gguf(place.store.storeFolder.appendingPathComponent("LiquidAI/LFM2-Tiny-GGUF/lfm2-quant-tiny-q4_0.gguf")))
        #expect(ModelManifest.read(in: URL(fileURLWithPath: result.folder))?.commit == "abc123")
        // Linked straight from the snapshot (a link to a link to the blob): sizes and digests are the blob's.
        let linked = try #require(RepositoryID("Me/Linked-GGUF"))
        try ModelImport(source: file, id: linked, mode: .link).run(in: place.store)
        #expect(try place.store.verify(linked).map(\.status) == [.ok])
        #expect(ModelManifest.read(in: place.store.folder(for: linked))?.files.first?.size
                == (try FileManager.default.attributesOfItem(atPath: Fixtures.url("gguf/lfm2-quant-tiny-q4_0.gguf").path)[.size] as? NSNumber)?.int64Value)
        #expect(ModelImport.defaultID(for: URL(fileURLWithPath: "/x/My Model (v2)"))?.description == "local/My-Model--v2-")
    }

    /// Broken sources are refused before anything is written: the message names the file at fault.
    @Test func aBrokenModelIsRefusedAndNothingIsWritten() throws {
        let place = try Place()
        defer { try? FileManager.default.removeItem(at: place.root) }
        let fm = FileManager.default

        let truncated = place.root.appendingPathComponent("truncated")
        try fm.copyItem(at: Fixtures.url("colbert-causal-tiny"), to: truncated)
        let weights = truncated.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: weights)
        try bytes.prefix(bytes.count / 2).write(to: weights)

        let noConfig = place.root.appendingPathComponent("no-config")
        try fm.copyItem(at: Fixtures.url("lfm2-tiny"), to: noConfig)
        try fm.removeItem(at: noConfig.appendingPathComponent("config.json"))

        let badMagic = place.root.appendingPathComponent("bad.gguf")
        var gguf = try Data(contentsOf: Fixtures.url("gguf/lfm2-tiny-f16.gguf"))
        gguf.replaceSubrange(0..<4, with: Data("GGUX".utf8))
        try gguf.write(to: badMagic)

        let notAModel = place.root.appendingPathComponent("notes")
        try fm.createDirectory(at: notAModel, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: notAModel.appendingPathComponent("config.json"))

        for (source, named) in [(truncated, weights.path), (noConfig, "config.json"), (badMagic, badMagic.path),
                                (notAModel, "tokenizer.json")] {
            do {
                _ = try ModelImport(source: source, id: RepositoryID("Me/Broken")).run(in: place.store)
                Issue.record("\(source.lastPathComponent) was imported")
            } catch let error as ModelFilesError {
                guard case .importRefused = error else { Issue.record("\(error)"); continue }
                #expect(error.description.contains(named) && error.description.contains("Nothing was written"), "\(error)")
            }
            #expect(place.storeContents.isEmpty, "left in the store: \(place.storeContents)")
        }
    }

    @Test func removeRefusesTheHuggingFaceCacheAndWhatIsNotThere() throws {
        let place = try Place()
        defer { try? FileManager.default.removeItem(at: place.root) }
        try HubCacheFixture.make(repository: "models--LiquidAI--LFM2-Tiny", commit: "c1", from: Fixtures.url("lfm2-tiny"),
                                 in: place.store.hubCache)
        let cached = place.store.hubCache.appendingPathComponent("models--LiquidAI--LFM2-Tiny")
        #expect(throws: ModelFilesError.inHuggingFaceCache(id: "LiquidAI/LFM2-Tiny", folder: cached.path)) {
            try place.store.remove(RepositoryID("LiquidAI/LFM2-Tiny")!)
        }
        #expect(FileManager.default.fileExists(atPath: cached.appendingPathComponent("snapshots/c1/model.safetensors").path))
        do {
            try place.store.remove(RepositoryID("LiquidAI/Nothing")!)
            Issue.record("removed a model that is not installed")
        } catch let error as ModelFilesError {
            #expect(error.description.contains("LiquidAI/Nothing is not installed"), "\(error)")
        }
    }
}
