@testable import ColBERT
import Foundation
import Testing
import TestSupport

/// The fingerprint cache saves re-reading the weights, and never hides a change to them.
@Suite struct FingerprintCacheTests {
    @Test func aChangedFileIsRehashedAndADamagedCacheIsAMiss() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("encoder")
        try FileManager.default.copyItem(at: Fixtures.url("colbert-causal-tiny"), to: model)
        let cache = FingerprintCache(environment: ["XDG_CACHE_HOME": folder.appendingPathComponent("cache").path])
        let folders = ["", "1_Dense"]

        let uncached = try WeightFingerprint.compute(directory: model, folders: folders, cache: nil)
        #expect(try WeightFingerprint.compute(directory: model, folders: folders, cache: cache) == uncached)
        #expect(FileManager.default.fileExists(atPath: cache.location.path))

        // The cache is what answers while the files are unchanged (a planted value comes back)…
        let files = ["1_Dense/model.safetensors", "model.safetensors"]
        let stamps = try #require(FingerprintCache.stamps(directory: model, files: files))
        cache.store(key: model.resolvingSymlinksInPath().standardizedFileURL.path, stamps: stamps, fingerprint: "planted")
        #expect(try WeightFingerprint.compute(directory: model, folders: folders, cache: cache) == "planted")

        // …and any change to a weight file (same size, new bytes) is hashed again.
        let weights = model.appendingPathComponent("model.safetensors")
        var bytes = try Data(contentsOf: weights)
        bytes[bytes.count - 1] ^= 0xFF
        Thread.sleep(forTimeInterval: 0.01)
        try bytes.write(to: weights)
        let changed = try WeightFingerprint.compute(directory: model, folders: folders, cache: cache)
        #expect(changed != "planted" && changed != uncached)
        #expect(changed == (try WeightFingerprint.compute(directory: model, folders: folders, cache: nil)))

        try Data("{not json".utf8).write(to: cache.location)
        #expect(try WeightFingerprint.compute(directory: model, folders: folders, cache: cache) == changed)
    }
}
