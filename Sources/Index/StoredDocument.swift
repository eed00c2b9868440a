import Foundation

/// What the index remembers about a document: enough to decide whether a file changed since it was indexed.
public struct StoredDocument: Sendable, Equatable, Codable {
    public var id: Int64
    public var path: String
    public var contentHash: String
    public var size: Int64
    public var modified: Date
    public var language: String?
    public var title: String?
    public var passageCount: Int
    /// The extractor identity recorded when the document was indexed (nil for indexes made before it was kept).
    public var extractor: String?
}
