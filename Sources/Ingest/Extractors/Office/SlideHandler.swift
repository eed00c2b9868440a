/// Reads one PresentationML slide (`ppt/slides/slideN.xml`) or notes slide: the title placeholder's text, then every
/// other text box as a paragraph of its lines (`a:p`, explicit bullets as `- `) and every table as rows, in the order
/// of the shape tree. Slide numbers, dates and footers are left out; on a notes slide only the notes body is read.
final class SlideHandler: XMLPartHandler {
    /// The first title or centered-title placeholder's text, on one line.
    private(set) var title: String?
    /// The slide's blocks, in shape-tree order.
    private(set) var blocks: [Block] = []

    enum Block: Equatable {
        /// A text box: its paragraphs, one line each.
        case lines([String])
        case table([[String]])
    }

    private enum Role { case title, body, other, hidden }

    /// A notes slide: only the body placeholder (the notes text) is kept.
    private let notesOnly: Bool
    private var shape: (role: Role, lines: [String])?
    private var paragraph: (text: String, bullet: Bool)?
    private var textDepth = 0
    private var table: (rows: [[String]], row: [String]?, cell: [String]?)?

    init(notesOnly: Bool = false) { self.notesOnly = notesOnly }

    func start(_ name: String, _ attributes: XMLAttributes) -> Bool {
        switch name {
        case "Fallback": return false
        case "sp": shape = (notesOnly ? .other : .body, [])
        case "ph": shape?.role = Self.role(ofPlaceholder: attributes["type"], notesOnly: notesOnly)
        case "p": paragraph = ("", false)
        case "buChar", "buAutoNum", "buBlip": paragraph?.bullet = true
        case "buNone": paragraph?.bullet = false
        case "t": textDepth += 1
        case "br": paragraph?.text += "\n"
        case "tbl": table = ([], nil, nil)
        case "tr": table?.row = []
        case "tc": table?.cell = []
        default: break
        }
        return true
    }

    func end(_ name: String) {
        switch name {
        case "t": if textDepth > 0 { textDepth -= 1 }
        case "p":
            guard let paragraph else { return }
            self.paragraph = nil
            if table?.cell != nil {
                table?.cell?.append(paragraph.text)
            } else if shape != nil {
                let line = SectionWriter.compactLines(paragraph.text)
                if !line.isEmpty { shape?.lines.append(paragraph.bullet ? "- " + line : line) }
            }
        case "tc":
            if let cell = table?.cell { table?.row?.append(cell.joined(separator: " ")) }
            table?.cell = nil
        case "tr":
            if let row = table?.row { table?.rows.append(row) }
            table?.row = nil
        case "tbl":
            if let table, !notesOnly { blocks.append(.table(table.rows)) }
            table = nil
        case "sp":
            guard let shape else { return }
            self.shape = nil
            switch shape.role {
            case .title where title == nil:
                let text = SectionWriter.oneLine(shape.lines.joined(separator: " "))
                if !text.isEmpty { title = text }
            case .title, .body:
                if !shape.lines.isEmpty { blocks.append(.lines(shape.lines)) }
            case .other where !notesOnly:
                if !shape.lines.isEmpty { blocks.append(.lines(shape.lines)) }
            case .other, .hidden:
                break
            }
        default: break
        }
    }

    func text(_ text: String) {
        if textDepth > 0 { paragraph?.text += text }
    }

    /// The text of the blocks, text boxes as paragraphs of lines: what a notes slide contributes.
    var bodyText: String {
        blocks.map { block in
            switch block {
            case .lines(let lines): return lines.joined(separator: "\n")
            case .table(let rows): return TableText.lines(rows).joined(separator: "\n")
            }
        }.joined(separator: "\n")
    }

    private static func role(ofPlaceholder type: String?, notesOnly: Bool) -> Role {
        switch type {
        case "title", "ctrTitle": return notesOnly ? .hidden : .title
        case "sldNum", "dt", "ftr", "hdr", "sldImg": return .hidden
        case "body": return .body
        default: return notesOnly ? .hidden : .body
        }
    }
}
