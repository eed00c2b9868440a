/// What `word/styles.xml` says about paragraph styles: which are headings, of what level, and which number their
/// paragraphs (list styles).
///
/// Word writes localized style ids (`berschrift1` in a German document, `Titre1` in a French one) but keeps the
/// built-in names in English (`heading 1`, `Title`), so headings are recognised by name, by outline level, or through
/// the style they are based on; the English ids serve when the document has no styles part.
struct WordStyles {
    struct Style {
        var name: String?
        var basedOn: String?
        /// `w:outlineLvl`, 0-based; 9 means body text.
        var outlineLevel: Int?
        /// From `w:numPr/w:numId`: true for a numbering, false for `numId` 0 (numbering switched off).
        var numbered: Bool?
    }

    fileprivate(set) var styles: [String: Style] = [:]

    /// The heading level (1 for a title or `heading 1`, up to 9) of paragraphs in style `id`, or nil for body text.
    func headingLevel(_ id: String) -> Int? {
        var current: String? = id
        var seen = 0
        while let styleId = current, seen < 16 {
            guard let style = styles[styleId] else { return seen == 0 ? Self.builtInLevel(id: styleId) : nil }
            if let level = style.outlineLevel { return (0...8).contains(level) ? level + 1 : nil }
            if let name = style.name, let level = Self.builtInLevel(name: name) { return level }
            current = style.basedOn
            seen += 1
        }
        return nil
    }

    /// Whether paragraphs in style `id` are list items (the style, or one it is based on, has a numbering).
    func isList(_ id: String) -> Bool {
        var current: String? = id
        var seen = 0
        while let styleId = current, let style = styles[styleId], seen < 16 {
            if let numbered = style.numbered { return numbered }
            current = style.basedOn
            seen += 1
        }
        return false
    }

    /// `heading 1`…`heading 9` and `Title`, as Word names its built-in styles in every language.
    static func builtInLevel(name: String) -> Int? {
        let lower = name.lowercased()
        if lower == "title" { return 1 }
        guard lower.hasPrefix("heading "), let level = Int(lower.dropFirst(8)), (1...9).contains(level) else {
            return nil
        }
        return level
    }

    /// The English style ids (`Heading1`, `Title`), for documents without a styles part.
    static func builtInLevel(id: String) -> Int? {
        let lower = id.lowercased()
        if lower == "title" { return 1 }
        guard lower.hasPrefix("heading"), let level = Int(lower.dropFirst(7)), (1...9).contains(level) else {
            return nil
        }
        return level
    }

    /// Reads the paragraph styles of `part`; no styles when the part is absent.
    static func read(_ zip: ZipContainer, part: String) throws -> WordStyles {
        let handler = StylesHandler()
        try zip.parseXMLIfPresent(part, into: handler)
        return handler.result
    }
}

/// `<w:style w:type="paragraph" w:styleId="…">` with its `w:name`, `w:basedOn`, `w:pPr/w:outlineLvl` and
/// `w:pPr/w:numPr/w:numId`.
private final class StylesHandler: XMLPartHandler {
    private(set) var result = WordStyles()
    private var id: String?
    private var style = WordStyles.Style()

    func start(_ name: String, _ attributes: XMLAttributes) -> Bool {
        switch name {
        case "style":
            guard attributes["type"] == nil || attributes["type"] == "paragraph" else { return false }
            id = attributes["styleId"]
            style = WordStyles.Style()
        case "name": style.name = attributes["val"]
        case "basedOn": style.basedOn = attributes["val"]
        case "outlineLvl": style.outlineLevel = attributes["val"].flatMap { Int($0) }
        case "numId": style.numbered = attributes["val"].map { $0 != "0" }
        case "pPrChange", "rPr", "tblPr", "tcPr", "trPr", "tblStylePr": return false
        default: break
        }
        return true
    }

    func end(_ name: String) {
        guard name == "style", let id else { return }
        result.styles[id] = style
        self.id = nil
    }
}
