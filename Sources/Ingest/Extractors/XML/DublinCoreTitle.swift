/// Collects the first `<dc:title>` of a metadata part: OOXML `docProps/core.xml`, ODF `meta.xml`.
final class DublinCoreTitle: XMLPartHandler {
    /// The title, whitespace collapsed; nil when the part has none or it is blank.
    private(set) var title: String?
    private var current: String?

    func start(_ name: String, _ attributes: XMLAttributes) -> Bool {
        if name == "title", title == nil { current = "" }
        return true
    }

    func text(_ text: String) { current? += text }

    func end(_ name: String) {
        guard name == "title", let current else { return }
        let collapsed = SectionWriter.oneLine(current)
        if !collapsed.isEmpty { title = collapsed }
        self.current = nil
    }
}

extension ZipContainer {
    /// The `dc:title` of the metadata part at `path`, if any. Metadata is optional: a damaged part is reported in
    /// `warnings` and the document is still read.
    func dublinCoreTitle(_ path: String, warnings: inout [String]) throws -> String? {
        let handler = DublinCoreTitle()
        do {
            try parseXMLIfPresent(path, into: handler)
        } catch let error as IngestError {
            guard case .malformed(_, _, let part, let detail) = error else { throw error }
            warnings.append("\(part): \(detail); the title was not read")
            return nil
        }
        return handler.title
    }
}
