/// Writes the text of one `StructuredText.Section` block by block, in the conventions of `StructuredText`: a
/// heading is one `#` line, blocks are separated by a blank line, consecutive list items stay on adjacent lines and a
/// table is one block of `cell | cell` rows. Shared by the office and e-book extractors so they all read alike.
struct SectionWriter {
    private(set) var text = ""
    private var inList = false

    var isEmpty: Bool { text.isEmpty }

    /// A heading of `level` 1…6 (deeper levels are written as 6), on one line.
    mutating func heading(_ title: String, level: Int) {
        let line = Self.oneLine(title)
        guard !line.isEmpty else { return }
        startBlock()
        text += String(repeating: "#", count: min(max(level, 1), 6)) + " " + line
    }

    /// A paragraph. Its lines are trimmed and empty ones dropped, so it stays one block.
    mutating func paragraph(_ body: String) {
        let body = Self.compactLines(body)
        guard !body.isEmpty else { return }
        startBlock()
        text += body
    }

    /// A `- ` list item, on the line after the previous item when the block before was one too.
    mutating func listItem(_ body: String) {
        let body = Self.compactLines(body)
        guard !body.isEmpty else { return }
        if inList { text += "\n" } else { startBlock() }
        text += "- " + body
        inList = true
    }

    /// A table as one block of rows (see `TableText.lines`); nothing when no cell has text.
    mutating func table(_ rows: [[String]]) {
        let lines = TableText.lines(rows)
        guard !lines.isEmpty else { return }
        startBlock()
        text += lines.joined(separator: "\n")
    }

    /// The blocks of another writer, after this one's.
    mutating func append(_ other: SectionWriter) {
        guard !other.isEmpty else { return }
        startBlock()
        text += other.text
        inList = other.inList
    }

    private mutating func startBlock() {
        if !text.isEmpty { text += "\n\n" }
        inList = false
    }

    /// Whitespace runs (newlines and tabs included) as single spaces, trimmed.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Each line trimmed, empty lines dropped.
    static func compactLines(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }
}

/// Table rows as text lines: `cell | cell`.
enum TableText {
    /// One line per row that has text. Each cell on one line (whitespace collapsed); trailing empty cells dropped;
    /// leading columns that are empty in every row dropped (a sheet whose data starts in column C).
    static func lines(_ rows: [[String]]) -> [String] {
        let cleaned: [[String]] = rows.compactMap { row in
            var cells = row.map(SectionWriter.oneLine)
            while cells.last?.isEmpty == true { cells.removeLast() }
            return cells.isEmpty ? nil : cells
        }
        let leading = cleaned.map { row in row.prefix { $0.isEmpty }.count }.min() ?? 0
        return cleaned.map { $0.dropFirst(leading).joined(separator: " | ") }
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
