import Foundation

/// `ferret serve` started as a user would, on a free port: the process and the address it printed.
public enum ServeProcess {
    /// Starts `ferret serve` with `arguments` (which should include `--port 0`) and waits for its
    /// "listening on ADDRESS" line on stderr; nil when the process exits first.
    public static func start(_ arguments: [String]) throws -> (process: Process, address: String?) {
        let process = Process()
        process.executableURL = FerretBinary.url
        process.arguments = ["serve"] + arguments
        process.environment = FerretBinary.environment()
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var seen = ""
        while !seen.contains("listening on"), process.isRunning {
            seen += String(decoding: stderr.fileHandleForReading.availableData, as: UTF8.self)
        }
        let address = seen.contains("listening on")
            ? seen.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } : nil
        return (process, address)
    }
}
