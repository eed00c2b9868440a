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
    /// Portable Document Format, through poppler: one section per page.
    case pdf
    /// Office Open XML (Word, PowerPoint, Excel) and OpenDocument (Writer, Impress, Calc) files.
    case docx, pptx, xlsx, odt, odp, ods
    /// EPUB e-books: chapters in spine order.
    case epub

    /// Container formats: read by a `DocumentExtractor` from their bytes, not decoded as text, and cited by location
    /// (page, slide, sheet) or heading rather than by line.
    public var isContainer: Bool {
        switch self {
        case .pdf, .docx, .pptx, .xlsx, .odt, .odp, .ods, .epub: return true
        case .plainText, .markdown, .restructuredText, .html, .json, .csv, .source: return false
        }
    }

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

    /// The name people know the format by (`PDF`, `Word`), for messages.
    public var displayName: String {
        switch self {
        case .plainText: return "text"
        case .markdown: return "Markdown"
        case .restructuredText: return "reStructuredText"
        case .html: return "HTML"
        case .json: return "JSON"
        case .csv: return "CSV"
        case .source: return "source"
        case .pdf: return "PDF"
        case .docx: return "Word (DOCX)"
        case .pptx: return "PowerPoint (PPTX)"
        case .xlsx: return "Excel (XLSX)"
        case .odt: return "OpenDocument text (ODT)"
        case .odp: return "OpenDocument presentation (ODP)"
        case .ods: return "OpenDocument spreadsheet (ODS)"
        case .epub: return "EPUB"
        }
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
            "pdf": .pdf,
            "docx": .docx, "docm": .docx, "pptx": .pptx, "pptm": .pptx, "xlsx": .xlsx, "xlsm": .xlsx,
            "odt": .odt, "odp": .odp, "ods": .ods,
            "epub": .epub,
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
    static let supportedSummary = "plain text, Markdown, reStructuredText, HTML, JSON, CSV, source files, PDF, "
        + "DOCX, PPTX, XLSX, ODT, ODP, ODS and EPUB (see `DocumentFormat`), or a command set for the extension in "
        + "ferret.toml (`[extractors]`)"
}
