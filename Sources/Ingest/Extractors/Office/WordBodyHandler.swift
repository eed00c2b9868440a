/// Reads WordprocessingML body markup: `word/document.xml` into the blocks of the document's section, or
/// `word/footnotes.xml` / `word/endnotes.xml` into the text of each note.
///
/// Text comes from `w:t` inside runs (`w:tab` → tab, `w:br`/`w:cr` → newline, `w:noBreakHyphen` → `-`). Deleted and
/// moved-away text, field instructions, property-change history and the fallback copy of `mc:AlternateContent` are
/// skipped. A paragraph is a heading when its outline level or style says so (`WordStyles`), a `- ` item when it or
/// its style has a numbering; tables become rows of cells. A footnote or endnote reference becomes `[n]` in the text
/// and the note's text follows the paragraph (or the table) as a `[n] …` paragraph.
final class WordBodyHandler: XMLPartHandler {
    enum Mode {
        /// `word/document.xml`, with the notes its references point to.
        case document(styles: WordStyles, notes: WordNotes)
        /// A notes part, collected into `notes`.
        case notes
    }

    /// Document mode: the section's text so far (`finish()` completes it).
    private(set) var writer = SectionWriter()
    /// Notes mode: the text of each note by id, in file order.
    private(set) var notes = WordNotes.Part()

    private let mode: Mode
    private var paragraphs: [Paragraph] = []
    private var tables: [Table] = []
    private var propertiesDepth = 0
    private var runDepth = 0
    private var textDepth = 0
    /// Notes mode: the note being read and the texts of its paragraphs.
    private var note: (id: String, parts: [String])?
    /// Document mode: notes referenced since the last top-level block, written after it.
    private var pendingNotes: [String] = []
    private var nextNoteLabel = 1
    private var referencedNotes: Set<WordNotes.Key> = []

    private struct Paragraph {
        var text = ""
        var styleId: String?
        var outlineLevel: Int?
        var numbered: Bool?
    }

    private struct Table {
        var rows: [[String]] = []
        var row: [String]?
        var cell: [String]?
    }

    /// Elements whose content is not part of the reading text.
    private static let skipped: Set<String> = [
        "del", "moveFrom", "delText", "delInstrText", "instrText", "pPrChange", "rPrChange", "sectPr", "sectPrChange",
        "tblPrChange", "trPrChange", "tcPrChange", "tblGridChange", "numberingChange", "Fallback", "rt",
        "footnoteRef", "endnoteRef",
    ]

    init(mode: Mode) { self.mode = mode }

    func start(_ name: String, _ attributes: XMLAttributes) -> Bool {
        if Self.skipped.contains(name) { return false }
        switch name {
        case "p": paragraphs.append(Paragraph())
        case "pPr": if !paragraphs.isEmpty { propertiesDepth += 1 }
        case "pStyle" where propertiesDepth > 0: setParagraph { $0.styleId = attributes["val"] }
        case "outlineLvl" where propertiesDepth > 0:
            setParagraph { $0.outlineLevel = attributes["val"].flatMap { Int($0) } }
        case "numId" where propertiesDepth > 0: setParagraph { $0.numbered = attributes["val"] != "0" }
        case "r": runDepth += 1
        case "t": if runDepth > 0 { textDepth += 1 }
        case "tab", "ptab": if runDepth > 0, propertiesDepth == 0 { appendText("\t") }
        case "br", "cr": if runDepth > 0 { appendText("\n") }
        case "noBreakHyphen": if runDepth > 0 { appendText("-") }
        case "footnoteReference": reference(.footnote(attributes["id"] ?? ""))
        case "endnoteReference": reference(.endnote(attributes["id"] ?? ""))
        case "tbl": tables.append(Table())
        case "tr": updateTable { $0.row = [] }
        case "tc": updateTable { $0.cell = [] }
        case "footnote", "endnote":
            guard case .notes = mode else { break }
            if let type = attributes["type"], type != "normal" { return false }  // separators
            note = (attributes["id"] ?? "", [])
        default: break
        }
        return true
    }

    func end(_ name: String) {
        switch name {
        case "p": if let paragraph = paragraphs.popLast() { finish(paragraph) }
        case "pPr": if propertiesDepth > 0 { propertiesDepth -= 1 }
        case "r": if runDepth > 0 { runDepth -= 1 }
        case "t": if textDepth > 0 { textDepth -= 1 }
        case "tc": updateTable { table in
            if let cell = table.cell { table.row?.append(cell.joined(separator: " ")) }
            table.cell = nil
        }
        case "tr": updateTable { table in
            if let row = table.row { table.rows.append(row) }
            table.row = nil
        }
        case "tbl": if let table = tables.popLast() { finish(table) }
        case "footnote", "endnote":
            if let note { notes.add(id: note.id, text: note.parts.joined(separator: " ")) }
            note = nil
        default: break
        }
    }

    func text(_ text: String) {
        if textDepth > 0 { appendText(text) }
    }

    /// Completes the section: notes still pending, then those never referenced, as `[n] text`.
    func finish() -> String {
        flushNotes()
        if case .document(_, let notes) = mode {
            for (key, text) in notes.all where !referencedNotes.contains(key) && !text.isEmpty {
                writer.paragraph("[\(nextNoteLabel)] \(text)")
                nextNoteLabel += 1
            }
        }
        return writer.text
    }

    // MARK: Blocks

    private func finish(_ paragraph: Paragraph) {
        let text = paragraph.text
        if tables.last?.cell != nil {
            updateTable { $0.cell?.append(text) }
            return
        }
        switch mode {
        case .notes:
            note?.parts.append(SectionWriter.oneLine(text))
        case .document(let styles, _):
            if let level = headingLevel(paragraph, styles) {
                writer.heading(text, level: level)
            } else if paragraph.numbered ?? paragraph.styleId.map(styles.isList) ?? false {
                writer.listItem(text)
            } else {
                writer.paragraph(text)
            }
            flushNotes()
        }
    }

    private func finish(_ table: Table) {
        if tables.last?.cell != nil {
            // A table inside a cell: its rows join the outer cell's text.
            let text = table.rows.map { $0.joined(separator: " ") }.joined(separator: " ")
            updateTable { $0.cell?.append(text) }
            return
        }
        switch mode {
        case .notes:
            note?.parts.append(contentsOf: TableText.lines(table.rows))
        case .document:
            writer.table(table.rows)
            flushNotes()
        }
    }

    private func headingLevel(_ paragraph: Paragraph, _ styles: WordStyles) -> Int? {
        if let level = paragraph.outlineLevel { return (0...8).contains(level) ? level + 1 : nil }
        return paragraph.styleId.flatMap(styles.headingLevel)
    }

    // MARK: Notes

    private func reference(_ key: WordNotes.Key) {
        guard case .document(_, let notes) = mode, !paragraphs.isEmpty else { return }
        let label = nextNoteLabel
        nextNoteLabel += 1
        appendText("[\(label)]")
        referencedNotes.insert(key)
        pendingNotes.append("[\(label)] " + (notes.text(key) ?? ""))
    }

    private func flushNotes() {
        for note in pendingNotes { writer.paragraph(note) }
        pendingNotes = []
    }

    // MARK: State

    private func appendText(_ text: String) {
        guard !paragraphs.isEmpty else { return }
        paragraphs[paragraphs.count - 1].text += text
    }

    private func setParagraph(_ change: (inout Paragraph) -> Void) {
        guard !paragraphs.isEmpty else { return }
        change(&paragraphs[paragraphs.count - 1])
    }

    private func updateTable(_ change: (inout Table) -> Void) {
        guard !tables.isEmpty else { return }
        change(&tables[tables.count - 1])
    }
}
