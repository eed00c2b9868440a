/// The footnotes and endnotes of a Word document, by id, read before the body so each can follow the paragraph
/// that refers to it.
struct WordNotes {
    enum Key: Hashable {
        case footnote(String)
        case endnote(String)
    }

    /// The notes of one part (`word/footnotes.xml` or `word/endnotes.xml`), in file order.
    struct Part {
        private(set) var ids: [String] = []
        private(set) var texts: [String: String] = [:]

        mutating func add(id: String, text: String) {
            if texts[id] == nil { ids.append(id) }
            texts[id] = text
        }
    }

    var footnotes = Part()
    var endnotes = Part()

    func text(_ key: Key) -> String? {
        switch key {
        case .footnote(let id): return footnotes.texts[id]
        case .endnote(let id): return endnotes.texts[id]
        }
    }

    /// Every note, footnotes first, each part in file order.
    var all: [(Key, String)] {
        footnotes.ids.map { (Key.footnote($0), footnotes.texts[$0] ?? "") }
            + endnotes.ids.map { (Key.endnote($0), endnotes.texts[$0] ?? "") }
    }

    /// Reads the notes parts the document's relationships name (or the usual names).
    static func read(_ zip: ZipContainer, document: String, relationships: [OPCRelationship]) throws -> WordNotes {
        func part(_ kind: String, _ fallback: String) throws -> Part {
            let path = relationships.first { $0.isKind(kind) }?.target ?? ZipPath.folder(of: document) + fallback
            let handler = WordBodyHandler(mode: .notes)
            try zip.parseXMLIfPresent(path, into: handler)
            return handler.notes
        }
        return WordNotes(footnotes: try part("footnotes", "footnotes.xml"),
                         endnotes: try part("endnotes", "endnotes.xml"))
    }
}
