import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange with the Hub, on Foundation's `URLSession` (libcurl on Linux, which also applies the proxy
/// variables). Redirects are not followed by the session: the Hub answers `resolve` with a 302 whose headers carry
/// the file's digest and size (`X-Linked-Etag`, `X-Linked-Size`), and the caller decides whether the token may
/// travel to the redirect's host.
final class HubTransport: Sendable {
    struct Response: Sendable {
        var status: Int
        var headers: [String: String]
        /// The body when it was not streamed into a file (errors, JSON, redirects), at most `bodyLimit` bytes.
        var body: Data
        /// Bytes written to the file for a 200/206 download.
        var written: Int64

        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    static let bodyLimit = 8 << 20
    let timeout: TimeInterval

    init(timeout: TimeInterval = 60) {
        self.timeout = timeout
    }

    /// GETs `url`. With `file`, a 200 or 206 body is written there: a 206 appended at `offset` (checked against
    /// `Content-Range`), a 200 from the start (the server ignored the range). `progress` gets the bytes written so far.
    func get(_ url: URL, headers: [String: String], file: URL? = nil, offset: Int64 = 0,
             progress: (@Sendable (Int64) -> Void)? = nil) async throws -> Response {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "GET"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let exchange = Exchange(file: file, offset: offset, progress: progress)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration, delegate: exchange, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        return try await withCheckedThrowingContinuation { continuation in
            exchange.start(continuation)
            session.dataTask(with: request).resume()
        }
    }
}

/// The delegate of one request: headers, then the body into memory or a file, then completion.
private final class Exchange: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // Touched only from the session's serial delegate queue, and `start` before the task runs.
    private let file: URL?
    private let offset: Int64
    private let progress: (@Sendable (Int64) -> Void)?
    private var continuation: CheckedContinuation<HubTransport.Response, Error>?
    private var response = HubTransport.Response(status: 0, headers: [:], body: Data(), written: 0)
    private var sink: FileHandle?
    private var failure: Error?

    init(file: URL?, offset: Int64, progress: (@Sendable (Int64) -> Void)?) {
        self.file = file
        self.offset = offset
        self.progress = progress
    }

    func start(_ continuation: CheckedContinuation<HubTransport.Response, Error>) {
        self.continuation = continuation
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)   // the redirect comes back as the response; the caller follows it
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive urlResponse: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        guard let http = urlResponse as? HTTPURLResponse else {
            completionHandler(.cancel)
            return
        }
        response.status = http.statusCode
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { response.headers[name.lowercased()] = value }
        }
        if let file, http.statusCode == 200 || http.statusCode == 206 {
            do {
                sink = try openSink(file, status: http.statusCode)
            } catch {
                failure = error
                completionHandler(.cancel)
                return
            }
        }
        completionHandler(.allow)
    }

    /// A 206 must continue exactly where the partial file ends; a 200 replaces it.
    private func openSink(_ file: URL, status: Int) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: file.path) {
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw HubError.install(path: file.path, detail: "cannot create the download file (permissions or disk?)")
            }
        }
        let handle = try FileHandle(forWritingTo: file)
        if status == 206 {
            let start = response.header("Content-Range").flatMap(Self.rangeStart)
            guard start == offset else {
                try? handle.close()
                throw HubError.transport(url: file.lastPathComponent, detail: "the server resumed at byte "
                    + "\(start.map(String.init) ?? "?") instead of \(offset)")
            }
            try handle.truncate(atOffset: UInt64(offset))
            try handle.seekToEnd()
        } else {
            try handle.truncate(atOffset: 0)
        }
        return handle
    }

    /// `bytes 1000-4999/5000` → 1000.
    private static func rangeStart(_ header: String) -> Int64? {
        guard header.hasPrefix("bytes ") else { return nil }
        return header.dropFirst(6).split(separator: "-").first.flatMap { Int64($0) }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        if let sink {
            do {
                try sink.write(contentsOf: data)
                response.written += Int64(data.count)
                progress?(response.written)
            } catch {
                failure = HubError.install(path: file?.path ?? "", detail: "writing failed: \(error.localizedDescription)")
                dataTask.cancel()
            }
        } else if response.body.count < HubTransport.bodyLimit {
            response.body.append(data.prefix(HubTransport.bodyLimit - response.body.count))
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let sink {
            try? sink.synchronize()
            try? sink.close()
        }
        let continuation = self.continuation
        self.continuation = nil
        if let failure {
            continuation?.resume(throwing: failure)
        } else if let error {
            continuation?.resume(throwing: HubError.transport(url: task.originalRequest?.url?.absoluteString ?? "?",
                                                              detail: error.localizedDescription))
        } else {
            continuation?.resume(returning: response)
        }
    }
}
