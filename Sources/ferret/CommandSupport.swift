import ArgumentParser
import Foundation
import Kernels

/// Options every model-running command shares.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A Hugging Face model folder (config.json, *.safetensors, tokenizer.json).",
                                            valueName: "dir"))
    var model: String

    var directory: URL { URL(fileURLWithPath: (model as NSString).expandingTildeInPath, isDirectory: true) }
}

/// Thread count for BLAS and Ferret's own kernels; set once per process.
struct ThreadOptions: ParsableArguments {
    @Option(name: .long, help: "Worker threads (default: all cores).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    @discardableResult
    func apply() -> Int {
        let count = threads ?? ProcessInfo.processInfo.activeProcessorCount
        LinearAlgebra.setThreadCount(count)
        return count
    }
}

extension Precision: ExpressibleByArgument {}

/// The precision a command runs its models at; shared by every command that loads one.
struct PrecisionOptions: ParsableArguments {
    @Option(name: .customLong("dtype"),
            help: "Weight precision: auto (as stored: BF16 for the official releases), f32 (widened, exact) or bf16.")
    var dtype: Precision = .auto
}

enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Writes to stdout immediately (streamed text must not wait for a newline).
    static func stream(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}

/// Runs a command body, turning any error a file or a user can cause into one `error:` line on stderr and exit
/// status 1 — never a crash or a stack trace.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        Console.error(String(describing: error))
        throw ExitCode(1)
    }
}
