import Digests
import Foundation
import ModelFiles

/// How far a pull has come, for a progress bar.
public struct PullProgress: Sendable {
    public var file: String
    public var fileIndex: Int
    public var fileCount: Int
    /// Bytes on disk for this pull so far (resumed bytes included), and the total the listing announced.
    public var bytes: Int64
    public var total: Int64
    /// Bytes that came over the network in this run, and the time they took: the rate excludes resumed bytes.
    public var downloaded: Int64
    public var elapsed: TimeInterval
}

public struct PullResult: Sendable {
    public var folder: URL
    public var manifest: ModelManifest
    /// Files fetched in this run (0 when the installed copy was already this commit).
    public var fetched: Int
    public var bytesFetched: Int64
    public var upToDate: Bool
}

/// `ferret models pull`: the Hugging Face Hub's own protocol, as `huggingface_hub` speaks it. The file list with
/// sizes and LFS digests from `/api/models/{id}/revision/{rev}?blobs=true`; each file from
/// `/{id}/resolve/{commit}/{path}`, following the redirect to the CDN by hand (the token never leaves the Hub's host);
/// resumed with `Range` after a broken connection; installed only when its size and digest match.
public struct ModelPuller: Sendable {
    public var environment: HubEnvironment
    public var store: ModelStore
    /// Attempts per file before a transport error is final; each resumes where the last stopped.
    public var attempts = 5
    public var retryDelay: TimeInterval = 1
    let transport: HubTransport

    public init(environment: HubEnvironment = HubEnvironment(), store: ModelStore = ModelStore(), timeout: TimeInterval = 60) {
        self.environment = environment
        self.store = store
        transport = HubTransport(timeout: timeout)
    }

    /// The command that pulls `id` (for messages, and the one offline mode prints).
    public static func command(_ id: RepositoryID, include: [String] = []) -> String {
        "ferret models pull \(id)" + include.map { " --include '\($0)'" }.joined()
    }

    public func pull(_ id: RepositoryID, include: [String] = [], force: Bool = false,
                     progress: (@Sendable (PullProgress) -> Void)? = nil) async throws -> PullResult {
        if let reason = environment.offlineReason {
            throw HubError.offline(command: Self.command(id, include: include), reason: reason)
        }
        let repository = "\(id.owner)/\(id.name)"
        let revision = id.revision ?? "main"
        let listing = try await list(id, revision: revision)
        let chosen = try PullSelection.files(in: listing, file: id.file, include: include)

        let target = store.storeFolder.appendingPathComponent(id.owner).appendingPathComponent(id.name)
        if !force, let installed = ModelManifest.read(in: target), installed.commit == listing.commit,
           chosen.allSatisfy({ file in Self.isInstalled(file, in: installed, folder: target) }) {
            return PullResult(folder: target, manifest: installed, fetched: 0, bytesFetched: 0, upToDate: true)
        }

        let staging = try StoreStaging(store: store, id: id, commit: listing.commit)
        defer { staging.release() }
        let total = chosen.reduce(Int64(0)) { $0 + max($1.size, 0) }
        let clock = Date()
        var settled: Int64 = 0, fetched = 0, downloaded: Int64 = 0
        var files: [ModelManifest.File] = []
        for (index, file) in chosen.enumerated() {
            let report: @Sendable (Int64, Int64) -> Void = { [settled] onDisk, thisRun in
                progress?(PullProgress(file: file.path, fileIndex: index, fileCount: chosen.count, bytes: settled + onDisk,
                                       total: total, downloaded: thisRun, elapsed: Date().timeIntervalSince(clock)))
            }
            let finished = staging.finished(file.path)
            var entry: ModelManifest.File
            if FileManager.default.fileExists(atPath: finished.path), let size = Self.size(of: finished),
               file.size < 0 || size == file.size {
                entry = ModelManifest.File(path: file.path, size: size, sha256: file.sha256, gitBlobID: file.gitBlobID)
            } else {
                let fetchedFile = try await download(file, of: repository, commit: listing.commit, staging: staging,
                                                     alreadyDownloaded: downloaded, report: report)
                entry = fetchedFile.entry
                downloaded += fetchedFile.bytes
                fetched += 1
            }
            settled += entry.size
            report(0, downloaded)
            files.append(entry)
        }
        let manifest = ModelManifest(id: repository, revision: revision, commit: listing.commit, source: "pull",
                                     origin: environment.endpoint.absoluteString, files: files)
        let installed = try staging.install(manifest)
        return PullResult(folder: target, manifest: installed, fetched: fetched, bytesFetched: downloaded, upToDate: false)
    }

    private static func isInstalled(_ file: HubFile, in manifest: ModelManifest, folder: URL) -> Bool {
        guard let entry = manifest.files.first(where: { $0.path == file.path }) else { return false }
        return size(of: folder.appendingPathComponent(file.path)) == entry.size
    }

    static func size(of url: URL) -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value
    }

    // MARK: The file list

    func list(_ id: RepositoryID, revision: String) async throws -> HubListing {
        let repository = "\(id.owner)/\(id.name)"
        var url = environment.endpoint.appendingPathComponent("api/models").appendingPathComponent(id.owner)
            .appendingPathComponent(id.name).appendingPathComponent("revision")
        url = URL(string: url.absoluteString + "/" + Self.encode(revision) + "?blobs=true")!
        let response = try await follow(url, headers: [:], file: nil, offset: 0, progress: nil).response
        guard response.status == 200 else {
            throw failure(response, url: url, repository: repository, revision: revision, file: nil)
        }
        return try HubListing(repository: repository, json: response.body)
    }

    // MARK: One file

    private struct Fetched { var entry: ModelManifest.File; var bytes: Int64 }

    /// Downloads `file` into its `.part`, resuming what an earlier attempt (or run) left, then checks size and digest
    /// and renames it to its finished name in the staging folder. A mismatch deletes the part and fails the pull.
    private func download(_ file: HubFile, of repository: String, commit: String, staging: StoreStaging,
                          alreadyDownloaded: Int64, report: @escaping @Sendable (Int64, Int64) -> Void) async throws -> Fetched {
        let fm = FileManager.default
        let part = staging.part(file.path)
        try fm.createDirectory(at: part.deletingLastPathComponent(), withIntermediateDirectories: true)
        let url = URL(string: environment.endpoint.absoluteString + "/\(repository)/resolve/\(commit)/"
            + file.path.split(separator: "/").map { Self.encode(String($0)) }.joined(separator: "/"))!
        var expectedSize = file.size, sha256 = file.sha256, gitBlobID = file.gitBlobID
        var fetchedBytes: Int64 = 0
        for attempt in 1...attempts {
            let offset = Self.size(of: part) ?? 0
            if expectedSize >= 0, offset == expectedSize, offset > 0 { break }   // an earlier attempt got every byte
            if expectedSize >= 0, offset > expectedSize { try? fm.removeItem(at: part); continue }
            do {
                let headers = offset > 0 ? ["Range": "bytes=\(offset)-"] : [:]
                let start = alreadyDownloaded + fetchedBytes
                let (response, redirect) = try await follow(url, headers: headers, file: part, offset: offset) { written in
                    report(offset + written, start + written)
                }
                // The Hub's own headers: the redirect's for LFS files, the response's for files kept in git.
                let linked = redirect ?? response
                if let commitHeader = linked.header("X-Repo-Commit"), commitHeader.lowercased() != commit {
                    throw HubError.commitChanged(repository: repository, expected: commit, actual: commitHeader)
                }
                if sha256 == nil, let etag = linked.header("X-Linked-Etag").map(Self.unquote), etag.count == 64 { sha256 = etag }
                if sha256 == nil, gitBlobID == nil, let etag = linked.header("ETag").map(Self.unquote), etag.count == 40 {
                    gitBlobID = etag
                }
                if expectedSize < 0 {
                    expectedSize = linked.header("X-Linked-Size").flatMap { Int64($0) }
                        ?? (response.status == 200 ? response.header("Content-Length").flatMap { Int64($0) } ?? -1 : -1)
                }
                switch response.status {
                case 200, 206:
                    fetchedBytes += response.written
                case 416 where expectedSize >= 0 && offset == expectedSize:
                    break
                case 416:
                    try? fm.removeItem(at: part)
                    continue
                case let status where (status == 429 || status >= 500) && attempt < attempts:
                    try await Task.sleep(nanoseconds: UInt64(retryDelay * Double(attempt) * 1e9))
                    continue
                default:
                    throw failure(response, url: url, repository: repository, revision: commit, file: file.path)
                }
                break
            } catch let error as HubError {
                guard case .transport = error, attempt < attempts else { throw error }
                fetchedBytes += max(0, (Self.size(of: part) ?? 0) - offset)
                try await Task.sleep(nanoseconds: UInt64(retryDelay * Double(attempt) * 1e9))
            }
        }
        return Fetched(entry: try settle(file.path, part: part, into: staging.finished(file.path), size: expectedSize,
                                         sha256: sha256, gitBlobID: gitBlobID),
                       bytes: fetchedBytes)
    }

    /// Checks the finished part against the published size and digest; renames it into place or deletes it.
    private func settle(_ path: String, part: URL, into finished: URL, size expected: Int64, sha256: String?,
                        gitBlobID: String?) throws -> ModelManifest.File {
        let fm = FileManager.default
        let size = Self.size(of: part) ?? 0
        if expected >= 0, size != expected {
            try? fm.removeItem(at: part)
            throw HubError.sizeMismatch(file: path, expected: expected, actual: size)
        }
        if let sha256 {
            let actual = try Digest.sha256(ofFile: part)
            guard actual == sha256 else {
                try? fm.removeItem(at: part)
                throw HubError.checksumMismatch(file: path, expected: sha256, actual: actual)
            }
        } else if let gitBlobID {
            let actual = try Digest.gitBlobID(ofFile: part)
            guard actual == gitBlobID else {
                try? fm.removeItem(at: part)
                throw HubError.checksumMismatch(file: path, expected: gitBlobID, actual: actual)
            }
        }
        try? fm.removeItem(at: finished)
        try fm.moveItem(at: part, to: finished)
        return ModelManifest.File(path: path, size: size, sha256: sha256, gitBlobID: sha256 == nil ? gitBlobID : nil)
    }
}
