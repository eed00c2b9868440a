/// A PowerPoint presentation (PPTX): one section per slide in presentation order (`p:sldIdLst`), located
/// `.slide(n)`; the title placeholder as a `# ` heading, text boxes as paragraphs, tables as rows, and the speaker
/// notes as a closing `Notes:` paragraph.
enum PresentationSlides {
    static func extract(_ zip: ZipContainer, title: String?, warnings: [String]) throws -> StructuredText {
        let presentation = try zip.officeDocumentPart(fallback: "ppt/presentation.xml")
        let order = SlideListHandler()
        try zip.parseXML(presentation, into: order)
        let relationships = try zip.relationships(of: presentation)
        var sections: [StructuredText.Section] = []
        for (index, id) in order.slideIds.enumerated() {
            guard let slide = relationships.first(where: { $0.id == id && $0.isKind("slide") })?.target else {
                throw zip.malformed(presentation, "slide \(index + 1) refers to relationship \(id), which is missing")
            }
            sections.append(.init(location: .slide(index + 1), text: try text(ofSlide: slide, in: zip)))
        }
        return StructuredText(title: title, sections: sections, warnings: warnings)
    }

    private static func text(ofSlide slide: String, in zip: ZipContainer) throws -> String {
        let handler = SlideHandler()
        try zip.parseXML(slide, into: handler)
        var writer = SectionWriter()
        if let title = handler.title { writer.heading(title, level: 1) }
        for block in handler.blocks {
            switch block {
            case .lines(let lines): writer.paragraph(lines.joined(separator: "\n"))
            case .table(let rows): writer.table(rows)
            }
        }
        if let notesPart = try zip.relatedPart(of: slide, kind: "notesSlide") {
            let notes = SlideHandler(notesOnly: true)
            if try zip.parseXMLIfPresent(notesPart, into: notes), !notes.bodyText.isEmpty {
                writer.paragraph("Notes: " + notes.bodyText)
            }
        }
        return writer.text
    }
}

/// The relationship ids of `p:sldIdLst/p:sldId`, in presentation order.
private final class SlideListHandler: XMLPartHandler {
    private(set) var slideIds: [String] = []

    func start(_ name: String, _ attributes: XMLAttributes) -> Bool {
        switch name {
        case "sldId": if let id = attributes["id"] { slideIds.append(id) }
        case "sldMasterIdLst", "notesMasterIdLst", "handoutMasterIdLst", "extLst", "custShowLst": return false
        default: break
        }
        return true
    }
}
