import Foundation
import Generation
import Index
import MCP
import Retrieval

/// `ferret mcp`: the index (with its encoder and, optionally, a generator) as Model Context Protocol tools — search,
/// ask, get_document, status — for editors and agents that start Ferret as a subprocess and talk JSON-RPC over its
/// stdin and stdout. The same pieces as `ferret search`, `ask` and `status` do the work; this type only checks
/// arguments and shapes results.
///
/// ```swift
/// let server = FerretMCPServer(retriever: retriever, generator: nil)
/// try await server.runOverStandardIO()   // returns when the client closes stdin
/// ```
public final class FerretMCPServer: Sendable {
    /// Ferret has no release numbering yet; this is what `initialize` reports as `serverInfo.version`.
    public static let version = "0.1.0"

    public let retriever: Retriever
    public let generator: Generator?
    /// Most answer tokens of `ask` with a generator, as `ferret ask --max-tokens`.
    public let maxTokens: Int
    /// The generator's context, as `ferret ask` sizes it: its limit, at most 8192 tokens.
    let contextTokens: Int
    /// The SDK runs each request in its own task; the encoder and generator run one call at a time here, off the
    /// cooperative pool (a generated answer blocks its thread for seconds).
    let modelQueue = DispatchQueue(label: "ferret.mcp.models")
    /// Status and document reads need no model, so they answer while an `ask` is generating (SQLite WAL readers).
    let readQueue = DispatchQueue(label: "ferret.mcp.reads")

    public init(retriever: Retriever, generator: Generator?, maxTokens: Int = 512) {
        self.retriever = retriever
        self.generator = generator
        self.maxTokens = maxTokens
        contextTokens = generator.map { min($0.model.config.maxPositions, 8192) } ?? 0
    }

    var database: IndexDatabase { retriever.database }

    /// Serves this process's stdin and stdout (which then carry protocol messages only) until the client closes stdin.
    public func runOverStandardIO() async throws {
        try await run(transport: StdioTransport())
    }

    /// Serves `transport` until the client closes it (EOF on stdin), answering every request read before that.
    public func run(transport: any Transport) async throws {
        let server = Server(
            name: "ferret", version: Self.version, title: "Ferret",
            instructions: "Ferret searches and answers from the user's own indexed files, offline. Cite results as "
                + "the tools give them (path:lines or path#page=N).",
            capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: FerretTool.allCases.map(\.definition))
        }
        await server.withMethodHandler(CallTool.self) { [self] call in
            await self.call(call.name, arguments: call.arguments)
        }
        let draining = DrainingTransport(transport)
        try await server.start(transport: draining)
        await server.waitUntilCompleted()
        await server.stop()
    }

    /// Runs one tool call. Every failure — a bad argument, a path outside the index, an index error — becomes a
    /// result with `isError: true` and a message, so the agent can correct itself; none ends the session.
    func call(_ name: String, arguments: [String: Value]?) async -> CallTool.Result {
        do {
            guard let tool = FerretTool(rawValue: name) else { throw ToolError.unknownTool(name) }
            switch tool {
            case .search:
                let request = try SearchArguments(ToolArguments(tool: name, values: arguments, allowed: SearchArguments.names))
                return try await run(on: modelQueue) { try self.search(request) }
            case .ask:
                let request = try AskArguments(ToolArguments(tool: name, values: arguments, allowed: AskArguments.names))
                return try await run(on: modelQueue) { try self.ask(request) }
            case .getDocument:
                let request = try DocumentArguments(ToolArguments(tool: name, values: arguments, allowed: DocumentArguments.names))
                return try await run(on: readQueue) { try self.document(request) }
            case .status:
                _ = try ToolArguments(tool: name, values: arguments, allowed: [])
                return try await run(on: readQueue) { try self.status() }
            }
        } catch let error as ToolError {
            return ToolOutput.error(error.description)
        } catch {
            return ToolOutput.error(String(describing: error))
        }
    }

    /// Runs `body` on `queue` and waits for it without blocking the caller's thread.
    private func run<T: Sendable>(on queue: DispatchQueue, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
