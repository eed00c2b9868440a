import Foundation

/// One source file as the indexer saw it. `path` is the document's identity: re-indexing a path replaces it.
public struct DocumentInput: Sendable, Equatable {
    public var path: String
    /// Digest of the file's bytes; equal hash ⇒ the document need not be re-indexed.
    public var contentHash: String
    public var size: Int64
    public var modified: Date
    /// BCP 47 tag when known (`en`, `zh`…).
    public var language: String?
    public var title: String?
    /// The extractor and its version (`text/1`, `pdf/2`), so a newer extractor re-extracts the document.
    public var extractor: String?

    public init(path: String, contentHash: String, size: Int64, modified: Date, language: String? = nil,
                title: String? = nil, extractor: String? = nil) {
        self.extractor = extractor
        self.path = path
        self.contentHash = contentHash
        self.size = size
        self.modified = modified
        self.language = language
        self.title = title
    }
}
