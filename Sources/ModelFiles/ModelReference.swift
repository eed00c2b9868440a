import Foundation

/// What a user named with `--model` or `--generator`: a Hugging Face model folder or a single GGUF file (told apart
/// by the file's magic bytes, not its name).
public enum ModelReference: Sendable, Equatable {
    case folder(URL)
    case gguf(URL)

    /// Resolves a command-line argument (`~` expanded). Throws when nothing is there or the file is not a model.
    public init(argument: String) throws {
        let path = (argument as NSString).expandingTildeInPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ModelFilesError.notFound(path: path)
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
        case .vocabularyMismatch(let path, let tokens, let rows):
            return "\(path): the tokenizer has \(tokens) tokens but the embedding has \(rows) rows, so the tokenizer "
                + "does not belong to these weights. Download the model again."
        }
    }
}
