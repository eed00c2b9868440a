import Foundation

/// What Ferret recorded when it installed a model into its store (`ferret models pull` or `import`):
/// where it came from and the digest of every file, so `ferret models verify` can re-hash against them later.
/// Kept as `.ferret-model.json` inside the model's folder.
public struct ModelManifest: Codable, Sendable, Equatable {
    public static let fileName = ".ferret-model.json"

    public struct File: Codable, Sendable, Equatable {
        /// Relative to the model folder (`1_Dense/model.safetensors`).
        public var path: String
        public var size: Int64
        /// LFS files: the SHA-256 the Hub published (or, for an import, the one computed then).
        public var sha256: String?
        /// Files kept in git rather than LFS: the git blob id (SHA-1 of `blob <size>\0` + bytes).
        public var gitBlobID: String?

        public init(path: String, size: Int64, sha256: String? = nil, gitBlobID: String? = nil) {
            self.path = path
            self.size = size
            self.sha256 = sha256
            self.gitBlobID = gitBlobID
        }
    }

    /// `OWNER/NAME`.
    public var id: String
    /// The revision asked for (`main`, a tag, a commit).
    public var revision: String
    /// The commit that revision resolved to (the Hub's `X-Repo-Commit` / `sha`); nil for an import from a plain folder.
    public var commit: String?
    /// `pull` (with the endpoint) or `import` (with the path it came from).
    public var source: String
    public var origin: String
    public var installed: Date
    public var files: [File]

    public init(id: String, revision: String, commit: String?, source: String, origin: String, installed: Date = Date(),
                files: [File]) {
        self.id = id
        self.revision = revision
        self.commit = commit
        self.source = source
        self.origin = origin
        self.installed = installed
        self.files = files
    }

    /// The manifest in `folder`, or nil when there is none (a model not installed by Ferret) or it cannot be read.
    public static func read(in folder: URL) -> ModelManifest? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(fileName).path) else {
            return nil
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(ModelManifest.self, from: data)
    }

    /// Writes the manifest into `folder` (atomically: a reader sees the old one or the new one).
    public func write(in folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: folder.appendingPathComponent(Self.fileName), options: .atomic)
    }
}
