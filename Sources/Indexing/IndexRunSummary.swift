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
    public var unchanged = 0
    public var failed: [Failure] = []
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

/// Progress of a run, reported after each file.
public struct IndexProgress: Sendable {
    public let done: Int
    public let total: Int
    public let path: String
    public let passages: Int
    public let elapsed: Double

    /// Files per second so far.
    public var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }
    /// Seconds left at the current rate, nil until one file is done.
    public var eta: Double? { rate > 0 ? Double(total - done) / rate : nil }
}
