import Foundation

/// What a user named with `--model` or `--generator`: a Hugging Face model folder or a single GGUF file (told apart
/// by the file's magic bytes, not its name), given as a path or as a repository id (`LiquidAI/LFM2-ColBERT-350M`,
/// `OWNER/NAME@REVISION`, `OWNER/NAME:FILE.gguf`) found in Ferret's store or the Hugging Face cache (`ModelStore`).
public enum ModelReference: Sendable, Equatable {
    case folder(URL)
    case gguf(URL)

    /// Resolves a command-line argument (`~` expanded). Throws when nothing is there or the file is not a model.
    public init(argument: String, store: ModelStore = ModelStore()) throws {
        var path = (argument as NSString).expandingTildeInPath
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard let id = RepositoryID(argument) else { throw ModelFilesError.notFound(path: path) }
            let (found, looked) = store.locate(id)
            guard let found else { throw ModelFilesError.notDownloaded(id: id.description, looked: looked) }
            path = found.path
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        }
        let url = URL(fileURLWithPath: path, isDirectory: isDirectory.boolValue)
        if isDirectory.boolValue {
            self = .folder(url)
            return
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ModelFilesError.notAModel(path: path, reason: "it cannot be opened for reading")
        }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 4)) ?? Data()
        guard magic == Data("GGUF".utf8) else {
            throw ModelFilesError.notAModel(path: path, reason: "it is a file but not a GGUF file (no \"GGUF\" magic)")
        }
        self = .gguf(url)
    }

    /// Refuses a PyLate ColBERT folder (sentence-transformers modules with Dense layers) where a generator is
    /// wanted: its backbone would load, but it was never trained to write text.
    public func checkedAsGenerator() throws -> ModelReference {
        guard case .folder(let url) = self else { return self }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        if names.contains("modules.json"), names.contains(where: { $0.hasSuffix("_Dense") }) {
            throw ModelFilesError.wrongRole(path: url.path, detail: "this is a ColBERT encoder (a PyLate folder with Dense "
                + "layers), which finds passages but does not write text. Pass it as --model, and give --generator an "
                + "LFM2 / LFM2.5 instruct model (for example LiquidAI/LFM2.5-1.2B-Instruct or an LFM2 .gguf file).")
        }
        return self
    }

    public var url: URL {
        switch self {
        case .folder(let url), .gguf(let url): return url
        }
    }
}

/// Problems with what `--model` / `--generator` names. Each says what to pass instead.
public enum ModelFilesError: Error, CustomStringConvertible, Equatable {
    case notFound(path: String)
    case notAModel(path: String, reason: String)
    case encoderNeedsFolder(path: String)
    case vocabularyMismatch(path: String, tokens: Int, embeddingRows: Int)
    /// A repository id that is in neither Ferret's store nor the Hugging Face cache.
    case notDownloaded(id: String, looked: [String])
    /// A model given in a role its files say it is not for (a ColBERT encoder as `--generator`).
    case wrongRole(path: String, detail: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such file or folder. Pass a Hugging Face model folder or an LFM2 .gguf file."
        case .notAModel(let path, let reason):
            return "\(path) is not a model: \(reason). Pass a Hugging Face model folder or an LFM2 .gguf file."
        case .encoderNeedsFolder(let path):
            return "\(path) is a GGUF file; the ColBERT encoder is read from its Hugging Face folder "
                + "(config.json, model.safetensors, 1_Dense/, config_sentence_transformers.json), for example "
                + "LiquidAI/LFM2-ColBERT-350M. GGUF files run as generators (--generator)."
        case .notDownloaded(let id, let looked):
            return "\(id) is not on this machine (looked in \(looked.joined(separator: ", "))). Download it where there "
                + "is internet, e.g. `huggingface-cli download \(id.split(separator: "@").first.map(String.init) ?? id)`, "
                + "then copy the Hugging Face cache folder or pass the model folder's path."
        case .wrongRole(let path, let detail):
            return "\(path): \(detail)"
        case .vocabularyMismatch(let path, let tokens, let rows):
            return "\(path): the tokenizer has \(tokens) tokens but the embedding has \(rows) rows, so the tokenizer "
                + "does not belong to these weights. Download the model again."
        }
    }
}
