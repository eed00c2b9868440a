/// One relationship of an Open Packaging Conventions part (DOCX, PPTX, XLSX): how the document finds its slides,
/// sheets, styles and notes, rather than by fixed names.
struct OPCRelationship: Equatable {
    /// `rId3`, what the source part refers to.
    let id: String
    /// A URI naming the kind; the transitional and strict schemas differ only before the last segment
    /// (`…/relationships/slide`), so kinds are matched by that segment (`isKind`).
    let type: String
    /// The part it points to, resolved to a name in the archive (`ppt/slides/slide1.xml`).
    let target: String

    /// Whether the type's last segment is `kind` (`officeDocument`, `slide`, `notesSlide`, `core-properties`).
    func isKind(_ kind: String) -> Bool { type.hasSuffix("/" + kind) }
}

extension ZipContainer {
    /// The internal relationships of `part` (`""` for the package's own `_rels/.rels`), in file order; none when the
    /// part has no relationships file. External targets (web links) are left out.
    func relationships(of part: String) throws -> [OPCRelationship] {
        let folder = ZipPath.folder(of: part)
        let name = part.dropFirst(folder.count)
        let relsPath = folder + "_rels/" + name + ".rels"
        let handler = RelationshipsHandler(folder: folder)
        try parseXMLIfPresent(relsPath, into: handler)
        return handler.relationships
    }

    /// The target of the first relationship of `part` of `kind`, if any.
    func relatedPart(of part: String, kind: String) throws -> String? {
        try relationships(of: part).first { $0.isKind(kind) }?.target
    }

    /// The package's main part (`word/document.xml`, `ppt/presentation.xml`, `xl/workbook.xml`), found through
    /// `_rels/.rels`, or `fallback` when the package does not say.
    func officeDocumentPart(fallback: String) throws -> String {
        try relatedPart(of: "", kind: "officeDocument") ?? fallback
    }
}

/// Reads a `.rels` part: `<Relationship Id="rId1" Type="…" Target="slides/slide1.xml"/>`.
private final class RelationshipsHandler: XMLPartHandler {
    let folder: String
    private(set) var relationships: [OPCRelationship] = []

    init(folder: String) { self.folder = folder }

    func start(_ name: String, _ attributes: XMLAttributes) -> Bool {
        guard name == "Relationship", attributes["TargetMode"] != "External",
              let id = attributes["Id"], let type = attributes["Type"], let target = attributes["Target"],
              let resolved = ZipPath.resolve(target, from: folder) else { return true }
        relationships.append(OPCRelationship(id: id, type: type, target: resolved))
        return true
    }
}
