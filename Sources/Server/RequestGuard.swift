import Hummingbird

/// The server's front door. Every error becomes an OpenAI-shaped JSON error.
/// - A server on a loopback address only answers requests whose `Host` names a loopback host, so a web page cannot
///   reach it through DNS rebinding.
/// - Browser requests (`Origin`) are refused unless the origin is loopback (on a loopback server) or listed with
///   `--cors`; a listed origin gets CORS headers and its preflight (`OPTIONS`) answered.
/// - With an API key every route but `/health` needs `Authorization: Bearer KEY`, compared in constant time.
struct RequestGuard<Context: RequestContext>: RouterMiddleware {
    let loopbackOnly: Bool
    let apiKey: String?
    /// Origins allowed to call from a browser (`https://app.example`), exactly as browsers send them.
    let corsOrigins: [String]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let origin = request.headers[.origin]
        let allowedOrigin = origin.flatMap { corsOrigins.contains($0) ? $0 : nil }
        do {
            if allowedOrigin != nil, request.method == .options { return withCORS(Response(status: .noContent), allowedOrigin) }
            try check(request, origin: origin, allowedOrigin: allowedOrigin)
            return withCORS(try await next(request, context), allowedOrigin)
        } catch {
            return withCORS(APIError.from(error).response, allowedOrigin)
        }
    }

    private func check(_ request: Request, origin: String?, allowedOrigin: String?) throws {
        if loopbackOnly {
            let host = request.head.authority ?? ""
            guard Self.isLoopback(host: host) else {
                throw APIError(.forbidden, type: "permission_error", code: "host_not_allowed",
                               "Host '\(host)' is not this machine; the server only answers requests to localhost")
            }
        }
        if let origin, allowedOrigin == nil, !(loopbackOnly && Self.isLoopback(origin: origin)) {
            throw APIError(.forbidden, type: "permission_error", code: "origin_not_allowed",
                           "requests from the web page at \(origin) are not allowed (start the server with --cors \(origin) to allow them)")
        }
        if let apiKey, request.uri.path != "/health" {
            guard Self.constantTimeEquals(request.headers[.authorization] ?? "", "Bearer \(apiKey)") else {
                throw APIError(.unauthorized, type: "authentication_error", code: "invalid_api_key",
                               "this server needs an API key: send the header 'Authorization: Bearer KEY'")
            }
        }
    }

    private func withCORS(_ response: Response, _ origin: String?) -> Response {
        guard let origin else { return response }
        var response = response
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type"
        response.headers[.accessControlAllowMethods] = "GET, POST, DELETE, OPTIONS"
        response.headers[.vary] = "Origin"
        return response
    }

    /// Compares every byte whatever the first difference, so the time taken does not tell how much of a guessed
    /// key was right (only the length can differ in time, and the length is not the secret).
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: x.count ^ y.count)
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0 && x.count == y.count
    }

    /// `localhost`, `127.x.y.z` or `[::1]`, with or without a port.
    static func isLoopback(host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return false }
            return name[name.index(after: name.startIndex)..<close] == "::1"
        }
        if let colon = name.lastIndex(of: ":") { name = String(name[..<colon]) }
        return name == "localhost" || name.hasSuffix(".localhost") || name.hasPrefix("127.")
    }

    /// An `Origin` such as `http://localhost:5173`; `null` (a file or sandboxed page) is not loopback.
    static func isLoopback(origin: String) -> Bool {
        guard let schemeEnd = origin.range(of: "://") else { return false }
        return isLoopback(host: String(origin[schemeEnd.upperBound...]))
    }
}
