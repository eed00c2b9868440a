import Foundation

/// Runs an external program (poppler's tools, a configured extractor command) with a time limit, capturing its
/// standard output (up to a limit) and the start of its standard error. Standard input is the null device, or
/// `input` when given.
///
/// The program runs in its own process group, and a timeout or an output overflow kills the whole group: a shell
/// wrapper's children cannot outlive it and keep the pipes open.
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

    /// Bytes of standard error kept (enough for the first lines of a message).
    static let standardErrorLimit = 4096

    static func run(program: String, arguments: [String], input: [UInt8]? = nil, timeoutSeconds: Double,
                    maxOutputBytes: Int) throws -> Output {
        guard let executable = locate(program) else { throw Failure.notFound(program) }
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1], inPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0, input == nil || pipe(&inPipe) == 0 else {
            throw Failure.cannotStart(program, String(cString: strerror(errno)))
        }
        defer { for fd in outPipe + errPipe + inPipe where fd >= 0 { close(fd) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input != nil {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in outPipe + errPipe + inPipe where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw Failure.cannotStart(program, String(cString: strerror(rc))) }
        // Our copies of the child's ends go now, so end-of-file arrives when the child (group) closes them.
        for fd in [outPipe[1], errPipe[1], inPipe[0]] where fd >= 0 { close(fd) }
        outPipe[1] = -1; errPipe[1] = -1; inPipe[0] = -1

        var output: [UInt8] = [], errors: [UInt8] = []
        var pending = input.map { $0[...] } ?? []
        var truncated = false, timedOut = false
        var openOut = true, openErr = true
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        if input != nil { _ = fcntl(inPipe[1], F_SETFL, fcntl(inPipe[1], F_GETFL) | O_NONBLOCK) }
        if input != nil, pending.isEmpty { close(inPipe[1]); inPipe[1] = -1 }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while openOut || openErr {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { timedOut = true; break }
            var fds = [pollfd(fd: openOut ? outPipe[0] : -1, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: openErr ? errPipe[0] : -1, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: inPipe[1], events: Int16(POLLOUT), revents: 0)]
            let ready = poll(&fds, 3, Int32(min(left, 1) * 1000))
            if ready < 0 && errno != EINTR { break }
            if fds[0].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(outPipe[0], $0.baseAddress, $0.count) }
                if n <= 0 { openOut = false } else {
                    output.append(contentsOf: buffer[0..<n])
                    if output.count > maxOutputBytes {
                        output.removeLast(output.count - maxOutputBytes)
                        truncated = true
                        break
                    }
                }
            }
            if fds[1].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(errPipe[0], $0.baseAddress, $0.count) }
                if n <= 0 { openErr = false } else if errors.count < standardErrorLimit {
                    errors.append(contentsOf: buffer[0..<min(n, standardErrorLimit - errors.count)])
                }
            }
            if inPipe[1] >= 0, fds[2].revents != 0 {
                // A program that exits without reading all its input closes the pipe: the write then fails with
                // EPIPE, and the SIGPIPE it raises must not end Ferret.
                var n = 0
                withSIGPIPEBlocked { n = pending.withUnsafeBytes { write(inPipe[1], $0.baseAddress, min($0.count, 1 << 16)) } }
                if n > 0 { pending = pending.dropFirst(n) }
                if n < 0 || pending.isEmpty { close(inPipe[1]); inPipe[1] = -1 }   // done, or the child stopped reading
            }
        }
        if timedOut || truncated { kill(-pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if timedOut || truncated { kill(-pid, SIGKILL) }   // anything the group left behind
        let exited = status & 0x7F == 0
        return Output(status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), standardOutput: output,
                      standardError: errors, timedOut: timedOut, truncated: truncated)
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
}
