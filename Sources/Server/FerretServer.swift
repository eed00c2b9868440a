import Foundation
import Hummingbird
import Logging

/// `ferret serve`: the index, the encoder and the generator over HTTP, in OpenAI-compatible shapes where one exists
/// (see README.md in this folder for the routes).
///
/// ```swift
/// let server = FerretServer(service: service, host: "127.0.0.1", port: 8080)
/// try await server.run { port in print("listening on \(port)") }
/// ```
public struct FerretServer: Sendable {
    public let service: FerretService
    public let host: String
    public let port: Int
    /// When set, every route but `/health` needs `Authorization: Bearer apiKey`.
    public let apiKey: String?
    /// Browser origins allowed to call the API (`--cors`); none by default.
    public let corsOrigins: [String]
    /// A connection that neither sends nor accepts a byte for this long is closed (a client that stalls mid-request
    /// or never reads its answer cannot hold a connection forever).
    public let idleTimeout: Duration

    public init(service: FerretService, host: String = "127.0.0.1", port: Int = 8080, apiKey: String? = nil,
                corsOrigins: [String] = [], idleTimeout: Duration = .seconds(60)) {
        self.idleTimeout = idleTimeout
        self.service = service
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.corsOrigins = corsOrigins
    }

    /// Whether the server listens on a loopback address (then `Host` must name this machine: DNS-rebinding guard).
    public var isLoopback: Bool { Self.isLoopback(host: host) }

    public static func isLoopback(host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1"
    }

    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestGuard(loopbackOnly: isLoopback, apiKey: apiKey, corsOrigins: corsOrigins))
        addIndexRoutes(to: router)
        addEncoderRoutes(to: router)
        addChatRoutes(to: router)
        addCompletionRoutes(to: router)
        addDocumentRoutes(to: router)
        return router
    }

    public func makeApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol {
        var logger = Logger(label: "ferret.serve")
        logger.logLevel = .warning
        return Application(router: makeRouter(),
                           server: .http1(configuration: .init(idleTimeout: .nanoseconds(Int64(idleTimeout.components.seconds) * 1_000_000_000
                                                                                         + idleTimeout.components.attoseconds / 1_000_000_000))),
                           configuration: .init(address: .hostname(host, port: port), serverName: "ferret"),
                           onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
                           logger: logger)
    }

    /// Listens until SIGTERM or SIGINT, then stops gracefully: requests in flight are answered, a running index job
    /// stops after its current file. `onServerRunning` gets the bound port (useful with 0).
    public func run(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await makeApplication(onServerRunning: onServerRunning).runService()
        service.jobs.cancelAllAndWait()
    }
}
