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
            guard let found else { throw ModelFilesError.notDownloaded(id: id.description, looked: looked, offline: store.isOffline) }
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
