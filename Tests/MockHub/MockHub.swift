import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A Hugging Face Hub on loopback for tests: the fixture models behind the Hub's URL scheme and headers.
///
/// - `GET /api/models/{owner}/{name}/revision/{rev}?blobs=true`: the JSON file list (`sha`, `siblings` with
///   `rfilename`, `size`, `blobId`, `lfs.{sha256,size}`); unknown repositories and revisions answer 404 with the
///   Hub's `X-Error-Code`, private ones 401 without the right `Authorization: Bearer`.
/// - `GET /{owner}/{name}/resolve/{rev}/{path}`: files kept in git answered directly with `ETag` (the git blob id)
///   and `X-Repo-Commit`; LFS files (safetensors, GGUF) answered with a 302 to the "CDN" on another host name
///   (`localhost` instead of `127.0.0.1`) carrying `X-Linked-Etag` (the SHA-256) and `X-Linked-Size`.
/// - `GET /cdn/{sha256}`: the bytes, honouring `Range: bytes=N-` with 206 and `Content-Range`.
///
/// Digests come from coreutils' `sha256sum` and `git hash-object`, not from the code under test.
public final class MockHub: @unchecked Sendable {
    public struct File: Sendable {
        public var path: String
        public var data: Data
        public var lfs: Bool
        public var sha256: String
        public var gitBlobID: String
    }

    public struct Repository: Sendable {
        public var id: String
        public var commit: String
        public var files: [File]
        /// Token required to see it (a private repository), or nil for a public one.
        public var token: String?
    }

    /// One request as the server saw it.
    public struct Logged: Sendable {
        public var path: String
        public var query: String
        public var authorization: String?
        public var range: String?
        public var host: String?
    }

    private let lock = NSLock()
    private var repositories: [String: Repository] = [:]
    private var log: [Logged] = []
    /// Path → bytes after which the next CDN download of that file breaks off (then the fault is used up).
    private var breakOffs: [String: Int] = [:]
    /// Paths whose published SHA-256 is wrong (a corrupted mirror).
    private var lyingDigests: Set<String> = []

    public init() {}

    // MARK: Setting up

    /// Publishes the files under `folder` (recursively) as repository `id` at a fixed fake commit.
    @discardableResult
    public func publish(_ id: String, folder: URL, token: String? = nil, only: ((String) -> Bool)? = nil,
                        extra: [String: Data] = [:]) throws -> Repository {
        var files: [File] = []
        let fm = FileManager.default
        for relative in (try fm.subpathsOfDirectory(atPath: folder.path)).sorted() {
            let url = folder.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  only?(relative) ?? true else { continue }
            files.append(try Self.file(relative, data: Data(contentsOf: url)))
        }
        for (path, data) in extra.sorted(by: { $0.key < $1.key }) { files.append(try Self.file(path, data: data)) }
        let commit = try Self.run(["sha1sum"], input: Data(id.utf8)).prefix(40)
        let repository = Repository(id: id, commit: String(commit), files: files, token: token)
        lock.withLock { repositories[id] = repository }
        return repository
    }

    private static func file(_ path: String, data: Data) throws -> File {
        let lfs = path.hasSuffix(".safetensors") || path.hasSuffix(".gguf") || path.hasSuffix(".bin") || path.hasSuffix(".onnx")
        let sha = String(try run(["sha256sum"], input: data).prefix(64))
        let blob = String(try run(["git", "hash-object", "--stdin"], input: data).prefix(40))
        return File(path: path, data: data, lfs: lfs, sha256: sha, gitBlobID: blob)
    }

    private static func run(_ command: [String], input: Data) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        let writer = Thread { stdin.fileHandleForWriting.write(input); try? stdin.fileHandleForWriting.close() }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }

    public func breakOff(_ path: String, after bytes: Int) { lock.withLock { breakOffs[path] = bytes } }
    public func lieAboutDigest(of path: String) { lock.withLock { _ = lyingDigests.insert(path) } }
    public func forgetFaults() { lock.withLock { breakOffs = [:]; lyingDigests = [] } }
    /// A published file by path (the first repository that has it), with the digests the Hub announces.
    public func published(_ path: String) -> File? {
        lock.withLock { repositories.values.lazy.flatMap(\.files).first { $0.path == path } }
    }

    public var requests: [Logged] { lock.withLock { log } }
    public func clearLog() { lock.withLock { log = [] } }

    // MARK: Serving

    /// Runs the Hub on a free loopback port for the duration of `body`, which gets the endpoint (`http://127.0.0.1:PORT`).
    /// Plain Hummingbird (not HummingbirdTesting, whose HTTP client would put BoringSSL into every `swift build`).
    public func serve<Value: Sendable>(_ body: @Sendable @escaping (URL) async throws -> Value) async throws -> Value {
        let router = Router()
        router.get("**") { [self] request, _ in self.respond(to: request) }
        var logger = Logger(label: "MockHub")
        logger.logLevel = .critical   // stopping by cancellation logs "already closed"; the tests judge what matters
        let (ports, announce) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  announce.yield(channel.localAddress?.port ?? 0)
                                  announce.finish()
                              }, logger: logger)
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            server.cancel()
            _ = await server.result
            throw CancellationError()
        }
        let value = try await body(URL(string: "http://127.0.0.1:\(port)")!)
        server.cancel()
        _ = await server.result
        return value
    }

    private func respond(to request: Request) -> Response {
        let path = request.uri.path
        let authorization = request.headers[.authorization]
        let range = request.headers[HTTPField.Name("Range")!]
        lock.withLock {
            log.append(Logged(path: path, query: request.uri.query ?? "", authorization: authorization, range: range,
                              host: request.head.authority ?? request.headers[HTTPField.Name("Host")!]))
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        if parts.count >= 6, parts[0] == "api", parts[1] == "models", parts[4] == "revision" {
            return listing("\(parts[2])/\(parts[3])", revision: parts[5...].joined(separator: "/").removingPercentEncoding ?? "",
                           authorization: authorization)
        }
        if parts.count >= 5, parts[2] == "resolve" {
            return resolve("\(parts[0])/\(parts[1])", revision: parts[3], file: parts[4...].joined(separator: "/"),
                           authorization: authorization, host: request.head.authority)
        }
        if parts.count == 2, parts[0] == "cdn" { return cdn(parts[1], range: range) }
        return error(404, code: "EntryNotFound", message: "no route \(path)")
    }

    private func error(_ status: Int, code: String, message: String) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name("X-Error-Code")!] = code
        headers[HTTPField.Name("X-Error-Message")!] = message
        let body = try! JSONSerialization.data(withJSONObject: ["error": message])
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The repository when the caller may see it, else the Hub's error response.
    private func visible(_ id: String, revision: String, authorization: String?) -> Result<Repository, Failure> {
        guard let repository = lock.withLock({ repositories[id] }) else {
            return .failure(Failure(response: error(404, code: "RepoNotFound", message: "Repository not found")))
        }
        if let token = repository.token, authorization != "Bearer \(token)" {
            return .failure(Failure(response: error(401, code: "RepoNotFound",
                                                    message: "Invalid credentials in Authorization header")))
        }
        guard revision == "main" || revision == repository.commit else {
            return .failure(Failure(response: error(404, code: "RevisionNotFound", message: "Invalid rev id: \(revision)")))
        }
        return .success(repository)
    }

    private struct Failure: Error, @unchecked Sendable { let response: Response }

    private func listing(_ id: String, revision: String, authorization: String?) -> Response {
        let repository: Repository
        switch visible(id, revision: revision, authorization: authorization) {
        case .failure(let failure): return failure.response
        case .success(let found): repository = found
        }
        let lying = lock.withLock { lyingDigests }
        let siblings: [[String: Any]] = repository.files.map { file in
            var sibling: [String: Any] = ["rfilename": file.path, "size": file.data.count, "blobId": file.gitBlobID]
            if file.lfs {
                let sha = lying.contains(file.path) ? String(repeating: "0", count: 64) : file.sha256
                sibling["lfs"] = ["sha256": sha, "size": file.data.count, "pointerSize": 134]
            }
            return sibling
        }
        let body = try! JSONSerialization.data(withJSONObject: ["id": id, "sha": repository.commit, "siblings": siblings])
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private func resolve(_ id: String, revision: String, file path: String, authorization: String?, host: String?) -> Response {
        let repository: Repository
        switch visible(id, revision: revision, authorization: authorization) {
        case .failure(let failure): return failure.response
        case .success(let found): repository = found
        }
        guard let file = repository.files.first(where: { $0.path == path.removingPercentEncoding }) else {
            return error(404, code: "EntryNotFound", message: "\(path) does not exist on \"\(revision)\"")
        }
        var headers: HTTPFields = [:]
        headers[HTTPField.Name("X-Repo-Commit")!] = repository.commit
        guard file.lfs else {
            headers[.eTag] = "\"\(file.gitBlobID)\""
            headers[.contentLength] = String(file.data.count)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
        }
        let lying = lock.withLock { lyingDigests.contains(file.path) }
        headers[HTTPField.Name("X-Linked-Etag")!] = "\"\(lying ? String(repeating: "0", count: 64) : file.sha256)\""
        headers[HTTPField.Name("X-Linked-Size")!] = String(file.data.count)
        headers[.eTag] = "\"\(file.gitBlobID)\""
        let port = host?.split(separator: ":").last.map(String.init) ?? "80"
        headers[.location] = "http://localhost:\(port)/cdn/\(file.sha256)"
        return Response(status: .found, headers: headers)
    }

    private func cdn(_ sha: String, range: String?) -> Response {
        let all = lock.withLock { repositories.values.flatMap(\.files) }
        guard let file = all.first(where: { $0.sha256 == sha }) else {
            return error(404, code: "EntryNotFound", message: "no such object")
        }
        var start = 0
        if let range, range.hasPrefix("bytes="), let from = Int(range.dropFirst(6).split(separator: "-").first ?? "") {
            guard from < file.data.count else {
                return Response(status: .rangeNotSatisfiable, headers: [.contentRange: "bytes */\(file.data.count)"])
            }
            start = from
        }
        let rest = file.data.subdata(in: start..<file.data.count)
        var headers: HTTPFields = [.contentLength: String(rest.count), .eTag: "\"\(file.sha256)\""]
        if start > 0 { headers[.contentRange] = "bytes \(start)-\(file.data.count - 1)/\(file.data.count)" }
        let cut: Int? = lock.withLock {
            guard let after = breakOffs[file.path] else { return nil }
            breakOffs[file.path] = nil
            return after
        }
        let status: HTTPResponse.Status = start > 0 ? .partialContent : .ok
        guard let cut, cut < rest.count else {
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: rest)))
        }
        // Announce every byte, send some, then drop the connection: a download broken off midway.
        let sent = rest.prefix(cut)
        return Response(status: status, headers: headers, body: ResponseBody(contentLength: rest.count) { writer in
            try await writer.write(ByteBuffer(bytes: sent))
            throw CancellationError()
        })
    }
}
