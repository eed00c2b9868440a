/// Reads the cells of one worksheet (`xl/worksheets/sheetN.xml`) into rows of text. A cell's column comes from its
/// reference (`C7`), so gaps stay aligned; rows without a value are dropped. Formulas are not read, their cached
/// values are.
final class WorksheetHandler: XMLPartHandler {
    /// Rows with at least one value, cells by column from A.
    private(set) var rows: [[String]] = []
    /// Whether reading stopped at `maxRows`.
    private(set) var truncated = false
    /// Cells of type `s` whose index is not in the shared strings.
    private(set) var badStringIndexes = 0

    /// Columns kept per row: a cell further right (Excel allows 16,384 columns) is placed after the last one kept
    /// rather than after thousands of empty cells.
    static let maxColumns = 1_000

    private let sharedStrings: [String]
    private let maxRows: Int
    private var row: [String]?
    private var cell: (column: Int, type: String?, value: String, inline: String)?
    private var inValue = false
    private var inlineDepth = 0
    private var textDepth = 0

    init(sharedStrings: [String], maxRows: Int) {
        self.sharedStrings = sharedStrings
        self.maxRows = maxRows
    }

    func start(_ name: String, _ attributes: XMLAttributes) -> Bool {
        switch name {
        case "row": row = []
        case "c":
            let column = attributes["r"].flatMap(Self.column(ofReference:)) ?? row?.count ?? 0
            cell = (column, attributes["t"], "", "")
        case "v": inValue = true
        case "is": inlineDepth += 1
        case "t": if inlineDepth > 0 { textDepth += 1 }
        case "f", "rPh", "extLst", "mergeCells", "conditionalFormatting", "dataValidations", "hyperlinks": return false
        default: break
        }
        return true
    }

    func end(_ name: String) throws {
        switch name {
        case "v": inValue = false
        case "is": if inlineDepth > 0 { inlineDepth -= 1 }
        case "t": if textDepth > 0 { textDepth -= 1 }
        case "c":
            guard let cell, row != nil else { return }
            self.cell = nil
            place(value(of: cell), at: cell.column)
        case "row":
            guard let row else { return }
            self.row = nil
            guard row.contains(where: { !$0.allSatisfy(\.isWhitespace) }) else { return }
            rows.append(row)
            if rows.count >= maxRows {
                truncated = true
                throw XMLPartFinished()
            }
        default: break
        }
    }

    func text(_ text: String) {
        if inValue { cell?.value += text } else if textDepth > 0 { cell?.inline += text }
    }

    private func value(of cell: (column: Int, type: String?, value: String, inline: String)) -> String {
        switch cell.type {
        case "s":
            guard let index = Int(cell.value.trimmingWhitespace()), sharedStrings.indices.contains(index) else {
                if !cell.value.isEmpty { badStringIndexes += 1 }
                return ""
            }
            return sharedStrings[index]
        case "b": return cell.value.trimmingWhitespace() == "1" ? "TRUE" : "FALSE"
        case "inlineStr": return cell.inline
        default: return cell.value
        }
    }

    private func place(_ value: String, at column: Int) {
        guard var row else { return }
        if column >= row.count, column < Self.maxColumns {
            row.append(contentsOf: repeatElement("", count: column - row.count))
            row.append(value)
        } else if column < row.count {
            row[column] = value
        } else {
            row.append(value)
        }
        self.row = row
    }

    /// The 0-based column of a cell reference: `A1` → 0, `AB12` → 27; nil when it does not start with 1–3 letters.
    static func column(ofReference reference: String) -> Int? {
        var column = 0, letters = 0
        for scalar in reference.unicodeScalars {
            let value = Int(scalar.value)
            switch value {
            case 0x41...0x5A: column = column * 26 + (value - 0x40)
            case 0x61...0x7A: column = column * 26 + (value - 0x60)
            default:
                guard letters > 0 else { return nil }
                return column - 1
            }
            letters += 1
            if letters > 3 { return nil }
        }
        return letters > 0 ? column - 1 : nil
    }
}

/// `xl/sharedStrings.xml`: the text of each `<si>`, plain (`<t>`) or rich text runs (`<r><t>`), without the
/// phonetic readings (`<rPh>`).
final class SharedStringsHandler: XMLPartHandler {
    private(set) var strings: [String] = []
    private var current: String?
    private var textDepth = 0

    func start(_ name: String, _ attributes: XMLAttributes) -> Bool {
        switch name {
        case "si": current = ""
        case "t": if current != nil { textDepth += 1 }
        case "rPh", "phoneticPr", "extLst": return false
        default: break
        }
        return true
    }

    func end(_ name: String) {
        switch name {
        case "t": if textDepth > 0 { textDepth -= 1 }
        case "si":
            strings.append(current ?? "")
            current = nil
        default: break
        }
    }

    func text(_ text: String) {
        if textDepth > 0 { current? += text }
    }
}
