/// Reads an OpenDocument `content.xml` into sections: the whole body for a text document (ODT), one `.slide(n)`
/// section per `draw:page` for a presentation (ODP), one `.sheet(name)` section per `table:table` for a spreadsheet
/// (ODS).
///
/// `text:h` is a heading of its `text:outline-level`, `text:p` a paragraph, a paragraph inside `text:list-item` a
/// `- ` item; `text:s` (with its `text:c` count), `text:tab` and `text:line-break` are the spaces, tabs and newlines
/// the markup keeps, other whitespace collapses as ODF says. Tables become rows, with repeated rows and columns
/// capped. A `text:note` becomes `[n]` in the text and its body a `[n] …` paragraph after the block. On a slide, the
/// title frame is the heading and `presentation:notes` a closing `Notes:` paragraph. Comments, tracked deletions
/// and index templates are left out.
final class ODFContentHandler: XMLPartHandler {
    private(set) var sections: [StructuredText.Section] = []
    private(set) var warnings: [String] = []

    /// Rows read per table (`SpreadsheetSheets.maxRows` for XLSX), and how often one repeated row or cell is written.
    static let maxRows = 100_000
    static let maxRepeats = 100
    /// Columns kept per row (trailing empty cells repeated to column 1024 are common).
    static let maxColumns = 1_000

    private let format: DocumentFormat
    private var writer = SectionWriter()
    private var paragraphs: [Paragraph] = []
    private var containers: [Container] = []
    private var tables: [Table] = []
    private var listItemDepth = 0
    private var noteCount = 0
    private var pendingNotes: [String] = []
    private var slide: (number: Int, title: String?, notes: [String])?

    private struct Paragraph {
        var text = ODFInlineText()
        var headingLevel: Int?
        var isListItem = false
    }

    /// Where finished paragraphs go instead of the section: a table cell, a note body, a drawing's text, the
    /// speaker notes of a slide.
    private struct Container {
        enum Kind { case cell(repeats: Int), note(label: Int), shape(isTitle: Bool), speakerNotes }
        var kind: Kind
        var parts: [String] = []
    }

    private struct Table {
        var name: String
        var isSheet: Bool
        var rows: [[String]] = []
        var row: [String]?
        var rowRepeats = 1
        var truncated = false
    }

    private static let skipped: Set<String> = [
        "annotation", "tracked-changes", "note-citation", "title", "desc", "scripts", "forms", "automatic-styles",
        "font-face-decls", "sequence-decls", "variable-decls", "user-field-decls", "shapes", "named-expressions",
        "database-ranges", "content-validations", "calculation-settings", "event-listeners",
    ]
    /// Frames that repeat on every slide rather than carry its content.
    private static let hiddenFrameClasses: Set<String> = ["page-number", "date-time", "footer", "header"]

    init(format: DocumentFormat) { self.format = format }

    func start(_ name: String, _ attributes: XMLAttributes) -> Bool {
        if Self.skipped.contains(name) || name.hasSuffix("-source") { return false }
        switch name {
        case "p", "h":
            let level = name == "h" ? min(max(attributes["outline-level"].flatMap { Int($0) } ?? 1, 1), 6) : nil
            paragraphs.append(Paragraph(headingLevel: level, isListItem: listItemDepth > 0))
        case "s":
            let count = min(max(attributes["c"].flatMap { Int($0) } ?? 1, 1), 1_000)
            appendLiteral(String(repeating: " ", count: count))
        case "tab": appendLiteral("\t")
        case "line-break": appendLiteral("\n")
        case "list-item": listItemDepth += 1
        case "note":
            noteCount += 1
            appendLiteral("[\(noteCount)]")
            containers.append(Container(kind: .note(label: noteCount)))
        case "table":
            let isSheet = format == .ods && tables.isEmpty && containers.isEmpty
            tables.append(Table(name: attributes["name"] ?? "Sheet\(sections.count + 1)", isSheet: isSheet))
        case "table-row":
            let repeats = min(max(attributes["number-rows-repeated"].flatMap { Int($0) } ?? 1, 1), Int(Int32.max))
            updateTable { $0.row = []; $0.rowRepeats = repeats }
        case "table-cell", "covered-table-cell":
            let repeats = min(max(attributes["number-columns-repeated"].flatMap { Int($0) } ?? 1, 1), Int(Int32.max))
            containers.append(Container(kind: .cell(repeats: repeats)))
        case "page":
            guard format == .odp else { break }
            slide = ((slide?.number ?? 0) + 1, nil, [])
            writer = SectionWriter()
        case "frame", "custom-shape":
            let kind = attributes["class"]
            if let kind, Self.hiddenFrameClasses.contains(kind) { return false }
            containers.append(Container(kind: .shape(isTitle: format == .odp && kind == "title")))
        case "notes":
            guard format == .odp else { return false }
            containers.append(Container(kind: .speakerNotes))
        default: break
        }
        return true
    }

    func end(_ name: String) {
        switch name {
        case "p", "h":
            guard let paragraph = paragraphs.popLast() else { return }
            finish(paragraph)
        case "list-item": if listItemDepth > 0 { listItemDepth -= 1 }
        case "note", "table-cell", "covered-table-cell", "frame", "custom-shape", "notes":
            guard let container = containers.popLast() else { return }
            finish(container)
        case "table-row":
            guard var table = tables.popLast() else { return }
            if let row = table.row, row.contains(where: { !$0.isEmpty }) {
                for _ in 0..<min(table.rowRepeats, Self.maxRepeats) {
                    guard table.rows.count < Self.maxRows else { table.truncated = true; break }
                    table.rows.append(row)
                }
            }
            table.row = nil
            tables.append(table)
        case "table":
            guard let table = tables.popLast() else { return }
            finish(table)
        case "page":
            guard format == .odp, let slide else { return }
            flushNotes()
            var page = SectionWriter()
            if let title = slide.title { page.heading(title, level: 1) }
            page.append(writer)
            if !slide.notes.isEmpty { page.paragraph("Notes: " + slide.notes.joined(separator: "\n")) }
            sections.append(.init(location: .slide(slide.number), text: page.text))
            writer = SectionWriter()
        default: break
        }
    }

    func text(_ text: String) {
        guard !paragraphs.isEmpty else { return }
        paragraphs[paragraphs.count - 1].text.appendCollapsing(text)
    }

    /// Completes the sections once the part is read: a text document's one section.
    func finish() {
        flushNotes()
        if format == .odt { sections.append(.init(location: nil, text: writer.text)) }
    }

    // MARK: Routing finished blocks

    private func finish(_ paragraph: Paragraph) {
        let text = paragraph.text.text
        guard !containers.isEmpty else {
            if let level = paragraph.headingLevel {
                writer.heading(text, level: level)
            } else if paragraph.isListItem {
                writer.listItem(text)
            } else {
                writer.paragraph(text)
            }
            flushNotes()
            return
        }
        switch containers[containers.count - 1].kind {
        case .cell, .note, .speakerNotes: addToContainer(SectionWriter.oneLine(text))
        case .shape: addToContainer((paragraph.isListItem ? "- " : "") + SectionWriter.compactLines(text))
        }
    }

    private func finish(_ container: Container) {
        let text = container.parts.filter { !$0.isEmpty }
        switch container.kind {
        case .cell(let repeats):
            updateTable { table in
                guard var row = table.row else { return }
                let cell = text.joined(separator: " ")
                let count = cell.isEmpty ? repeats : min(repeats, Self.maxRepeats)
                row.append(contentsOf: repeatElement(cell, count: max(0, min(count, Self.maxColumns - row.count))))
                table.row = row
            }
        case .note(let label):
            pendingNotes.append("[\(label)] " + SectionWriter.oneLine(text.joined(separator: " ")))
        case .shape(let isTitle):
            if isTitle, slide != nil, slide?.title == nil {
                let title = SectionWriter.oneLine(text.joined(separator: " "))
                if !title.isEmpty { slide?.title = title }
            } else if !containers.isEmpty {
                addToContainer(text.joined(separator: "\n"))
            } else {
                writer.paragraph(text.joined(separator: "\n"))
                flushNotes()
            }
        case .speakerNotes:
            slide?.notes.append(contentsOf: text)
        }
    }

    private func finish(_ table: Table) {
        if table.truncated {
            warnings.append("table \"\(table.name)\": only the first \(Self.maxRows) rows with values were read")
        }
        if table.isSheet {
            var rows = SectionWriter(), sheet = SectionWriter()
            rows.table(table.rows)
            if !rows.isEmpty {
                sheet.heading(table.name, level: 1)
                sheet.append(rows)
            }
            sections.append(.init(location: .sheet(table.name), text: sheet.text))
        } else if !containers.isEmpty {
            // Inside a drawing its rows stay lines; a cell or a note collapses them to one line when it ends.
            addToContainer(TableText.lines(table.rows).joined(separator: "\n"))
        } else {
            writer.table(table.rows)
            flushNotes()
        }
    }

    private func flushNotes() {
        for note in pendingNotes { writer.paragraph(note) }
        pendingNotes = []
    }

    // MARK: State

    private func appendLiteral(_ text: String) {
        guard !paragraphs.isEmpty else { return }
        paragraphs[paragraphs.count - 1].text.appendLiteral(text)
    }

    private func addToContainer(_ text: String) {
        guard !containers.isEmpty else { return }
        containers[containers.count - 1].parts.append(text)
    }

    private func updateTable(_ change: (inout Table) -> Void) {
        guard !tables.isEmpty else { return }
        change(&tables[tables.count - 1])
    }
}

/// The text of one ODF paragraph. Character data collapses as ODF specifies (a run of spaces, tabs and newlines is
/// one space, none at the start or right after other white space), while the spaces, tabs and line breaks the
/// markup spells out (`text:s`, `text:tab`, `text:line-break`) are kept as they are.
struct ODFInlineText {
    private(set) var text = ""
    private var pendingSpace = false

    mutating func appendCollapsing(_ characters: String) {
        for character in characters {
            if character == " " || character == "\t" || character == "\n" || character == "\r" || character == "\r\n" {
                pendingSpace = text.last.map { !$0.isWhitespace } ?? false
            } else {
                if pendingSpace { text.append(" ") }
                pendingSpace = false
                text.append(character)
            }
        }
    }

    mutating func appendLiteral(_ literal: String) {
        if pendingSpace { text.append(" ") }
        pendingSpace = false
        text += literal
    }
}
