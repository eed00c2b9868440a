import Foundation

extension ModelPuller {
    /// GETs `url`, following up to 10 redirects by hand. The token goes only to the Hub's own host: a redirect to a
    /// CDN carries a signed URL and must not receive it. Returns the final response and, when there was one, the
    /// first redirect (whose headers name the LFS file's digest and size).
    func follow(_ url: URL, headers: [String: String], file: URL?, offset: Int64,
                progress: (@Sendable (Int64) -> Void)?) async throws -> (response: HubTransport.Response, redirect: HubTransport.Response?) {
        var current = url
        var firstRedirect: HubTransport.Response?
        for _ in 0...10 {
            var sent = headers
            sent["User-Agent"] = "ferret/1 (+https://github.com/; huggingface_hub-compatible)"
            if let token = environment.token, Self.sameOrigin(current, environment.endpoint) {
                sent["Authorization"] = "Bearer \(token)"
            }
            let response = try await transport.get(current, headers: sent, file: file, offset: offset, progress: progress)
            guard (300..<400).contains(response.status), response.status != 304 else { return (response, firstRedirect) }
            guard let location = response.header("Location"), let next = URL(string: location, relativeTo: current)?.absoluteURL,
                  next.scheme == "https" || next.scheme == "http" else {
                throw HubError.http(url: current.absoluteString, status: response.status, message: "a redirect without a usable Location")
            }
            if firstRedirect == nil { firstRedirect = response }
            current = next
        }
        throw HubError.http(url: url.absoluteString, status: 310, message: "more than 10 redirects")
    }

    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        a.scheme == b.scheme && a.host?.lowercased() == b.host?.lowercased() && a.port == b.port
    }

    /// The Hub's error for a response: 401, gated 403, and the 404s told apart by `X-Error-Code`, with its
    /// `X-Error-Message` (or the JSON body's `error`).
    func failure(_ response: HubTransport.Response, url: URL, repository: String, revision: String,
                 file: String?) -> HubError {
        let code = response.header("X-Error-Code")
        let message = response.header("X-Error-Message")
            ?? (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["error"] as? String
        switch (response.status, code) {
        case (401, _):
            return .unauthorized(repository: repository, hasToken: environment.token != nil, message: message)
        case (403, "GatedRepo"), (401, "GatedRepo"):
            return .gated(repository: repository, message: message)
        case (404, "RevisionNotFound"):
            return .revisionNotFound(repository: repository, revision: revision)
        case (404, "EntryNotFound"):
            return .fileNotFound(repository: repository, file: file ?? "?")
        case (404, "RepoNotFound"):
            return .repositoryNotFound(repository: repository)
        case (404, _):
            return file.map { .fileNotFound(repository: repository, file: $0) } ?? .repositoryNotFound(repository: repository)
        default:
            return .http(url: url.absoluteString, status: response.status, message: message)
        }
    }

    /// Percent-encodes one path segment (a revision such as `refs/pr/1` becomes `refs%2Fpr%2F1`, as the Hub expects).
    static func encode(_ segment: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }

    /// `"abc"` and `W/"abc"` → `abc`.
    static func unquote(_ etag: String) -> String {
        var value = etag.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("W/") { value.removeFirst(2) }
        return value.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
    }
}
