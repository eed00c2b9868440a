import Digests
import Foundation
import ModelFiles
import Testing
import TestSupport

/// `ferret models verify`: store models against their manifest, cache snapshots against their blobs' names.
@Suite struct ModelVerificationTests {
    func place() throws -> (root: URL, store: ModelStore) {
        let root = try Fixtures.temporaryDirectory()
        return (root, ModelStore(environment: ["FERRET_HOME": root.appendingPathComponent("home").path,
                                               "HF_HUB_CACHE": root.appendingPathComponent("hub").path, "HOME": root.path]))
    }

    @Test func aTamperedByteAMissingFileAndAWrongSizeAreEachReported() throws {
        let (root, store) = try place()
        defer { try? FileManager.default.removeItem(at: root) }
        let id = try #require(RepositoryID("Me/Encoder"))
        try ModelImport(source: Fixtures.url("colbert-causal-tiny"), id: id).run(in: store)
        let ok = try store.verify(id)
        #expect(ok.count == 1 && ok[0].status == .ok && ok[0].problems.isEmpty && ok[0].source == "store")
        #expect(ok[0].checked == ModelManifest.read(in: store.folder(for: id))?.files.count)

        let folder = store.folder(for: id)
        // One byte flipped in the middle of the weights: same size, other digest.
        let weights = folder.appendingPathComponent("1_Dense/model.safetensors")
        var bytes = try Data(contentsOf: weights)
        bytes[bytes.count / 2] ^= 0xff
        try bytes.write(to: weights)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("tokenizer.json"))
        let config = folder.appendingPathComponent("config.json")
        try (try Data(contentsOf: config) + Data(" ".utf8)).write(to: config)

        let damaged = try #require(try store.verify(id).first)
        #expect(damaged.status == .damaged)
        let kinds = Dictionary(uniqueKeysWithValues: damaged.problems.map { ($0.path, $0.kind) })
        #expect(kinds == ["1_Dense/model.safetensors": .wrongDigest, "tokenizer.json": .missing, "config.json": .wrongSize],
                "\(damaged.problems)")
        // A manifest cannot send verify outside the model folder.
        var manifest = try #require(ModelManifest.read(in: folder))
        manifest.files = [.init(path: "../../etc/passwd", size: 1, sha256: String(repeating: "0", count: 64))]
        try manifest.write(in: folder)
        #expect(try store.verify(id).first?.problems.map(\.kind) == [.invalidPath])
    }

    @Test func aStoreFolderWithoutManifestIsUnverifiedNotDamaged() throws {
        let (root, store) = try place()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = store.storeFolder.appendingPathComponent("Someone/Copied")
        try FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.url("lfm2-tiny"), to: folder)
        #expect(try store.verify().map(\.status) == [.unverified])
        #expect(throws: ModelFilesError.self) { try store.verify(RepositoryID("Someone/Else")!) }
    }

    /// Blobs named as `huggingface_hub` names them: SHA-256 for LFS files, the git blob id for the others.
    @Test func aCacheBlobThatNoLongerMatchesItsNameIsReported() throws {
        let (root, store) = try place()
        defer { try? FileManager.default.removeItem(at: root) }
        try HubCacheFixture.make(repository: "models--LiquidAI--LFM2-Tiny", commit: "c0ffee", from: Fixtures.url("lfm2-tiny"),
                                 in: store.hubCache) { relative, url in
            relative.hasSuffix(".safetensors") ? try Digest.sha256(ofFile: url) : try Digest.gitBlobID(ofFile: url)
        }
        let id = try #require(RepositoryID("LiquidAI/LFM2-Tiny"))
        let clean = try #require(try store.verify(id).first)
        #expect(clean.status == .ok && clean.source == "huggingface" && clean.revision == "c0ffee" && clean.unverifiable.isEmpty)
        #expect(clean.checked == 6, "\(clean)")
        #expect(try store.verify(RepositoryID("LiquidAI/LFM2-Tiny@main")!).count == 1)

        let snapshot = store.hubCache.appendingPathComponent("models--LiquidAI--LFM2-Tiny/snapshots/c0ffee")
        let weights = snapshot.appendingPathComponent("model.safetensors").resolvingSymlinksInPath()
        var bytes = try Data(contentsOf: weights)
        bytes[bytes.count - 1] ^= 0x01
        try bytes.write(to: weights)
        try FileManager.default.removeItem(at: snapshot.appendingPathComponent("tokenizer.json").resolvingSymlinksInPath())
        let damaged = try #require(try store.verify(id).first)
        #expect(damaged.status == .damaged)
        #expect(damaged.problems.map(\.path).sorted() == ["model.safetensors", "tokenizer.json"], "\(damaged.problems)")
        #expect(damaged.problems.first { $0.path == "model.safetensors" }?.expected == weights.lastPathComponent)
        #expect(damaged.problems.first { $0.path == "tokenizer.json" }?.kind == .missing)
    }
}
