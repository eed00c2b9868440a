import Foundation

/// What one `ferret index` run did, printed at the end and recorded in the index.
public struct IndexRunSummary: Sendable, Codable, Equatable {
    public struct Failure: Sendable, Codable, Equatable {
        public let path: String
        public let reason: String
    }

    public var added = 0
    public var updated = 0
    public var removed = 0
    /// The documents removed because their files are gone (or now ignored).
    public var removedPaths: [String] = []
    public var unchanged = 0
    /// Real read or extraction errors: the file should have been indexed and could not be.
    public var failed: [Failure] = []
    /// Files not indexed for a reason that is not an error (binary, unsupported type, too large, a symlink loop, an
    /// encrypted PDF…), with their kind for grouping.
    public var skipped: [Skipped] = []
    /// Files the walk passed over on purpose (hidden, ignored) are not failures; this counts them.
    public var skippedIntentionally = 0
    public var passages = 0
    public var tokens = 0
    public var seconds = 0.0
    /// True when the run stopped early (Ctrl-C); what was written is consistent and the next run continues.
    public var interrupted = false
    /// True when no encoder was given: passages are searchable by BM25 only.
    public var lexicalOnly = false

    public init() {}
}

extension IndexRunSummary {
    public struct Skipped: Sendable, Codable, Equatable {
        public let path: String
        public let reason: String
        /// `SkippedFile.Kind` raw value: `binary`, `unsupportedType`, `symlinkLoop`…
        public let kind: String
    }

    /// Skip counts by kind, largest first (ties by name).
    public var skipCounts: [(kind: String, count: Int)] {
        Dictionary(grouping: skipped, by: \.kind).map { ($0.key, $0.value.count) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }
}

/// Progress of a run, reported after each file.
public struct IndexProgress: Sendable {
    public let done: Int
    public let total: Int
    public let path: String
    public let passages: Int
    public let elapsed: Double
    /// `added`, `updated`, `unchanged`, `skipped` or `failed`.
    public let outcome: String
    /// The absolute path (`path` is relative to its root).
    public let fullPath: String

    /// Files per second so far.
    public var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }
    /// Seconds left at the current rate, nil until one file is done.
    public var eta: Double? { rate > 0 ? Double(total - done) / rate : nil }
}
