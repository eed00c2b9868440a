import Foundation

/// The formats Ferret extracts text from, decided by file name alone (no content sniffing beyond the binary check).
public enum DocumentFormat: String, Sendable, Codable, CaseIterable {
    case plainText
    case markdown
    case restructuredText
    case html
    case json
    case csv
    /// Program source, configuration and markup read as plain text (chunked by lines, not sentences).
    case source

    /// The format of a file, or nil when Ferret has no extractor for it.
    public init?(fileName: String) {
        if let known = Self.wellKnownNames[fileName.uppercased()] {
            self = known
            return
        }
        let dot = fileName.lastIndex(of: ".")
        guard let dot, dot != fileName.startIndex else { return nil }
        let ext = fileName[fileName.index(after: dot)...].lowercased()
        guard let format = Self.extensions[ext] else { return nil }
        self = format
    }

    /// Extension (lower-cased, no dot) → format.
    static let extensions: [String: DocumentFormat] = {
        var table: [String: DocumentFormat] = [
            "txt": .plainText, "text": .plainText,
            "md": .markdown, "markdown": .markdown,
            "rst": .restructuredText,
            "html": .html, "htm": .html,
            "json": .json,
            "csv": .csv,
        ]
        for ext in sourceExtensions { table[ext] = .source }
        return table
    }()

    static let sourceExtensions = [
        "swift", "py", "js", "ts", "tsx", "jsx", "go", "rs", "c", "h", "cc", "cpp", "hpp", "java", "kt", "rb", "php",
        "sh", "sql", "yaml", "yml", "toml", "ini", "cfg", "css", "scss", "xml", "tex", "org", "adoc",
    ]

    /// Extension-less files that are text by convention (matched ignoring case).
    static let wellKnownNames: [String: DocumentFormat] = [
        "README": .plainText, "LICENSE": .plainText, "COPYING": .plainText, "NOTICE": .plainText,
        "AUTHORS": .plainText, "CHANGELOG": .plainText, "MAKEFILE": .source, "DOCKERFILE": .source,
    ]

    /// What is supported, in a few words, for error messages.
    static let supportedSummary = "plain text, Markdown, reStructuredText, HTML, JSON, CSV and source files "
        + "(see `DocumentFormat` for the extensions)"
}
