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
    /// `page=3`, `slide=2`, `sheet=Q3`: where the passage is in a container format (nil for text files).
    public var location: String?
    /// The headings above the passage, outermost first (empty when the document has none).
    public var headingPath: [String] = []

    /// Whether `lineStart`/`lineEnd` are lines of the file itself, so `path:lines` is a citation. They are not for
    /// container formats (PDF, office documents, e-books), which are cited by location or heading.
    public var citesLines: Bool { location == nil && !CitationForm.isContainer(path: path) }
}

/// How a passage of a file is cited, shared by search hits, prompts and the Sources block.
public enum CitationForm {
    /// Extensions of formats whose extracted text lines are not lines of the file.
    static let containerExtensions: Set<String> = ["pdf", "docx", "docm", "pptx", "pptm", "xlsx", "xlsm", "odt", "odp",
                                                   "ods", "epub"]

    public static func isContainer(path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return containerExtensions.contains(path[path.index(after: dot)...].lowercased())
    }

    /// `notes.md:12-18`, `manual.pdf#page=3`, `deck.pptx#slide=2`, or the bare path for a container document
    /// without locations (DOCX, ODT: the heading path says where).
    public static func label(path: String, lineStart: Int, lineEnd: Int, location: String?) -> String {
        if let location { return "\(path)#\(location)" }
        if isContainer(path: path) { return path }
        return lineStart == lineEnd ? "\(path):\(lineStart)" : "\(path):\(lineStart)-\(lineEnd)"
    }
}
