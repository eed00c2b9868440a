/// A passage read back from the index, with its document's path.
public struct StoredPassage: Sendable, Equatable, Codable {
    /// Stable id: never reused, never re-sequenced (AUTOINCREMENT).
    public var id: Int64
    public var path: String
    public var ordinal: Int
    public var text: String
    public var lineStart: Int
    public var lineEnd: Int
    public var byteStart: Int
    public var byteEnd: Int
    public var page: Int?
    public var title: String?
}
