import Foundation
import Weights

/// A model found on this machine, described from its own files (nothing is loaded): what `ferret models list` shows.
public struct InstalledModel: Sendable, Codable, Equatable {
    /// What a model is for, read from its files.
    public enum Role: String, Sendable, Codable {
        /// A PyLate ColBERT folder (sentence-transformers modules with Dense layers): `--model` for `index`/`search`.
        case encoder
        /// A causal LM folder or a GGUF file: `--generator`.
        case generator
        /// A bidirectional LFM2 without a ColBERT head, or something else Ferret cannot place.
        case other
    }

    /// `OWNER/NAME` (with `:FILE` for a GGUF file), or the folder name for a model outside any repository layout.
    public var id: String
    /// The snapshot commit (Hugging Face cache) or nil.
    public var revision: String?
    public var role: Role
    /// `Lfm2ForCausalLM`, `lfm2` (GGUF), …
    public var architecture: String?
    public var parameters: Int
    /// The tensors' stored types, most common first (`BF16`, `Q4_K`…).
    public var dtypes: [String]
    public var bytes: Int64
    public var path: String
    /// `store` (Ferret's), `huggingface` (the cache, used in place) or `path`.
    public var source: String

    /// Describes the folder or GGUF file at `url`; nil when it is not a model (no weights).
    public static func describe(_ url: URL, id: String, revision: String?, source: String) -> InstalledModel? {
        if url.pathExtension.lowercased() == "gguf" {
            guard let file = try? GGUFFile(path: url.path) else { return nil }
            let tensors = Array(file.tensors.values)
            return InstalledModel(id: id, revision: revision, role: .generator,
                                  architecture: file.metadata["general.architecture"]?.string,
                                  parameters: tensors.reduce(0) { $0 + $1.elementCount },
                                  dtypes: Self.ranked(tensors.map { String(describing: $0.type).uppercased() }),
                                  bytes: Self.size(of: url), path: url.path, source: source)
        }
        let fm = FileManager.default
        let names = (try? fm.contentsOfDirectory(atPath: url.path)) ?? []
        let weights = names.filter { $0.hasSuffix(".safetensors") }
        guard !weights.isEmpty else { return nil }
        var parameters = 0
        var dtypes: [String] = []
        for name in weights {
            guard let file = try? SafetensorsFile(path: url.appendingPathComponent(name).path) else { continue }
            for tensor in file.tensors.values {
                parameters += tensor.elementCount
                dtypes.append(tensor.dtype.rawValue)
            }
        }
        let config = (fm.contents(atPath: url.appendingPathComponent("config.json").path))
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
        let architecture = (config["architectures"] as? [String])?.first ?? config["model_type"] as? String
        let isColBERT = names.contains("modules.json") && names.contains { $0.hasSuffix("_Dense") }
        let role: Role = isColBERT ? .encoder
            : (architecture?.hasSuffix("ForCausalLM") ?? false) ? .generator : .other
        return InstalledModel(id: id, revision: revision, role: role, architecture: architecture,
                              parameters: parameters, dtypes: Self.ranked(dtypes), bytes: Self.size(of: url),
                              path: url.path, source: source)
    }

    /// Distinct values, most frequent first.
    static func ranked(_ values: [String]) -> [String] {
        Dictionary(grouping: values) { $0 }.sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
            .map(\.key)
    }

    /// Bytes on disk, following the symbolic links a Hugging Face snapshot is made of.
    static func size(of url: URL) -> Int64 {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return 0 }
        guard isDirectory.boolValue else {
            return ((try? fm.attributesOfItem(atPath: url.resolvingSymlinksInPath().path))?[.size] as? NSNumber)?.int64Value ?? 0
        }
        var total: Int64 = 0
        for name in (try? fm.subpathsOfDirectory(atPath: url.path)) ?? [] {
            let item = url.appendingPathComponent(name).resolvingSymlinksInPath()
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: item.path, isDirectory: &isDir), !isDir.boolValue {
                total += ((try? fm.attributesOfItem(atPath: item.path))?[.size] as? NSNumber)?.int64Value ?? 0
            }
        }
        return total
    }
}

extension ModelStore {
    /// Every model in Ferret's store and the Hugging Face cache (one entry per cached snapshot; each GGUF file of a
    /// repository its own entry), sorted by id.
    public func installed() -> [InstalledModel] {
        let fm = FileManager.default
        var found: [InstalledModel] = []
        // Dot folders are imports and removals in progress (`.staging-…`, `.removing-…`), never models.
        for owner in (try? fm.contentsOfDirectory(atPath: storeFolder.path)) ?? [] where !owner.hasPrefix(".") {
            for name in (try? fm.contentsOfDirectory(atPath: storeFolder.appendingPathComponent(owner).path)) ?? [] {
                let folder = storeFolder.appendingPathComponent(owner).appendingPathComponent(name)
                found += describeAll(folder, id: "\(owner)/\(name)", revision: nil, source: "store")
            }
        }
        for repository in (try? fm.contentsOfDirectory(atPath: hubCache.path)) ?? [] where repository.hasPrefix("models--") {
            let parts = repository.dropFirst("models--".count).components(separatedBy: "--")
            guard parts.count == 2 else { continue }
            let snapshots = hubCache.appendingPathComponent(repository).appendingPathComponent("snapshots")
            for commit in (try? fm.contentsOfDirectory(atPath: snapshots.path)) ?? [] {
                found += describeAll(snapshots.appendingPathComponent(commit), id: "\(parts[0])/\(parts[1])",
                                     revision: commit, source: "huggingface")
            }
        }
        return found.sorted { ($0.id, $0.revision ?? "") < ($1.id, $1.revision ?? "") }
    }

    /// The folder as one model, or each of its GGUF files.
    private func describeAll(_ folder: URL, id: String, revision: String?, source: String) -> [InstalledModel] {
        if let model = InstalledModel.describe(folder, id: id, revision: revision, source: source) { return [model] }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.lowercased().hasSuffix(".gguf") }
        return files.sorted().compactMap {
            InstalledModel.describe(folder.appendingPathComponent($0), id: "\(id):\($0)", revision: revision, source: source)
        }
    }
}
