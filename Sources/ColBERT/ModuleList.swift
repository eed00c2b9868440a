import Foundation
import LFM2

/// The module pipeline of a sentence-transformers folder (`modules.json`), reduced to what PyLate keeps: PyLate's
/// `_load_sbert_model` retains only `Transformer` and `Dense` modules (others, such as `Normalize`, are dropped), so
/// the pipeline is one backbone followed by zero or more projections.
struct ModuleList {
    /// Folder of the Transformer module, relative to the model folder.
    let transformerPath: String
    /// Folders of the Dense modules, in order.
    let densePaths: [String]

    static func load(directory: URL) throws -> ModuleList {
        let url = directory.appendingPathComponent("modules.json")
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ColBERTError.notAColBERTFolder(directory: directory.path, detail: "no such folder.")
        }
        guard fm.fileExists(atPath: url.path) else {
            let plainModel = fm.fileExists(atPath: directory.appendingPathComponent("config.json").path)
            throw ColBERTError.notAColBERTFolder(
                directory: directory.path,
                detail: "it has no modules.json"
                    + (plainModel ? " (it looks like a plain Hugging Face model, e.g. an LFM2 language model)" : "")
                    + ". Point --model at a PyLate ColBERT folder such as LiquidAI/LFM2-ColBERT-350M or "
                    + "LiquidAI/LFM2.5-ColBERT-350M (`ferret models pull LiquidAI/LFM2-ColBERT-350M`).")
        }
        let file = try JSONFile.read(url)
        guard let entries = file.value.array else {
            throw ColBERTError.unreadable(file: url.path, reason: "expected a list of modules, found \(file.value.kindDescription)")
        }
        var transformer: String?
        var dense: [String] = []
        for (index, entry) in entries.enumerated() {
            guard let object = entry.object, let type = object["type"]?.string else {
                throw ColBERTError.invalidField(file: url.path, field: "[\(index)].type", problem: "is missing")
            }
            let path = object["path"]?.string ?? ""
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw ColBERTError.invalidField(file: url.path, field: "[\(index)].path",
                                                problem: "is \"\(path)\", which leaves the model folder")
            }
            switch type.split(separator: ".").last.map(String.init) {
            case "Transformer":
                guard transformer == nil else {
                    throw ColBERTError.unsupported(file: url.path, detail: "it lists two Transformer modules; a ColBERT "
                        + "model has one backbone. Use a PyLate ColBERT folder.")
                }
                guard dense.isEmpty else {
                    throw ColBERTError.unsupported(file: url.path, detail: "a Dense module comes before the Transformer.")
                }
                transformer = path
            case "Dense":
                guard transformer != nil else {
                    throw ColBERTError.unsupported(file: url.path, detail: "a Dense module comes before the Transformer.")
                }
                dense.append(path)
            default:
                continue  // dropped by PyLate as well
            }
        }
        guard let transformer else {
            throw ColBERTError.unsupported(file: url.path, detail: "it lists no sentence_transformers.models.Transformer "
                + "module. Use a PyLate ColBERT folder such as LiquidAI/LFM2-ColBERT-350M.")
        }
        return ModuleList(transformerPath: transformer, densePaths: dense)
    }
}
