/// Office Open XML: Word (DOCX), PowerPoint (PPTX) and Excel (XLSX) files, read natively from their ZIP container
/// (`ZipContainer`) and XML parts (`XMLPart`). The main part is found through the package relationships; the title
/// comes from `docProps/core.xml`. See `WordDocument`, `PresentationSlides` and `SpreadsheetSheets` for what each
/// format yields.
///
/// A password-protected file is not a ZIP at all but an OLE compound file holding an `EncryptedPackage`: it is a
/// skip (`IngestError.noText`), not a failure.
enum OOXMLExtractor: DocumentExtractor {
    static let name = "ooxml", version = 1

    static func extract(bytes: [UInt8], format: DocumentFormat, path: String) throws -> StructuredText {
        if OLECompoundFile.hasSignature(bytes) {
            let reason = OLECompoundFile.hasEncryptedPackage(bytes)
                ? "password-protected \(format.displayName) file; remove the password to index it"
                : "password-protected or legacy Office 97–2003 file (an OLE compound file, not a ZIP archive); "
                    + "remove the password, or save it in the current format, to index it"
            throw IngestError.noText(file: path, reason: reason)
        }
        let zip = try ZipContainer(bytes: bytes, file: path, format: format)
        var warnings: [String] = []
        let corePart = try zip.relatedPart(of: "", kind: "core-properties") ?? "docProps/core.xml"
        let title = try zip.dublinCoreTitle(corePart, warnings: &warnings)
        switch format {
        case .docx: return try WordDocument.extract(zip, title: title, warnings: warnings)
        case .pptx: return try PresentationSlides.extract(zip, title: title, warnings: warnings)
        case .xlsx: return try SpreadsheetSheets.extract(zip, title: title, warnings: warnings)
        default:
            throw IngestError.unsupportedType(file: path,
                                              detail: "\(format.displayName) (not an Office Open XML format)")
        }
    }
}
