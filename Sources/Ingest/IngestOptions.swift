import Foundation

/// What `FileWalker` and `TextExtractor` accept.
public struct IngestOptions: Sendable {
    /// Files larger than this are skipped with a reason (decimal: 20 MB = 20,000,000 bytes).
    public var maxFileBytes: Int = 20_000_000
    /// Follow symbolic links to files and directories. A link into a directory already walked is skipped (loops are
    /// safe either way).
    public var followSymlinks = true
    /// Walk names starting with `.` too. Ignore files (`.gitignore`, `.ferretignore`) are honoured either way.
    public var includeHidden = false
    /// Extension (lower-case, no dot) → shell-free command line whose standard output is the file's text, for
    /// formats Ferret does not read itself (`"rtf": "unrtf --text {path}"`). Wins over a built-in extractor.
    public var extractorCommands: [String: String] = [:]
    /// Paths the walk never takes, whatever the roots: the index's own files (`index.sqlite`, `-wal`, `-shm`).
    public var excludedPaths: Set<String> = []
    /// Gitignore-style patterns (relative to each root) of paths never indexed, as if in a root `.ferretignore`.
    public var exclude: [String] = []
    /// When not empty, only files matching one of these gitignore-style patterns are indexed (`*.md`, `docs/**`).
    public var include: [String] = []
    /// When set (the server), files and symbolic links whose real path lies outside these roots are skipped unread.
    public var confinement: PathConfinement?

    public init() {}
}

/// A text document found by `FileWalker`, ready for `TextExtractor`.
public struct DiscoveredFile: Sendable, Equatable {
    /// Absolute, standardized path as reached from the root (through symlinks, not resolving them).
    public let path: String
    /// Path relative to the root it was found under; the file name for a root that is itself a file.
    public let relativePath: String
    public let size: Int64
    public let modified: Date
    /// Nil for a file read by a configured extractor command.
    public let format: DocumentFormat?

    public init(path: String, relativePath: String, size: Int64, modified: Date, format: DocumentFormat?) {
        self.path = path
        self.relativePath = relativePath
        self.size = size
        self.modified = modified
        self.format = format
    }
}

/// A path the walk or the extraction did not take, and why, so nothing is dropped silently. For a skipped directory
/// (hidden, ignored, unreadable, a symlink loop) there is one entry for the directory, not one per file inside.
public struct SkippedFile: Sendable, Codable, Equatable {
    /// Why a path was skipped, for filtering: hidden and ignored paths are the user's choice, the rest are problems.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case hidden, ignored, unsupportedType, tooLarge, binary, unreadable, specialFile,
             symlinkLoop, brokenSymlink, symlinkNotFollowed, duplicate, missing, malformed, noText,
             /// A path (through a symbolic link) outside the folders the server may read (`IngestOptions.confinement`).
             outsideRoots
    }

    public let path: String
    public let reason: String
    public let kind: Kind

    public init(path: String, reason: String, kind: Kind) {
        self.path = path
        self.reason = reason
        self.kind = kind
    }

    /// The entry for a file `TextExtractor` rejected.
    public init(_ error: IngestError) {
        let kind: Kind
        switch error {
        case .binary: kind = .binary
        case .tooLarge: kind = .tooLarge
        case .unreadable: kind = .unreadable
        case .unsupportedType: kind = .unsupportedType
        case .malformed: kind = .malformed
        case .noText: kind = .noText
        case .extractorFailed: kind = .malformed
        }
        self.init(path: error.file, reason: error.reason, kind: kind)
    }

    /// Whether the user asked for this (hidden or ignored) rather than something being wrong with the file.
    public var isIntentional: Bool { kind == .hidden || kind == .ignored || kind == .symlinkNotFollowed }
}
