import Foundation

/// Problems with what `--model` / `--generator` names and with Ferret's model store. Each says what to do instead.
public enum ModelFilesError: Error, CustomStringConvertible, Equatable {
    case notFound(path: String)
    case notAModel(path: String, reason: String)
    case encoderNeedsFolder(path: String)
    case vocabularyMismatch(path: String, tokens: Int, embeddingRows: Int)
    /// A repository id that is in neither Ferret's store nor the Hugging Face cache. `offline` (`FERRET_OFFLINE`,
    /// `HF_HUB_OFFLINE`) changes the advice: pull on another machine, then import here.
    case notDownloaded(id: String, looked: [String], offline: Bool = false)
    /// A model given in a role its files say it is not for (a ColBERT encoder as `--generator`).
    case wrongRole(path: String, detail: String)
    /// `models import` refused its source before writing anything.
    case importRefused(path: String, reason: String)
    /// `models import` onto an id the store already has, without `--force`.
    case alreadyInstalled(id: String, folder: String)
    /// `models remove` / `verify` of an id that is not in Ferret's store.
    case notInstalled(id: String, looked: [String])
    /// `models remove` of a model that lives in the Hugging Face cache, which Ferret reads but does not manage.
    case inHuggingFaceCache(id: String, folder: String)
    /// A file operation on the store failed (permissions, a full disk).
    case storeFailure(path: String, detail: String)

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
        case .notDownloaded(let id, let looked, let offline):
            let pull = RepositoryID(id)?.pullCommand ?? "ferret models pull \(id)"
            let advice = offline
                ? "Ferret is offline (FERRET_OFFLINE / HF_HUB_OFFLINE): on a machine with internet run `\(pull)`, copy "
                    + "the folder it prints to this machine and run `ferret models import FOLDER --as \(RepositoryID(id)?.repository ?? id)`."
                : "Download it with `\(pull)` (on a machine with internet, then `ferret models import FOLDER` here if "
                    + "this one is offline), or pass the model folder's path."
            return "\(id) is not on this machine (looked in \(looked.joined(separator: ", "))). " + advice
        case .wrongRole(let path, let detail):
            return "\(path): \(detail)"
        case .vocabularyMismatch(let path, let tokens, let rows):
            return "\(path): the tokenizer has \(tokens) tokens but the embedding has \(rows) rows, so the tokenizer "
                + "does not belong to these weights. Download the model again."
        case .importRefused(let path, let reason):
            // Reasons are often another error's whole message, already ending in a full stop.
            let reason = reason.hasSuffix(".") ? String(reason.dropLast()) : reason
            return "cannot import \(path): \(reason). Nothing was written to the model store."
        case .alreadyInstalled(let id, let folder):
            return "\(id) is already installed (\(folder)). Pass --force to replace it, or --as OWNER/NAME to import "
                + "under another id."
        case .notInstalled(let id, let looked):
            return "\(id) is not installed (looked in \(looked.joined(separator: ", "))). `ferret models list` shows "
                + "what is."
        case .inHuggingFaceCache(let id, let folder):
            return "\(id) is in the Hugging Face cache, which Ferret reads in place but does not manage. To free the "
                + "space, delete \(folder) yourself (or use `huggingface-cli delete-cache`)."
        case .storeFailure(let path, let detail):
            return "\(path): \(detail)"
        }
    }
}
