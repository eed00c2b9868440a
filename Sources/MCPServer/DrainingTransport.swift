import Foundation
import Logging
import MCP

/// Wraps the stdio transport so that the end of input does not end the session before every request read has been
/// answered. The SDK runs each request in its own task and stops reading at EOF, so a client that writes its
/// requests and closes stdin (`printf '…' | ferret mcp`) would otherwise lose the answers still being computed.
/// Messages pass through unchanged; this only counts requests in and responses out.
actor DrainingTransport: Transport {
    nonisolated let logger = Logger(label: "ferret.mcp", factory: { _ in SwiftLogNoOpLogHandler() })
    private let inner: any Transport
    /// Requests read (and malformed messages, which the server answers with an error) not yet answered.
    private var unanswered = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ inner: any Transport) {
        self.inner = inner
    }

    func connect() async throws { try await inner.connect() }

    func disconnect() async { await inner.disconnect() }

    func send(_ data: Data) async throws {
        try await inner.send(data)
        if Self.kind(of: data) == .response { settle() }
    }

    func receive() -> AsyncThrowingStream<Data, Swift.Error> {
        let inner = self.inner
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await message in await inner.receive() {
                        self.read(message)
                        continuation.yield(message)
                    }
                    await self.untilAnswered()
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func read(_ message: Data) {
        switch Self.kind(of: message) {
        case .request: unanswered += 1
        // A cancelled request gets no response (MCP: the server drops it).
        case .cancellation: settle()
        case .notification, .response: break
        }
    }

    private func settle() {
        unanswered = max(0, unanswered - 1)
        guard unanswered == 0 else { return }
        waiting.forEach { $0.resume() }
        waiting.removeAll()
    }

    private func untilAnswered() async {
        guard unanswered > 0 else { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    enum Kind { case request, notification, cancellation, response }

    /// JSON-RPC by shape: a method with an id is a request, without one a notification; an id without a method is
    /// a response; a batch array counts as one exchange (answered by one array). Anything unreadable is answered by
    /// the server with an error, so it counts as a request.
    static func kind(of data: Data) -> Kind {
        guard let json = try? JSONSerialization.jsonObject(with: data) else { return .request }
        if let batch = json as? [Any] {
            let objects = batch.compactMap { $0 as? [String: Any] }
            guard !batch.isEmpty, objects.count == batch.count else { return .request }
            if objects.allSatisfy({ $0["method"] == nil }) { return .response }
            return objects.allSatisfy({ $0["id"] == nil }) ? .notification : .request
        }
        guard let object = json as? [String: Any] else { return .request }
        switch (object["method"] as? String, object["id"]) {
        case ("notifications/cancelled"?, nil): return .cancellation
        case (_?, nil): return .notification
        case (nil, _?) where object["result"] != nil || object["error"] != nil: return .response
        default: return .request
        }
    }
}
