import Foundation

/// What one `ferret index` run did, recorded for `ferret status`. In JSON the dates are ISO 8601 strings.
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

    enum CodingKeys: String, CodingKey {
        case started, finished, added, updated, removed, unchanged, failed, passages, tokens
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let iso = ISO8601DateFormatter()
        try container.encode(iso.string(from: started), forKey: .started)
        try container.encode(iso.string(from: finished), forKey: .finished)
        try container.encode(added, forKey: .added)
        try container.encode(updated, forKey: .updated)
        try container.encode(removed, forKey: .removed)
        try container.encode(unchanged, forKey: .unchanged)
        try container.encode(failed, forKey: .failed)
        try container.encode(passages, forKey: .passages)
        try container.encode(tokens, forKey: .tokens)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let iso = ISO8601DateFormatter()
        func date(_ key: CodingKeys) throws -> Date {
            let text = try container.decode(String.self, forKey: key)
            guard let date = iso.date(from: text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not an ISO 8601 date: \(text)")
            }
            return date
        }
        self.init(started: try date(.started), finished: try date(.finished),
                  added: try container.decode(Int.self, forKey: .added), updated: try container.decode(Int.self, forKey: .updated),
                  removed: try container.decode(Int.self, forKey: .removed),
                  unchanged: try container.decode(Int.self, forKey: .unchanged),
                  failed: try container.decode(Int.self, forKey: .failed),
                  passages: try container.decode(Int.self, forKey: .passages), tokens: try container.decode(Int.self, forKey: .tokens))
    }
}
