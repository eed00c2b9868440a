/// A Word document (DOCX): the main part's body as one section, headings from paragraph styles, footnotes and
/// endnotes after the paragraphs that cite them. Headers, footers and comments are left out.
enum WordDocument {
    static func extract(_ zip: ZipContainer, title: String?, warnings: [String]) throws -> StructuredText {
        let document = try zip.officeDocumentPart(fallback: "word/document.xml")
        let relationships = try zip.relationships(of: document)
        let stylesPart = relationships.first { $0.isKind("styles") }?.target
            ?? ZipPath.folder(of: document) + "styles.xml"
        let styles = try WordStyles.read(zip, part: stylesPart)
        let notes = try WordNotes.read(zip, document: document, relationships: relationships)
        let handler = WordBodyHandler(mode: .document(styles: styles, notes: notes))
        try zip.parseXML(document, into: handler)
        return StructuredText(title: title, sections: [.init(location: nil, text: handler.finish())],
                              warnings: warnings)
    }
}
