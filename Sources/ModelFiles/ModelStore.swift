import Foundation

/// Where models a user already has are found by repository id, without a second copy:
/// 1. Ferret's own store, `$FERRET_HOME/models/OWNER/NAME` (default `$XDG_DATA_HOME/ferret/models`, else
///    `~/.local/share/ferret/models`);
/// 2. the Hugging Face cache, used in place: `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`,
///    in its `models--OWNER--NAME/{refs,snapshots,blobs}` layout (a revision is a branch or tag under `refs/`, or a
///    commit with its own `snapshots/<sha>/`; the default is `main`).
public struct ModelStore: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    private var home: URL { URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()) }

    /// Ferret's own model folder.
    public var storeFolder: URL {
        if let ferret = environment["FERRET_HOME"], !ferret.isEmpty {
            return URL(fileURLWithPath: ferret).appendingPathComponent("models")
        }
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? home.appendingPathComponent(".local/share")
        return data.appendingPathComponent("ferret/models")
    }

    /// Whether Ferret may use the network: `FERRET_OFFLINE=1` or Hugging Face's own `HF_HUB_OFFLINE=1` (also `true`,
    /// `yes`, `on`) say it may not. `ferret models pull` refuses to run then, and a missing model's message says to
    /// pull it elsewhere and `ferret models import` it here.
    public var isOffline: Bool { offlineVariable != nil }

    /// The variable that turned offline mode on, for messages.
    public var offlineVariable: String? {
        ["FERRET_OFFLINE", "HF_HUB_OFFLINE"].first { key in
            guard let value = environment[key]?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
            return ["1", "true", "yes", "on"].contains(value)
        }
    }

    /// `storeFolder/OWNER/NAME`: where Ferret keeps `id` (revision and file are not part of it). Owner and name are
    /// hub names (`RepositoryID.isName`), so the folder is always inside the store.
    public func folder(for id: RepositoryID) -> URL {
        storeFolder.appendingPathComponent(id.owner, isDirectory: true).appendingPathComponent(id.name, isDirectory: true)
    }

    /// The Hugging Face hub cache folder.
    public var hubCache: URL {
        if let cache = environment["HF_HUB_CACHE"], !cache.isEmpty { return URL(fileURLWithPath: cache) }
        if let hf = environment["HF_HOME"], !hf.isEmpty { return URL(fileURLWithPath: hf).appendingPathComponent("hub") }
        return home.appendingPathComponent(".cache/huggingface/hub")
    }

    /// The local folder (or, with `:FILE`, the file) holding `id`, or nil with the places looked at.
    public func locate(_ id: RepositoryID) -> (url: URL?, looked: [String]) {
        var looked: [String] = []
        let fm = FileManager.default
        func withFile(_ folder: URL) -> URL? {
            let target = id.file.map { folder.appendingPathComponent($0) } ?? folder
            looked.append(target.path)
            return fm.fileExists(atPath: target.path) ? target : nil
        }
        // The store keeps one revision per id: a plain id takes it; `@REVISION` only when its manifest names that
        // revision or commit (`main` for a folder without a manifest).
        let stored = folder(for: id)
        let storedRevisions = ModelManifest.read(in: stored).map { [$0.revision] + ($0.commit.map { [$0] } ?? []) } ?? ["main"]
        if id.revision.map(storedRevisions.contains) ?? true, let found = withFile(stored) {
            return (found, looked)
        }
        let repository = hubCache.appendingPathComponent(id.cacheFolderName)
        let revision = id.revision ?? "main"
        var commit = revision
        let ref = repository.appendingPathComponent("refs").appendingPathComponent(revision)
        if let data = fm.contents(atPath: ref.path), let text = String(data: data, encoding: .utf8) {
            commit = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // A commit name is a folder name: nothing that could climb out of the cache.
        guard RepositoryID.isName(commit) else { return (nil, looked) }
        if let found = withFile(repository.appendingPathComponent("snapshots").appendingPathComponent(commit)) {
            return (found, looked)
        }
        return (nil, looked)
    }
}
