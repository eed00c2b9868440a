import Foundation

/// Runs the built `ferret` executable, as a user would, and captures what it prints.
public enum FerretBinary {
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The `ferret` built next to the test bundle (the test targets depend on it, so it is always current).
    public static var url: URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("ferret")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return Fixtures.repositoryRoot.appendingPathComponent(".build/debug/ferret")
    }

    /// An empty folder standing in for Ferret's store and the Hugging Face cache, so that a model installed on the
    /// machine running the tests (the default encoder or generator) never changes what a test sees.
    public static let emptyModelHome: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferret-test-no-models-\(getpid())")
        try? FileManager.default.createDirectory(at: url.appendingPathComponent("hub"), withIntermediateDirectories: true)
        return url
    }()

    /// This process's environment with `overrides` on top, and by default no installed models: `FERRET_HOME` and
    /// `HF_HUB_CACHE` point into `emptyModelHome` unless `overrides` sets them, and offline mode is off.
    public static func environment(_ overrides: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["FERRET_HOME"] = emptyModelHome.path
        env["HF_HUB_CACHE"] = emptyModelHome.appendingPathComponent("hub").path
        env.removeValue(forKey: "FERRET_OFFLINE")
        env.removeValue(forKey: "HF_HUB_OFFLINE")
        env.merge(overrides) { $1 }
        return env
    }

    /// Runs `ferret` in `environment(environment)` and waits for it.
    public static func run(_ arguments: [String], environment: [String: String] = [:], standardInput: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = Self.environment(environment)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let standardInput { process.standardInput = try FileHandle(forReadingFrom: standardInput) }
        try process.run()
        // Read both pipes before waiting so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Blocking work moved off Swift's cooperative thread pool. Async tests that wait on a child process must not hold
/// one of the pool's few threads (two on a 2-core machine): an in-process server of another test (the mock Hub,
/// Hummingbird's handlers) runs on that pool and would starve until its clients time out.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
