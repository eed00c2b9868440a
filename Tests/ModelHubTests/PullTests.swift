import Foundation
import MockHub
import ModelFiles
import ModelHub
import Testing
import TestSupport

/// `ferret models pull` against a Hub served on loopback: the whole protocol, its failures, and what is left on disk.
@Suite struct PullTests {
    static let encoderID = "LiquidAI/LFM2-ColBERT-350M"

    /// A store in a fresh folder, a puller aimed at `endpoint`, and no retry delay.
    static func puller(_ endpoint: URL, extra: [String: String] = [:]) throws -> (ModelPuller, ModelStore) {
        let home = try Fixtures.temporaryDirectory()
        var environment = ["FERRET_HOME": home.path, "HF_HUB_CACHE": home.appendingPathComponent("hf").path,
                           "HF_ENDPOINT": endpoint.absoluteString, "HOME": home.path]
        environment.merge(extra) { $1 }
        let store = ModelStore(environment: environment)
        var puller = ModelPuller(environment: HubEnvironment(environment: environment), store: store, timeout: 20)
        puller.retryDelay = 0
        return (puller, store)
    }

    static func hubWithEncoder(token: String? = nil) throws -> MockHub {
        let hub = MockHub()
        // Files a pull must leave alone: another format's weights and a stray image.
        try hub.publish(encoderID, folder: Fixtures.url("colbert-causal-tiny"), token: token,
                        extra: ["onnx/model.onnx": Data(repeating: 7, count: 1000), "pytorch_model.bin": Data(repeating: 1, count: 500)])
        return hub
    }

    static func sameBytes(_ a: URL, _ b: URL) throws -> Bool { try Data(contentsOf: a) == Data(contentsOf: b) }

    @Test func fullPullInstallsTheEncoderFilesWithTheirDigests() async throws {
        let hub = try Self.hubWithEncoder()
        try await hub.serve { endpoint in
            let (puller, store) = try Self.puller(endpoint, extra: ["HF_TOKEN": "hf_public"])
            let result = try await puller.pull(RepositoryID(Self.encoderID)!)
            #expect(!result.upToDate)
            let fixture = Fixtures.url("colbert-causal-tiny")
            for name in ["model.safetensors", "1_Dense/model.safetensors", "1_Dense/config.json", "config.json",
                         "tokenizer.json", "modules.json", "config_sentence_transformers.json"] {
                #expect(try Self.sameBytes(result.folder.appendingPathComponent(name), fixture.appendingPathComponent(name)), "\(name)")
            }
            #expect(!FileManager.default.fileExists(atPath: result.folder.appendingPathComponent("onnx").path))
            #expect(!FileManager.default.fileExists(atPath: result.folder.appendingPathComponent("pytorch_model.bin").path))
            // The manifest records what the Hub published: SHA-256 for LFS files, git blob ids for the rest.
            let manifest = try #require(ModelManifest.read(in: result.folder))
            let weights = try #require(manifest.files.first { $0.path == "model.safetensors" })
            #expect(weights.sha256 == hub.published("model.safetensors")?.sha256)
            #expect(manifest.files.first { $0.path == "config.json" }?.gitBlobID == hub.published("config.json")?.gitBlobID)
            #expect(manifest.commit?.count == 40)
            // Found by id as --model would find it, and nothing left in the staging area.
            #expect(try ModelReference(argument: Self.encoderID, store: store).url.standardizedFileURL.path == result.folder.standardizedFileURL.path)
            let partial = store.storeFolder.appendingPathComponent(".partial")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: partial.path)) ?? []).allSatisfy { $0.hasSuffix(".lock") })
            // The token went to the Hub's host, never to the CDN it redirects to.
            let cdn = hub.requests.filter { $0.path.hasPrefix("/cdn/") }
            #expect(cdn.count == 2)
            #expect(cdn.allSatisfy { $0.authorization == nil })
            #expect(hub.requests.filter { $0.path.hasPrefix("/api/") }.allSatisfy { $0.authorization == "Bearer hf_public" })
            #expect(hub.requests.first { $0.path.hasPrefix("/api/") }?.query == "blobs=true")

            // A second pull asks for the list only.
            hub.clearLog()
            let again = try await puller.pull(RepositoryID(Self.encoderID)!)
            #expect(again.upToDate)
            #expect(hub.requests.count == 1)
        }
    }

    @Test func aBrokenDownloadResumesWithRange() async throws {
        let hub = try Self.hubWithEncoder()
        hub.breakOff("model.safetensors", after: 300_000)
        try await hub.serve { endpoint in
            let (puller, _) = try Self.puller(endpoint)
            let result = try await puller.pull(RepositoryID(Self.encoderID)!)
            #expect(try Self.sameBytes(result.folder.appendingPathComponent("model.safetensors"),
                                       Fixtures.url("colbert-causal-tiny/model.safetensors")))
            let weights = try #require(hub.published("model.safetensors")).sha256
            let downloads = hub.requests.filter { $0.path == "/cdn/\(weights)" }
            #expect(downloads.count == 2)
            #expect(downloads.first?.range == nil)
            // The second request continues where the first broke off (at least the bytes that reached the disk).
            let resumedAt = downloads.last?.range.flatMap { Int($0.dropFirst("bytes=".count).dropLast()) }
            #expect(resumedAt != nil && resumedAt! > 0 && resumedAt! <= 300_000)
        }
    }

    @Test func anInterruptedPullLeavesNothingInstalledAndTheNextOneResumes() async throws {
        let hub = try Self.hubWithEncoder()
        hub.breakOff("model.safetensors", after: 400_000)
        try await hub.serve { endpoint in
            var (puller, store) = try Self.puller(endpoint)
            puller.attempts = 1
            await #expect(throws: HubError.self) { try await puller.pull(RepositoryID(Self.encoderID)!) }
            let target = store.storeFolder.appendingPathComponent("LiquidAI/LFM2-ColBERT-350M")
            #expect(!FileManager.default.fileExists(atPath: target.path))
            #expect(throws: ModelFilesError.self) { try ModelReference(argument: Self.encoderID, store: store) }

            hub.clearLog()
            puller.attempts = 5
            let result = try await puller.pull(RepositoryID(Self.encoderID)!)
            #expect(try Self.sameBytes(result.folder.appendingPathComponent("model.safetensors"),
                                       Fixtures.url("colbert-causal-tiny/model.safetensors")))
            let cdn = hub.requests.filter { $0.path.hasPrefix("/cdn/") }
            // Files finished before the break are not fetched again; the broken one resumes.
            #expect(cdn.count == 1)
            #expect(cdn.first?.range != nil)
        }
    }

    @Test func aChecksumMismatchDeletesTheFileAndInstallsNothing() async throws {
        let hub = try Self.hubWithEncoder()
        hub.lieAboutDigest(of: "model.safetensors")
        try await hub.serve { endpoint in
            let (puller, store) = try Self.puller(endpoint)
            do {
                _ = try await puller.pull(RepositoryID(Self.encoderID)!)
                Issue.record("a pull with a wrong digest succeeded")
            } catch let error as HubError {
                guard case .checksumMismatch(let file, _, _) = error else { Issue.record("\(error)"); return }
                #expect(file == "model.safetensors")
                #expect(error.description.contains("nothing was installed"))
            }
            #expect(!FileManager.default.fileExists(atPath: store.storeFolder.appendingPathComponent("LiquidAI/LFM2-ColBERT-350M").path))
            let partial = store.storeFolder.appendingPathComponent(".partial")
            let leftovers = (FileManager.default.subpaths(atPath: partial.path) ?? []).filter { $0.hasSuffix("model.safetensors.part") || $0.hasSuffix("/model.safetensors") && !$0.contains("1_Dense") }
            #expect(leftovers.isEmpty, "\(leftovers)")
        }
    }

    @Test func privateRepositoriesNeedTheToken() async throws {
        let hub = try Self.hubWithEncoder(token: "hf_secret")
        try await hub.serve { endpoint in
            let (anonymous, _) = try Self.puller(endpoint)
            await #expect { try await anonymous.pull(RepositoryID(Self.encoderID)!) } throws: { error in
                guard case HubError.unauthorized(_, let hasToken, _) = error else { return false }
                return !hasToken && String(describing: error).contains("HF_TOKEN")
            }
            let (wrong, _) = try Self.puller(endpoint, extra: ["HF_TOKEN": "hf_wrong"])
            await #expect { try await wrong.pull(RepositoryID(Self.encoderID)!) } throws: { error in
                guard case HubError.unauthorized(_, let hasToken, _) = error else { return false }
                return hasToken
            }
            let (allowed, _) = try Self.puller(endpoint, extra: ["HF_TOKEN": "hf_secret"])
            #expect(try await allowed.pull(RepositoryID(Self.encoderID)!).manifest.files.count >= 9)
        }
    }

    @Test func unknownRepositoriesRevisionsAndFilesAreNamed() async throws {
        let hub = try Self.hubWithEncoder()
        try await hub.serve { endpoint in
            let (puller, _) = try Self.puller(endpoint)
            await #expect(throws: HubError.repositoryNotFound(repository: "LiquidAI/No-Such-Model")) {
                try await puller.pull(RepositoryID("LiquidAI/No-Such-Model")!)
            }
            await #expect(throws: HubError.revisionNotFound(repository: Self.encoderID, revision: "v9")) {
                try await puller.pull(RepositoryID(Self.encoderID + "@v9")!)
            }
            await #expect(throws: HubError.fileNotFound(repository: Self.encoderID, file: "model-Q4_0.gguf")) {
                try await puller.pull(RepositoryID(Self.encoderID + ":model-Q4_0.gguf")!)
            }
        }
    }

    @Test func offlineModeMakesNoRequestAtAll() async throws {
        let hub = try Self.hubWithEncoder()
        try await hub.serve { endpoint in
            for variable in ["FERRET_OFFLINE", "HF_HUB_OFFLINE"] {
                let (puller, _) = try Self.puller(endpoint, extra: [variable: "1"])
                await #expect { try await puller.pull(RepositoryID(Self.encoderID)!) } throws: { error in
                    String(describing: error).contains("ferret models pull \(Self.encoderID)")
                        && String(describing: error).contains(variable)
                }
            }
            #expect(hub.requests.isEmpty)
        }
    }

    @Test func ggufRepositoriesPullOneNamedFileAndPullsAddUp() async throws {
        let hub = MockHub()
        let q4 = Fixtures.url("gguf/lfm2-quant-tiny-q4_0.gguf")
        let q8 = Fixtures.url("gguf/lfm2-quant-tiny-q8_0.gguf")
        try hub.publish("LiquidAI/LFM2-350M-GGUF", folder: Fixtures.url("gguf"),
                        only: { [q4.lastPathComponent, q8.lastPathComponent].contains($0) })
        try await hub.serve { endpoint in
            let (puller, store) = try Self.puller(endpoint)
            await #expect { try await puller.pull(RepositoryID("LiquidAI/LFM2-350M-GGUF")!) } throws: { error in
                guard case HubError.chooseGGUF(_, let files) = error else { return false }
                return files == [q4.lastPathComponent, q8.lastPathComponent]
            }
            _ = try await puller.pull(RepositoryID("LiquidAI/LFM2-350M-GGUF:\(q4.lastPathComponent)")!)
            let result = try await puller.pull(RepositoryID("LiquidAI/LFM2-350M-GGUF:\(q8.lastPathComponent)")!)
            #expect(Set(result.manifest.files.map(\.path)) == [q4.lastPathComponent, q8.lastPathComponent])
            for file in [q4, q8] {
                let found = try ModelReference(argument: "LiquidAI/LFM2-350M-GGUF:\(file.lastPathComponent)", store: store)
                #expect(found == .gguf(found.url))
                #expect(try Self.sameBytes(found.url, file))
            }
        }
    }

    @Test func includePatternsChooseTheFiles() async throws {
        let hub = try Self.hubWithEncoder()
        try await hub.serve { endpoint in
            let (puller, _) = try Self.puller(endpoint)
            let result = try await puller.pull(RepositoryID(Self.encoderID)!, include: ["*.json"])
            #expect(result.manifest.files.map(\.path).allSatisfy { $0.hasSuffix(".json") })
            #expect(result.manifest.files.contains { $0.path == "1_Dense/config.json" })
            await #expect(throws: HubError.self) {
                try await puller.pull(RepositoryID(Self.encoderID)!, include: ["*.nothing"])
            }
        }
    }
}
