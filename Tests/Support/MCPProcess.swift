import Foundation

/// `ferret mcp` started as an editor would start it, driven as a scripted client: newline-delimited JSON-RPC on its
/// stdin, answers read from its stdout. Every wait has a deadline, so a hung server fails the test instead of
/// hanging it; every stdout line must be a JSON object (stdout carries protocol messages only).
public final class MCPProcess: @unchecked Sendable {   // mutable buffers guarded by `condition`
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let process: Process
    private let input: FileHandle
    private let condition = NSCondition()
    private var stdoutBuffer = Data()
    private var stderrText = ""
    private var stdoutClosed = false

    /// Starts `ferret mcp ARGUMENTS` with `environment` added to this process's.
    public init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = FerretBinary.url
        process.arguments = ["mcp"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        input = stdin.fileHandleForWriting
        stdout.fileHandleForReading.readabilityHandler = { [condition] handle in
            let data = handle.availableData
            condition.lock()
            if data.isEmpty { self.stdoutClosed = true; handle.readabilityHandler = nil } else { self.stdoutBuffer.append(data) }
            condition.broadcast()
            condition.unlock()
        }
        stderr.fileHandleForReading.readabilityHandler = { [condition] handle in
            let data = handle.availableData
            condition.lock()
            if data.isEmpty { handle.readabilityHandler = nil } else { self.stderrText += String(decoding: data, as: UTF8.self) }
            condition.unlock()
        }
        // A server that died must fail the test, not kill the test runner with SIGPIPE on the next write.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
    }

    /// What the server wrote to stderr so far (notes and errors).
    public var standardError: String {
        condition.lock(); defer { condition.unlock() }
        return stderrText
    }

    /// Writes one line (a message, or anything else to test how the server copes).
    public func sendLine(_ line: String) throws {
        try input.write(contentsOf: Data((line + "\n").utf8))
    }

    public func notify(_ method: String, params: [String: Any]? = nil) throws {
        var message: [String: Any] = ["jsonrpc": "2.0", "method": method]
        if let params { message["params"] = params }
        try sendLine(String(decoding: try JSONSerialization.data(withJSONObject: message), as: UTF8.self))
    }

    /// Sends a request and returns the response with the same id (notifications in between are skipped).
    public func request(_ id: Int, _ method: String, params: [String: Any] = [:],
                        timeout: Duration = .seconds(60)) throws -> [String: Any] {
        let message: [String: Any] = ["jsonrpc": "2.0", "id": id, "method": method, "params": params]
        try sendLine(String(decoding: try JSONSerialization.data(withJSONObject: message), as: UTF8.self))
        while true {
            let response = try nextMessage(timeout: timeout)
            if (response["id"] as? Int) == id { return response }
        }
    }

    /// `tools/call` of `name` and its `result` object (a JSON-RPC error fails).
    public func callTool(_ id: Int, _ name: String, _ arguments: [String: Any],
                         timeout: Duration = .seconds(60)) throws -> [String: Any] {
        let response = try request(id, "tools/call", params: ["name": name, "arguments": arguments], timeout: timeout)
        guard let result = response["result"] as? [String: Any] else {
            throw Failure(description: "tools/call \(name) answered no result: \(response)")
        }
        return result
    }

    /// The next line of stdout as a JSON object, waiting at most `timeout`.
    public func nextMessage(timeout: Duration = .seconds(60)) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds))
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let newline = stdoutBuffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = stdoutBuffer[stdoutBuffer.startIndex..<newline]
                stdoutBuffer.removeSubrange(stdoutBuffer.startIndex...newline)
                guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                    throw Failure(description: "stdout carried a line that is not a JSON object: "
                                  + String(decoding: line, as: UTF8.self))
                }
                return object
            }
            if stdoutClosed {
                throw Failure(description: "ferret mcp closed stdout; stderr: \(stderrText)")
            }
            if !condition.wait(until: deadline) {
                throw Failure(description: "no answer from ferret mcp within \(timeout); stderr: \(stderrText)")
            }
        }
    }

    /// Closes stdin (the client goes away) and waits for the exit; the process is killed after `timeout`.
    @discardableResult
    public func finish(timeout: Duration = .seconds(30)) throws -> Int32 {
        try? input.close()
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds))
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        guard !process.isRunning else {
            process.terminate()
            throw Failure(description: "ferret mcp did not exit after stdin closed; stderr: \(standardError)")
        }
        return process.terminationStatus
    }

    /// Stops the process if a test ended early.
    public func stop() {
        if process.isRunning { process.terminate() }
    }
}
