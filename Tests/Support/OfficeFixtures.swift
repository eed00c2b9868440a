import Foundation
import ZIPFoundation

/// Small but real office documents and e-books, written at test time with ZIPFoundation in the part layout their
/// applications use (content types, relationships, manifests), so no binary fixture is committed.
public enum OfficeFixtures {
    /// A ZIP archive of `parts` (path, content) in order, deflated unless `stored`.
    public static func zip(_ parts: [(String, String)], stored: Set<String> = []) throws -> [UInt8] {
        try zipData(parts.map { ($0.0, Data($0.1.utf8)) }, stored: stored)
    }

    public static func zipData(_ parts: [(String, Data)], stored: Set<String> = []) throws -> [UInt8] {
        let archive = try Archive(accessMode: .create)
        for (path, data) in parts {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 modificationDate: Date(timeIntervalSince1970: 1_700_000_000),
                                 compressionMethod: stored.contains(path) ? .none : .deflate,
                                 bufferSize: 1 << 16) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return [UInt8](archive.data ?? Data())
    }

    public static let xmlHeader = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    public static let relationshipsNS = "http://schemas.openxmlformats.org/package/2006/relationships"
    public static let officeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// A `.rels` part: (id, type's last segment, target).
    public static func relationships(_ items: [(String, String, String)]) -> String {
        xmlHeader + #"<Relationships xmlns="\#(relationshipsNS)">"# + items.map { id, kind, target in
            let base = kind == "core-properties"
                ? "http://schemas.openxmlformats.org/package/2006/relationships/metadata"
                : officeRelationships
            return #"<Relationship Id="\#(id)" Type="\#(base)/\#(kind)" Target="\#(target)"/>"#
        }.joined() + "</Relationships>"
    }

    public static func contentTypes(_ overrides: [(String, String)]) -> String {
        xmlHeader + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
            + #"<Default Extension="xml" ContentType="application/xml"/>"#
            + overrides.map { #"<Override PartName="\#($0.0)" ContentType="\#($0.1)"/>"# }.joined() + "</Types>"
    }

    public static func coreProperties(title: String) -> String {
        xmlHeader + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>\#(title)</dc:title><dc:creator>Ferret tests</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:created></cp:coreProperties>"#
    }

    // MARK: Word

    public static let wordNS = #"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps""#

    /// A paragraph style: (id, name, basedOn).
    public static func wordStyles(_ styles: [(String, String, String?)]) -> String {
        xmlHeader + "<w:styles \(wordNS)>" + styles.map { id, name, basedOn in
            #"<w:style w:type="paragraph" w:styleId="\#(id)"><w:name w:val="\#(name)"/>"#
                + (basedOn.map { #"<w:basedOn w:val="\#($0)"/>"# } ?? "") + "</w:style>"
        }.joined() + "</w:styles>"
    }

    /// Notes parts hold two separator notes (ids -1 and 0) before the real ones, as Word writes them.
    public static func wordNotes(_ kind: String, _ notes: [(String, String)]) -> String {
        xmlHeader + "<w:\(kind)s \(wordNS)>"
            + #"<w:\#(kind) w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:\#(kind)>"#
            + #"<w:\#(kind) w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:\#(kind)>"#
            + notes.map { id, text in
                #"<w:\#(kind) w:id="\#(id)"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:\#(kind)Ref/></w:r><w:r><w:t xml:space="preserve"> \#(text)</w:t></w:r></w:p></w:\#(kind)>"#
            }.joined() + "</w:\(kind)s>"
    }

    public static func docx(body: String, title: String? = nil, styles: String? = nil, footnotes: String? = nil,
                     endnotes: String? = nil) throws -> [UInt8] {
        var parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes([
                ("/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
                ("/word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"),
                ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ])),
            ("_rels/.rels", relationships([("rId1", "officeDocument", "word/document.xml"),
                                           ("rId2", "core-properties", "docProps/core.xml")])),
            ("word/document.xml", xmlHeader + "<w:document \(wordNS)><w:body>\(body)"
                + #"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#),
            ("word/_rels/document.xml.rels", relationships([
                ("rId1", "styles", "styles.xml"), ("rId2", "footnotes", "footnotes.xml"),
                ("rId3", "endnotes", "endnotes.xml"), ("rId9", "header", "header1.xml"),
            ])),
            ("word/header1.xml", xmlHeader + "<w:hdr \(wordNS)><w:p><w:r><w:t>Running header</w:t></w:r></w:p></w:hdr>"),
        ]
        if let title { parts.append(("docProps/core.xml", coreProperties(title: title))) }
        if let styles { parts.append(("word/styles.xml", styles)) }
        if let footnotes { parts.append(("word/footnotes.xml", footnotes)) }
        if let endnotes { parts.append(("word/endnotes.xml", endnotes)) }
        return try zip(parts)
    }

    /// `<w:p>` with optional style and runs of plain text.
    public static func wordParagraph(_ text: String, style: String? = nil) -> String {
        "<w:p>" + (style.map { #"<w:pPr><w:pStyle w:val="\#($0)"/></w:pPr>"# } ?? "")
            + #"<w:r><w:t xml:space="preserve">\#(text)</w:t></w:r></w:p>"#
    }

    // MARK: PowerPoint

    public static let presentationNS = #"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main""#

    /// A text shape; `placeholder` is the `p:ph` type (nil: a free text box).
    public static func shape(_ paragraphs: [String], placeholder: String? = nil, id: Int = 2) -> String {
        let ph = placeholder.map { #"<p:nvPr><p:ph type="\#($0)"/></p:nvPr>"# } ?? "<p:nvPr/>"
        return #"<p:sp><p:nvSpPr><p:cNvPr id="\#(id)" name="Shape \#(id)"/><p:cNvSpPr/>\#(ph)</p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>"#
            + paragraphs.map { "<a:p><a:r><a:rPr lang=\"en-US\"/><a:t>\($0)</a:t></a:r></a:p>" }.joined()
            + "</p:txBody></p:sp>"
    }

    public static func slide(_ shapes: String) -> String {
        xmlHeader + "<p:sld \(presentationNS)><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>"
            + shapes + "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
    }

    public static func notesSlide(_ text: String) -> String {
        xmlHeader + "<p:notes \(presentationNS)><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>"
            + #"<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image"/><p:cNvSpPr/><p:nvPr><p:ph type="sldImg"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>"#
            + shape([text], placeholder: "body", id: 3)
            + shape(["7"], placeholder: "sldNum", id: 4)
            + "</p:spTree></p:cSld></p:notes>"
    }

    /// Slides in presentation order; each (slide XML, notes text). Part numbers run backwards so that file names do
    /// not give the order away.
    public static func pptx(_ slides: [(String, String?)], title: String? = nil) throws -> [UInt8] {
        var parts: [(String, String)] = []
        var presentationRels: [(String, String, String)] = [("rId1", "slideMaster", "slideMasters/slideMaster1.xml")]
        var list = ""
        for (index, (xml, notes)) in slides.enumerated() {
            let number = slides.count - index
            presentationRels.append(("rId\(index + 10)", "slide", "slides/slide\(number).xml"))
            list += #"<p:sldId id="\#(256 + index)" r:id="rId\#(index + 10)"/>"#
            parts.append(("ppt/slides/slide\(number).xml", xml))
            var slideRels = [("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml")]
            if let notes {
                slideRels.append(("rId2", "notesSlide", "../notesSlides/notesSlide\(number).xml"))
                parts.append(("ppt/notesSlides/notesSlide\(number).xml", notesSlide(notes)))
                parts.append(("ppt/notesSlides/_rels/notesSlide\(number).xml.rels",
                              relationships([("rId1", "slide", "../slides/slide\(number).xml")])))
            }
            parts.append(("ppt/slides/_rels/slide\(number).xml.rels", relationships(slideRels)))
        }
        parts.insert(contentsOf: [
            ("[Content_Types].xml", contentTypes([
                ("/ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
            ])),
            ("_rels/.rels", relationships([("rId1", "officeDocument", "ppt/presentation.xml"),
                                           ("rId2", "core-properties", "docProps/core.xml")])),
            ("ppt/presentation.xml", xmlHeader + "<p:presentation \(presentationNS)>"
                + #"<p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>"#
                + "<p:sldIdLst>\(list)</p:sldIdLst>"
                + #"<p:sldSz cx="12192000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>"#),
            ("ppt/_rels/presentation.xml.rels", relationships(presentationRels)),
        ], at: 0)
        if let title { parts.append(("docProps/core.xml", coreProperties(title: title))) }
        return try zip(parts)
    }

    // MARK: Excel

    public static let spreadsheetNS = #"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#

    /// Sheets in workbook order: (name, sheetData XML). Worksheet part numbers run backwards.
    public static func xlsx(_ sheets: [(String, String)], sharedStrings: [String], title: String? = nil,
                     chartSheet: String? = nil) throws -> [UInt8] {
        var parts: [(String, String)] = []
        var workbookRels: [(String, String, String)] = [("rId100", "styles", "styles.xml"),
                                                        ("rId101", "sharedStrings", "sharedStrings.xml")]
        var sheetList = ""
        for (index, (name, data)) in sheets.enumerated() {
            let number = sheets.count - index
            workbookRels.append(("rId\(index + 1)", "worksheet", "worksheets/sheet\(number).xml"))
            sheetList += #"<sheet name="\#(name)" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#
            parts.append(("xl/worksheets/sheet\(number).xml", xmlHeader + "<worksheet \(spreadsheetNS)>"
                + #"<dimension ref="A1:D9"/><sheetData>\#(data)</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#))
        }
        if let chartSheet {
            workbookRels.append(("rId50", "chartsheet", "chartsheets/sheet1.xml"))
            sheetList += #"<sheet name="\#(chartSheet)" sheetId="50" r:id="rId50"/>"#
            parts.append(("xl/chartsheets/sheet1.xml", xmlHeader + "<chartsheet \(spreadsheetNS)><sheetView/></chartsheet>"))
        }
        let sst = xmlHeader + #"<sst \#(spreadsheetNS) count="\#(sharedStrings.count)" uniqueCount="\#(sharedStrings.count)">"#
            + sharedStrings.map { $0.hasPrefix("<") ? "<si>\($0)</si>" : "<si><t>\($0)</t></si>" }.joined() + "</sst>"
        parts.insert(contentsOf: [
            ("[Content_Types].xml", contentTypes([
                ("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
            ])),
            ("_rels/.rels", relationships([("rId1", "officeDocument", "xl/workbook.xml"),
                                           ("rId2", "core-properties", "docProps/core.xml")])),
            ("xl/workbook.xml", xmlHeader + "<workbook \(spreadsheetNS)><bookViews><workbookView/></bookViews>"
                + "<sheets>\(sheetList)</sheets><definedNames><definedName name=\"x\">Summary!$A$1</definedName></definedNames></workbook>"),
            ("xl/_rels/workbook.xml.rels", relationships(workbookRels)),
            ("xl/sharedStrings.xml", sst),
            ("xl/styles.xml", xmlHeader + "<styleSheet \(spreadsheetNS)/>"),
        ], at: 0)
        if let title { parts.append(("docProps/core.xml", coreProperties(title: title))) }
        return try zip(parts)
    }

    // MARK: OpenDocument

    public static let odfNS = #"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3""#

    /// `body` goes inside `office:body`, e.g. `<office:text>…</office:text>`. `mimetype` comes first and stored, as
    /// the specification requires.
    public static func odf(_ format: String, body: String, title: String? = nil, encrypted: Bool = false) throws -> [UInt8] {
        let mime = "application/vnd.oasis.opendocument.\(format)"
        let encryption = encrypted
            ? #"<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/></manifest:encryption-data>"#
            : ""
        var parts: [(String, String)] = [
            ("mimetype", mime),
            ("META-INF/manifest.xml", xmlHeader + #"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="\#(mime)"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">\#(encryption)</manifest:file-entry><manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/></manifest:manifest>"#),
            ("content.xml", xmlHeader + "<office:document-content \(odfNS)><office:automatic-styles><style:style xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" style:name=\"P1\" style:family=\"paragraph\"/></office:automatic-styles><office:body>\(body)</office:body></office:document-content>"),
            ("styles.xml", xmlHeader + "<office:document-styles \(odfNS)><office:master-styles/></office:document-styles>"),
        ]
        if let title {
            parts.append(("meta.xml", xmlHeader + "<office:document-meta \(odfNS)><office:meta><meta:generator>Ferret tests</meta:generator><dc:title>\(title)</dc:title></office:meta></office:document-meta>"))
        }
        return try zip(parts, stored: ["mimetype"])
    }

    // MARK: EPUB

    /// A chapter file of `body` (inside `<body>`).
    public static func xhtml(_ title: String, _ body: String) -> String {
        xmlHeader + "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"><head><title>\(title)</title><style>p { margin: 0 }</style></head><body>\(body)</body></html>"
    }

    /// Items (id, href relative to OEBPS/, stored file name, content), spine ids in order.
    public static func epub(title: String, items: [(String, String, String, String)], spine: [String],
                     encryption: String? = nil) throws -> [UInt8] {
        let manifest = items.map { id, href, _, _ in
            let type = href.hasSuffix(".css") ? "text/css" : href.hasSuffix(".jpg") ? "image/jpeg" : "application/xhtml+xml"
            let properties = id == "nav" ? #" properties="nav""# : ""
            return #"<item id="\#(id)" href="\#(href)" media-type="\#(type)"\#(properties)/>"#
        }.joined()
        let opf = xmlHeader + #"<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="uid">urn:uuid:12345</dc:identifier><dc:title>\#(title)</dc:title><dc:language>en</dc:language><meta property="dcterms:modified">2024-01-01T00:00:00Z</meta></metadata><manifest>\#(manifest)</manifest><spine>\#(spine.map { #"<itemref idref="\#($0)"/>"# }.joined())</spine></package>"#
        var parts: [(String, String)] = [
            ("mimetype", "application/epub+zip"),
            ("META-INF/container.xml", xmlHeader + #"<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#),
            ("OEBPS/content.opf", opf),
        ]
        if let encryption { parts.append(("META-INF/encryption.xml", encryption)) }
        parts += items.map { ("OEBPS/" + $0.2, $0.3) }
        return try zip(parts, stored: ["mimetype"])
    }
}
