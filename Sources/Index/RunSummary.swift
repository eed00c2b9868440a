import Foundation

/// What one `ferret index` run did, recorded for `ferret status`.
public struct RunSummary: Sendable, Equatable, Codable {
    public var started: Date
    public var finished: Date
    public var added: Int
    public var updated: Int
    public var removed: Int
    public var unchanged: Int
    public var failed: Int
    public var passages: Int
    public var tokens: Int

    public init(started: Date, finished: Date, added: Int = 0, updated: Int = 0, removed: Int = 0, unchanged: Int = 0,
                failed: Int = 0, passages: Int = 0, tokens: Int = 0) {
        self.started = started
        self.finished = finished
        self.added = added
        self.updated = updated
        self.removed = removed
        self.unchanged = unchanged
        self.failed = failed
        self.passages = passages
        self.tokens = tokens
    }
}
