/// An Excel workbook (XLSX): one section per worksheet in workbook order, located `.sheet(name)`, holding a
/// `# Name` heading and each row that has a value as `a | b | c` (shared and inline strings, numbers as written in
/// the file, booleans as TRUE/FALSE). Chart sheets have no cells and are left out; an empty sheet gives an empty
/// section, so an empty workbook has no text.
enum SpreadsheetSheets {
    /// Rows read per sheet; the rest are reported in a warning.
    static let maxRows = 100_000

    static func extract(_ zip: ZipContainer, title: String?, warnings: [String]) throws -> StructuredText {
        var warnings = warnings
        let workbook = try zip.officeDocumentPart(fallback: "xl/workbook.xml")
        let sheets = WorkbookHandler()
        try zip.parseXML(workbook, into: sheets)
        let relationships = try zip.relationships(of: workbook)
        let sharedStringsPart = relationships.first { $0.isKind("sharedStrings") }?.target
            ?? ZipPath.folder(of: workbook) + "sharedStrings.xml"
        let strings = SharedStringsHandler()
        try zip.parseXMLIfPresent(sharedStringsPart, into: strings)

        var sections: [StructuredText.Section] = []
        for sheet in sheets.sheets {
            guard let relationship = relationships.first(where: { $0.id == sheet.relationshipId }) else {
                throw zip.malformed(workbook, "sheet \"\(sheet.name)\" refers to relationship "
                    + "\(sheet.relationshipId), which is missing")
            }
            guard relationship.isKind("worksheet") else { continue }
            let cells = WorksheetHandler(sharedStrings: strings.strings, maxRows: maxRows)
            try zip.parseXML(relationship.target, into: cells)
            if cells.truncated {
                warnings.append("sheet \"\(sheet.name)\": only the first \(maxRows) rows with values were read")
            }
            if cells.badStringIndexes > 0 {
                warnings.append("sheet \"\(sheet.name)\": \(cells.badStringIndexes) cells refer to missing shared "
                    + "strings and were read as empty")
            }
            var table = SectionWriter(), writer = SectionWriter()
            table.table(cells.rows)
            if !table.isEmpty {
                writer.heading(sheet.name, level: 1)
                writer.append(table)
            }
            sections.append(.init(location: .sheet(sheet.name), text: writer.text))
        }
        return StructuredText(title: title, sections: sections, warnings: warnings)
    }
}

/// `xl/workbook.xml`: `<sheet name="Q3" sheetId="3" r:id="rId3"/>` in workbook order.
private final class WorkbookHandler: XMLPartHandler {
    private(set) var sheets: [(name: String, relationshipId: String)] = []

    func start(_ name: String, _ attributes: XMLAttributes) -> Bool {
        switch name {
        case "sheet":
            if let id = attributes["id"] { sheets.append((attributes["name"] ?? "Sheet\(sheets.count + 1)", id)) }
        case "definedNames", "extLst", "externalReferences", "pivotCaches": return false
        default: break
        }
        return true
    }
}
