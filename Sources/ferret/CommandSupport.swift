import ArgumentParser
import Foundation
import Index
import ColBERT
import Generation
import Kernels
import LFM2
import ModelFiles
import Tokenizers
import Weights

/// Options every model-running command shares.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A Hugging Face model folder (config.json, *.safetensors, tokenizer.json) or, "
                                            + "for generation, an LFM2 .gguf file.", valueName: "path"))
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

/// The models `--generator`, `--model` and `serve` name, loaded the same way by every command.
enum ModelLoading {
    /// An LFM2 / LFM2.5 generator from a Hugging Face folder or a GGUF file.
    static func generator(_ argument: String, precision: Precision) throws -> Generator {
        _ = try ModelReference(argument: argument).checkedAsGenerator()
        let files = try LanguageModelFiles.load(argument: argument, precision: precision)
        guard files.model.config.direction == .causal else {
            throw ModelError.unsupportedModel(
                file: argument,
                detail: "this is a bidirectional encoder (Lfm2BidirectionalModel); it cannot generate text. "
                    + "Use an LFM2 / LFM2.5 instruct model.")
        }
        return Generator(model: files.model, tokenizer: files.tokenizer)
    }

    /// The tokenizer of a Hugging Face folder or a GGUF file.
    static func tokenizer(_ argument: String) throws -> Tokenizer {
        switch try ModelReference(argument: argument) {
        case .folder(let url): return try Tokenizer.load(directory: url)
        case .gguf(let url): return try Tokenizer(vocabulary: EmbeddedVocabulary(gguf: GGUFFile(path: url.path)))
        }
    }

    /// The ColBERT encoder of a Hugging Face folder; a GGUF file gets an error saying so.
    static func encoder(_ argument: String, precision: Precision) throws -> ColBERTEncoder {
        let reference = try ModelReference(argument: argument)
        guard case .folder(let url) = reference else { throw ModelFilesError.encoderNeedsFolder(path: reference.url.path) }
        return try ColBERTEncoder.load(directory: url, precision: precision)
    }

    /// What an index records about `encoder`, loaded from `argument`: its weights' and head's identity, where it is
    /// and, when it was named by repository id, that id.
    static func identity(of encoder: ColBERTEncoder, argument: String) -> EncoderIdentity {
        // A repository id is remembered as the folder it resolved to (the store or the Hugging Face cache), and as
        // itself, so the store can find it again if that folder goes.
        let path = (argument as NSString).expandingTildeInPath
        let folder = ((try? ModelReference(argument: argument).url) ?? URL(fileURLWithPath: path)).standardizedFileURL.path
        let repository = FileManager.default.fileExists(atPath: path) ? nil : RepositoryID(argument)?.description
        return EncoderIdentity(name: encoder.name, fingerprint: encoder.fingerprint, dimension: encoder.dimension,
                               location: folder, head: encoder.head, repository: repository)
    }

    /// The encoder for searching `database`: `explicit` (`--model` or ferret.toml) when given; else the one the index
    /// remembers, from where it was last seen, or when that folder is gone, through the repository id it was given as
    /// (Ferret's store or the Hugging Face cache); which one is said once on stderr. When neither has it, or the
    /// folder now holds other weights, Ferret says so loudly and returns nil: the caller searches lexically (BM25),
    /// never silently.
    static func encoder(for database: IndexDatabase, explicit: String?, precision: Precision) throws -> ColBERTEncoder? {
        if let explicit {
            let loaded = try encoder(explicit, precision: precision)
            try? database.rememberEncoderLocation(identity(of: loaded, argument: explicit))   // best effort: read-only media
            return loaded
        }
        guard let stored = database.encoder else { return nil }
        if let location = stored.location, FileManager.default.fileExists(atPath: location) {
            let loaded = try encoder(location, precision: precision)
            guard identity(of: loaded, argument: location) == stored else {
                Console.note("warning: \(location) now holds other weights (or other ColBERT settings) than the index's "
                             + "encoder \(stored.name); searching lexically (BM25). Pass --model DIR with the weights the "
                             + "index was built with.")
                return nil
            }
            Console.note("note: using the index's encoder \(stored.name) (\(location))")
            return loaded
        }
        let place = stored.location.map { "was at \($0), which is gone" } ?? "is not recorded by location"
        if let repository = stored.repository, let id = RepositoryID(repository) {
            let store = ModelStore()
            guard let found = store.locate(id).url else {
                Console.note("warning: the index's encoder \(stored.name) \(place), and \(repository) is not installed; "
                             + "searching lexically (BM25). \(DefaultModelChoice.pullAdvice(id, store: store).capitalizedFirst), "
                             + "or pass --model DIR with the same weights.")
                return nil
            }
            let loaded = try encoder(found.path, precision: precision)
            let relocated = Self.identity(of: loaded, argument: repository)
            guard relocated == stored else {
                Console.note("warning: the index's encoder \(stored.name) \(place), and \(repository) (\(found.path)) now "
                             + "holds other weights; searching lexically (BM25). Pass --model DIR with the weights the "
                             + "index was built with.")
                return nil
            }
            Console.note("note: the index's encoder \(stored.name) \(place); using \(repository) from \(found.path)")
            try? database.rememberEncoderLocation(relocated)
            return loaded
        }
        if stored.location == nil {
            Console.note("note: this index has vectors from \(stored.name) but does not record where it is; searching "
                         + "lexically (BM25). Pass --model DIR once (it is remembered).")
        } else {
            Console.note("warning: the index's encoder \(stored.name) \(place); searching lexically (BM25). Pass "
                         + "--model DIR with the same weights (any folder name works).")
        }
        return nil
    }
}

extension String {
    /// "run …" → "Run …", for advice that starts a sentence.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
