import Digests
import Foundation

/// `ferret models import`: a model folder or GGUF file brought onto an air-gapped machine, checked, then installed
/// into Ferret's store under a repository id so every command finds it by that id. Copies go to a staging folder
/// inside the store and are renamed into place only when complete: a reader sees no model or a whole one, never half.
public struct ModelImport: Sendable {
    public enum Mode: String, Sendable, Codable {
        /// Copy the files into the store (the source can then go).
        case copy
        /// Link each file from the store to the source (no second copy; the source must stay).
        case link
    }

    /// What was installed.
    public struct Result: Sendable, Codable, Equatable {
        public var id: String
        public var folder: String
        public var role: InstalledModel.Role
        public var files: Int
        public var bytes: Int64
        public var mode: Mode
        public var replaced: Bool
    }

    public var source: URL
    /// Nil: `defaultID(for:)`.
    public var id: RepositoryID?
    public var mode: Mode = .copy
    /// Replace a model already installed under the id.
    public var force = false

    public init(source: URL, id: RepositoryID? = nil, mode: Mode = .copy, force: Bool = false) {
        self.source = source.standardizedFileURL
        self.id = id
        self.mode = mode
        self.force = force
    }

    /// The id an import gets without `--as`: `OWNER/NAME` for anything inside a Hugging Face cache repository
    /// (`…/models--OWNER--NAME/snapshots/<commit>/…`), else `local/<folder or file name>` (a GGUF file's name
    /// without `.gguf`), with characters a hub name cannot hold replaced by `-`. Nil when no valid name is left.
    public static func defaultID(for source: URL) -> RepositoryID? {
        for component in source.standardizedFileURL.pathComponents.reversed() where component.hasPrefix("models--") {
            let parts = component.dropFirst("models--".count).components(separatedBy: "--")
            if parts.count == 2 { return RepositoryID("\(parts[0])/\(parts[1])") }
        }
        let base = source.pathExtension.lowercased() == "gguf" ? source.deletingPathExtension() : source
        var name = String(base.standardizedFileURL.lastPathComponent.map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || "-_.".contains(character)) ? character : "-"
        })
        while let first = name.first, first == "." || first == "-" { name.removeFirst() }
        return RepositoryID("local/\(name)")
    }

    /// The commit of a Hugging Face snapshot path (`…/snapshots/<commit>/…`), recorded in the manifest.
    static func snapshotCommit(of source: URL) -> String? {
        let components = source.standardizedFileURL.pathComponents
        guard let index = components.lastIndex(of: "snapshots"), index + 1 < components.count else { return nil }
        return components[index + 1]
    }

    /// Validates the source, stages it, writes its manifest (SHA-256 of every file) and renames it into
    /// `storeFolder/OWNER/NAME`. Nothing is left in the store when any step fails.
    public func run(in store: ModelStore) throws -> Result {
        guard let id = id ?? Self.defaultID(for: source) else {
            throw ModelFilesError.importRefused(path: source.path, reason: "no repository id can be made from its name; pass --as OWNER/NAME")
        }
        guard id.revision == nil, id.file == nil else {
            throw ModelFilesError.importRefused(path: source.path, reason: "--as takes OWNER/NAME, without @REVISION or :FILE")
        }
        let target = store.folder(for: id)
        let model = try ImportValidation.validate(source, id: id.repository)
        let targetPath = target.standardizedFileURL.path, sourcePath = source.resolvingSymlinksInPath().path
        if sourcePath == targetPath || sourcePath.hasPrefix(targetPath + "/") {
            throw ModelFilesError.importRefused(path: source.path, reason: "it is already \(id.repository) in the store")
        }
        let exists = Self.itemExists(target)
        if exists && !force { throw ModelFilesError.alreadyInstalled(id: id.repository, folder: target.path) }

        let fm = FileManager.default
        let staging = store.storeFolder.appendingPathComponent(".staging-" + UUID().uuidString, isDirectory: true)
        var installed = false
        defer { if !installed { try? fm.removeItem(at: staging) } }
        let files = try store.guarded(staging) {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            return try stage(into: staging)
        }
        try store.guarded(staging) {
            try ModelManifest(id: id.repository, revision: "main", commit: Self.snapshotCommit(of: source), source: "import",
                              origin: source.path, files: files).write(in: staging)
        }
        try store.guarded(target) {
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if exists {
                // The old model steps aside under a dot name (never listed), the new one takes its place, then the old
                // one goes: at no point does the id name a partial folder.
                let old = store.storeFolder.appendingPathComponent(".removing-" + UUID().uuidString)
                try fm.moveItem(at: target, to: old)
                try fm.moveItem(at: staging, to: target)
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: staging, to: target)
            }
        }
        installed = true
        return Result(id: id.repository, folder: target.path, role: model.role, files: files.count,
                      bytes: files.reduce(0) { $0 + $1.size }, mode: mode, replaced: exists)
    }

    /// Copies (hashing as it reads) or links each file of the source into `staging`; returns the manifest entries.
    private func stage(into staging: URL) throws -> [ModelManifest.File] {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory)
        let relatives = isDirectory.boolValue ? ImportValidation.files(in: source) : [source.lastPathComponent]
        let root = isDirectory.boolValue ? source : source.deletingLastPathComponent()
        return try relatives.map { relative in
            let from = root.appendingPathComponent(relative), to = staging.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            switch mode {
            case .copy:
                let (size, sha256) = try Self.copy(from, to: to)
                return ModelManifest.File(path: relative, size: size, sha256: sha256)
            case .link:
                try FileManager.default.createSymbolicLink(atPath: to.path, withDestinationPath: from.path)
                let size = (try FileManager.default.attributesOfItem(atPath: from.resolvingSymlinksInPath().path)[.size] as? NSNumber)?.int64Value ?? 0
                return ModelManifest.File(path: relative, size: size, sha256: try Digest.sha256(ofFile: from))
            }
        }
    }

    /// Copies `source` to `destination` in 4 MiB pieces, hashing the bytes as they pass: one read of a
    /// multi-gigabyte file instead of two.
    static func copy(_ source: URL, to destination: URL) throws -> (size: Int64, sha256: String) {
        let input = try FileHandle(forReadingFrom: source)
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: destination.path, contents: nil) else {
            throw ModelFilesError.storeFailure(path: destination.path, detail: "cannot create the file (is the store writable?)")
        }
        let output = try FileHandle(forWritingTo: destination)
        defer { try? output.close() }
        var digest = Digest(.sha256)
        var size: Int64 = 0
        while let piece = try input.read(upToCount: 4 << 20), !piece.isEmpty {
            try output.write(contentsOf: piece)
            digest.update(piece)
            size += Int64(piece.count)
        }
        try output.synchronize()
        return (size, digest.hex())
    }

    /// True for a folder, a file or a link (even one whose target is gone).
    static func itemExists(_ url: URL) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: url.path)) != nil
    }
}

extension ModelStore {
    /// Runs `body`, turning Foundation's file errors into `storeFailure` naming `path`.
    func guarded<T>(_ path: URL, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ModelFilesError {
            throw error
        } catch {
            throw ModelFilesError.storeFailure(path: path.path, detail: error.localizedDescription)
        }
    }
}
