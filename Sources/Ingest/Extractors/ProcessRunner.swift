import Foundation

/// Runs an external program (poppler's tools, a configured extractor command) with a time limit, capturing its
/// standard output (up to a limit) and the start of its standard error. Standard input is the null device, or
/// `input` when given.
enum ProcessRunner {
    struct Output {
        var status: Int32
        var standardOutput: [UInt8]
        var standardError: [UInt8]
        var timedOut: Bool
        /// Standard output went past `maxOutputBytes` and the program was stopped.
        var truncated: Bool
    }

    enum Failure: Error, CustomStringConvertible {
        case notFound(String)
        case cannotStart(String, String)
        var description: String {
            switch self {
            case .notFound(let program): return "`\(program)` was not found on PATH"
            case .cannotStart(let program, let reason): return "`\(program)` could not be started: \(reason)"
            }
        }
    }

    static func run(program: String, arguments: [String], input: [UInt8]? = nil, timeoutSeconds: Double,
                    maxOutputBytes: Int) throws -> Output {
        guard let executable = locate(program) else { throw Failure.notFound(program) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let stdin = input.map { _ in Pipe() }
        process.standardInput = stdin ?? FileHandle.nullDevice
        do { try process.run() } catch { throw Failure.cannotStart(program, error.localizedDescription) }

        let group = DispatchGroup()
        let collected = Collected()
        group.enter()
        DispatchQueue.global().async {
            defer { group.leave() }
            let handle = stdout.fileHandleForReading
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                if collected.appendOutput(chunk, limit: maxOutputBytes) { process.terminate() }
            }
        }
        group.enter()
        DispatchQueue.global().async {
            defer { group.leave() }
            let data = stderr.fileHandleForReading.readDataToEndOfFile()
            collected.setError(Array(data.prefix(4096)))
        }
        if let stdin, let input {
            DispatchQueue.global().async {
                let handle = stdin.fileHandleForWriting
                // A program that exits before reading all its input (a crash, a timeout) closes the pipe: the write
                // fails, and without this the SIGPIPE it raises would end Ferret.
                withSIGPIPEBlocked { try? handle.write(contentsOf: Data(input)) }
                try? handle.close()
            }
        }
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        var timedOut = false
        if finished.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            timedOut = true
            process.terminate()
            if finished.wait(timeout: .now() + 2) == .timedOut { kill(process.processIdentifier, SIGKILL); finished.wait() }
        }
        group.wait()
        let (out, err, truncated) = collected.values
        return Output(status: process.terminationStatus, standardOutput: out, standardError: err,
                      timedOut: timedOut, truncated: truncated)
    }

    /// Runs `body` with SIGPIPE blocked on this thread, so a write to a closed pipe fails with EPIPE instead of
    /// killing the process; a SIGPIPE left pending is consumed before the mask is restored. (Ignoring SIGPIPE
    /// process-wide would also change how the CLI behaves when its output pipe closes.)
    private static func withSIGPIPEBlocked(_ body: () -> Void) {
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        body()
        var pending = sigset_t()
        sigpending(&pending)
        if sigismember(&pending, SIGPIPE) == 1 {
            var signal: Int32 = 0
            sigwait(&blocked, &signal)
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }

    /// The program's path: as given when it contains `/`, else the first executable match on `PATH`.
    static func locate(_ program: String) -> String? {
        if program.contains("/") { return access(program, X_OK) == 0 ? program : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var output: [UInt8] = []
        private var error: [UInt8] = []
        private var truncated = false

        /// Appends; returns true once the limit is passed (the caller stops the program).
        func appendOutput(_ data: Data, limit: Int) -> Bool {
            lock.lock(); defer { lock.unlock() }
            guard !truncated else { return false }
            output.append(contentsOf: data)
            if output.count > limit { output.removeLast(output.count - limit); truncated = true; return true }
            return false
        }

        func setError(_ bytes: [UInt8]) { lock.lock(); error = bytes; lock.unlock() }

        var values: ([UInt8], [UInt8], Bool) { lock.lock(); defer { lock.unlock() }; return (output, error, truncated) }
    }
}
