import Foundation
import HTTPTypes
import Index

/// One model's work, one request at a time, off the event loops: a serial queue with a bounded backlog and a
/// per-request deadline. A request that finds the backlog full gets 429 with `Retry-After` at once instead of
/// waiting without end; one that waited past its deadline gets 503 without running; one that runs past it, or
/// whose client went away (task cancelled), is asked to stop through the `shouldStop` it is given.
final class ModelQueue: Sendable {
    let name: String
    /// Requests waiting or running at most.
    let capacity: Int
    let timeout: Duration
    let queue: DispatchQueue
    private let pending = Locked(0)

    init(name: String, capacity: Int, timeout: Duration) {
        self.name = name
        self.capacity = capacity
        self.timeout = timeout
        queue = DispatchQueue(label: "ferret.server.\(name)")
    }

    /// Requests waiting or running now.
    var load: Int { pending.withLock { $0 } }

    /// Runs `body` when its turn comes. `body` gets a `shouldStop` that turns true when the deadline passes, the
    /// calling task is cancelled or `clientGone` says so; if the deadline was what stopped it, the result is a 504.
    func run<T: Sendable>(clientGone: @escaping @Sendable () -> Bool = { false },
                          _ body: @escaping @Sendable (_ shouldStop: @escaping @Sendable () -> Bool) throws -> T) async throws -> T {
        try admit()
        let deadline = ContinuousClock.now + timeout
        let cancelled = Locked(false)
        let timeout = self.timeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                queue.async { [pending] in
                    defer { pending.withLock { $0 -= 1 } }
                    guard ContinuousClock.now < deadline else {
                        continuation.resume(throwing: APIError(.serviceUnavailable, type: "server_error", code: "timeout",
                            "the request waited \(timeout) for the \(self.name) without getting a turn; try again later"))
                        return
                    }
                    guard !cancelled.withLock({ $0 }), !clientGone() else {
                        continuation.resume(throwing: CancellationError())
                        return
                    }
                    let result = Result { try body { cancelled.withLock { $0 } || clientGone() || ContinuousClock.now >= deadline } }
                    if case .success = result, ContinuousClock.now >= deadline, !cancelled.withLock({ $0 }) {
                        continuation.resume(throwing: Self.deadlineError(self))
                        return
                    }
                    continuation.resume(with: result)
                }
            }
        } onCancel: {
            cancelled.withLock { $0 = true }
        }
    }

    /// Enqueues without waiting for the result (streamed answers report through their own channel). Throws 429 when
    /// the backlog is full.
    func submit(_ body: @escaping @Sendable (_ shouldStop: @escaping @Sendable () -> Bool) -> Void,
                cancelled: @escaping @Sendable () -> Bool) throws {
        try admit()
        let deadline = ContinuousClock.now + timeout
        queue.async { [pending] in
            defer { pending.withLock { $0 -= 1 } }
            body { cancelled() || ContinuousClock.now >= deadline }
        }
    }

    /// What a request that ran past its deadline answers.
    static func deadlineError(_ queue: ModelQueue) -> APIError {
        APIError(.gatewayTimeout, type: "server_error", code: "timeout",
                 "the request ran past its limit of \(queue.timeout) and was stopped (serve --timeout)")
    }

    private func admit() throws {
        let admitted = pending.withLock { count -> Bool in
            guard count < capacity else { return false }
            count += 1
            return true
        }
        guard admitted else {
            var error = APIError(.tooManyRequests, type: "rate_limit_error", code: "queue_full",
                                 "the \(name) is busy (\(capacity) requests waiting or running); retry shortly")
            error.headers[.retryAfter] = "2"
            throw error
        }
    }
}
