import Foundation
import Tokenizers
import Weights

/// What `ferret models import` checks before it writes anything: the source must be a model Ferret can run, complete
/// and readable, so the store never holds a folder that fails at load time. Every refusal names the file at fault.
enum ImportValidation {
    /// The files a model folder is made of, relative to it, sorted: regular files (or links to them, as in a Hugging
    /// Face snapshot) at any depth. Hidden names (`.git`, a previous `.ferret-model.json`) are not part of a model.
    static func files(in folder: URL) -> [String] {
        let fm = FileManager.default
        return ((try? fm.subpathsOfDirectory(atPath: folder.path)) ?? []).filter { relative in
            guard !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { return false }
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: folder.appendingPathComponent(relative).path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }.sorted()
    }

    /// Checks `source` (a model folder or a GGUF file) and describes it; throws `importRefused` naming what is wrong.
    static func validate(_ source: URL, id: String) throws -> InstalledModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory) else {
            throw ModelFilesError.notFound(path: source.path)
        }
        return isDirectory.boolValue ? try validateFolder(source, id: id) : try validateGGUF(source, id: id)
    }

    /// A single file must be a GGUF that opens (header, metadata, tensor table) and carries its tokenizer.
    private static func validateGGUF(_ file: URL, id: String) throws -> InstalledModel {
        let refuse = { (reason: String) in ModelFilesError.importRefused(path: file.path, reason: reason) }
        do {
            let gguf = try GGUFFile(path: file.path)
            _ = try EmbeddedVocabulary(gguf: gguf)
        } catch {
            throw refuse(String(describing: error))
        }
        guard let model = InstalledModel.describe(file, id: id, revision: nil, source: "store") else {
            throw refuse("it opens as GGUF but has no tensors")
        }
        return model
    }

    /// A folder must have its config and tokenizer, every safetensors file must parse to the end, and its files must
    /// describe a ColBERT encoder or a causal LM.
    private static func validateFolder(_ folder: URL, id: String) throws -> InstalledModel {
        let refuse = { (reason: String) in ModelFilesError.importRefused(path: folder.path, reason: reason) }
        let names = Set(files(in: folder))
        for required in ["config.json", "tokenizer.json"] where !names.contains(required) {
            throw refuse("\(folder.appendingPathComponent(required).path) is missing; a Hugging Face model folder has its "
                         + "config.json and tokenizer.json next to the weights")
        }
        for name in names where name.hasSuffix(".json") {
            let url = folder.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path),
                  (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else {
                throw refuse("\(url.path) is not valid JSON")
            }
        }
        let weights = names.filter { $0.hasSuffix(".safetensors") }
        guard !weights.isEmpty else { throw refuse("it has no .safetensors weights") }
        for name in weights.sorted() {
            do {
                _ = try SafetensorsFile(path: folder.appendingPathComponent(name).path)
            } catch {
                throw refuse(String(describing: error))
            }
        }
        guard let model = InstalledModel.describe(folder, id: id, revision: nil, source: "store") else {
            throw refuse("its weights cannot be read")
        }
        switch model.role {
        case .encoder:
            for required in ["modules.json", "config_sentence_transformers.json"] where !names.contains(required) {
                throw refuse("\(folder.appendingPathComponent(required).path) is missing; a ColBERT encoder is a folder "
                             + "saved by PyLate, with its prefixes and lengths in config_sentence_transformers.json")
            }
        case .generator:
            break
        case .other:
            throw refuse("its files describe neither a ColBERT encoder (modules.json with Dense layers) nor a causal "
                         + "LM (config.json architectures ending in ForCausalLM); found \(model.architecture ?? "no architecture")")
        }
        return model
    }
}
