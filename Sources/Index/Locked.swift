import Foundation

/// A value behind a lock. `Synchronization.Mutex` would do, but needs macOS 15 and the package targets macOS 14.
public final class Locked<Value>: @unchecked Sendable {  // every access to `value` goes through `lock`
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
