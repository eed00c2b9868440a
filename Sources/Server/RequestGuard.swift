import Hummingbird

/// The server's front door. Every error becomes an OpenAI-shaped JSON error. A server on a loopback address only
/// answers requests whose `Host` names a loopback host (a web page cannot reach it through DNS rebinding) and refuses
/// browser requests from other origins (no CORS). With an API key every route but `/health` needs
/// `Authorization: Bearer KEY`.
struct RequestGuard<Context: RequestContext>: RouterMiddleware {
    let loopbackOnly: Bool
    let apiKey: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            try check(request)
            return try await next(request, context)
        } catch {
            return APIError.from(error).response
        }
    }

    private func check(_ request: Request) throws {
        if loopbackOnly {
            let host = request.head.authority ?? ""
            guard Self.isLoopback(host: host) else {
                throw APIError(.forbidden, type: "permission_error", code: "host_not_allowed",
                               "Host '\(host)' is not this machine; the server only answers requests to localhost")
            }
            if let origin = request.headers[.origin], !Self.isLoopback(origin: origin) {
                throw APIError(.forbidden, type: "permission_error", code: "origin_not_allowed",
                               "requests from the web page at \(origin) are not allowed")
            }
        }
        if let apiKey, request.uri.path != "/health" {
            guard request.headers[.authorization] == "Bearer \(apiKey)" else {
                throw APIError(.unauthorized, type: "authentication_error", code: "invalid_api_key",
                               "this server needs an API key: send the header 'Authorization: Bearer KEY'")
            }
        }
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
