import Foundation

/// What an extractor of a container format (PDF, office documents, e-books) produces: the document's text as
/// Markdown-like sections, each with its location. `assemble` turns it into the one `ExtractedText` the chunker reads.
///
/// The text of a section uses the conventions the chunker understands:
/// - a heading is one line `#`…`######` + space + title (level 1 = a document or chapter title);
/// - paragraphs are separated by a blank line; a paragraph has no blank line inside (newlines inside one are fine);
/// - a table row is one line, cells separated by ` | ` (a table is a paragraph of rows);
/// - list items are lines starting with `- `;
/// - footnotes and speaker notes are ordinary paragraphs placed where the reader meets them (after the paragraph or at
///   the end of the slide/chapter), introduced by a short label such as `[1]` or `Notes:`.
public struct StructuredText: Sendable, Equatable {
    public struct Section: Sendable, Equatable {
        /// Where this section is (a page, a slide, a sheet), or nil for documents without such units (DOCX, ODT).
        public var location: DocumentLocation?
        public var text: String

        public init(location: DocumentLocation?, text: String) {
            self.location = location
            self.text = text
        }
    }

    /// The document's own title (document properties, `<dc:title>`), when it has one.
    public var title: String?
    /// In reading order. Empty sections are allowed (a blank page) and produce no passages.
    public var sections: [Section]
    /// Things the user should know that did not stop extraction, each a sentence without the file name
    /// (e.g. "3 of 120 pages have no text layer").
    public var warnings: [String]

    public init(title: String? = nil, sections: [Section], warnings: [String] = []) {
        self.title = title
        self.sections = sections
        self.warnings = warnings
    }

    /// Whether the document holds any text other than whitespace.
    public var isBlank: Bool { sections.allSatisfy { $0.text.allSatisfy(\.isWhitespace) } }
}

extension StructuredText {
    /// The sections joined into one text (a blank line between sections), with the line range of each section, for
    /// the chunker. `contentHash` is of the file's raw bytes.
    public func assemble(format: DocumentFormat, contentHash: String, extractor: String) -> ExtractedText {
        var text = ""
        var located: [ExtractedText.LocatedLines] = []
        var line = 1
        for section in sections {
            let body = Self.normalized(section.text)
            guard !body.isEmpty else { continue }
            if !text.isEmpty {
                text += "\n\n"
                line += 2
            }
            let lineCount = body.utf8.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            located.append(.init(lines: line...(line + lineCount - 1), location: section.location))
            text += body
            line += lineCount - 1
        }
        let title = title.flatMap { $0.isEmpty ? nil : $0 }
            ?? text.split(separator: "\n").first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)) }
        return ExtractedText(text: text, title: title, language: LanguageGuess.guess(text), contentHash: contentHash,
                             format: format, warnings: warnings, sections: located, extractor: extractor)
    }

    /// Line endings as `\n`, no trailing whitespace on lines, no leading or trailing blank lines, at most one blank
    /// line in a row.
    static func normalized(_ text: String) -> String {
        var lines: [Substring] = []
        var blank = true
        let unified = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for raw in unified.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = raw
            while let last = line.last, last.isWhitespace { line = line.dropLast() }
            if line.isEmpty {
                if !blank { lines.append("") }
                blank = true
            } else {
                lines.append(line)
                blank = false
            }
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
