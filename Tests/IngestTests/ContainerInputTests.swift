import Foundation
import Testing
import TestSupport
@testable import Ingest

/// Damaged, hostile and encrypted inputs for the ZIP-based extractors: each must throw an `IngestError` naming the
/// part at fault, never trap and never expand a ZIP bomb.
@Suite("Container inputs")
struct ContainerInputTests {
    typealias F = OfficeFixtures

    static let extractors: [(DocumentFormat, any DocumentExtractor.Type)] = [
        (.docx, OOXMLExtractor.self), (.pptx, OOXMLExtractor.self), (.xlsx, OOXMLExtractor.self),
        (.odt, ODFExtractor.self), (.odp, ODFExtractor.self), (.ods, ODFExtractor.self), (.epub, EPUBExtractor.self),
    ]

    static func sample(_ format: DocumentFormat) throws -> [UInt8] {
        switch format {
        case .docx: return try F.docx(body: F.wordParagraph("Hello", style: "Heading1"), title: "T",
                                      footnotes: F.wordNotes("footnote", [("1", "n")]))
        case .pptx: return try F.pptx([(F.slide(F.shape(["Hi"], placeholder: "title")), "notes")])
        case .xlsx: return try F.xlsx([("S", #"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#)], sharedStrings: ["x"])
        case .odt: return try F.odf("text", body: "<office:text><text:p>Hello</text:p></office:text>", title: "T")
        case .odp: return try F.odf("presentation", body: "<office:presentation><draw:page/></office:presentation>")
        case .ods: return try F.odf("spreadsheet", body: #"<office:spreadsheet><table:table table:name="S"/></office:spreadsheet>"#)
        default: return try F.epub(title: "T", items: EPUBExtractorTests.items, spine: ["c1"])
        }
    }

    /// The part named by a `malformed` error, or nil (with an issue recorded) for anything else.
    static func malformedPart(_ body: () throws -> Void) -> (part: String, detail: String)? {
        do {
            try body()
            Issue.record("no error thrown")
        } catch let IngestError.malformed(_, _, part, detail) {
            return (part, detail)
        } catch {
            Issue.record("expected IngestError.malformed, got \(error)")
        }
        return nil
    }

    @Test func everySampleIsRead() throws {
        for (format, extractor) in Self.extractors {
            let result = try extractor.extract(bytes: Self.sample(format), format: format, path: "f")
            #expect(!result.sections.isEmpty, "\(format)")
        }
    }

    @Test func notAZipFile() {
        for (format, extractor) in Self.extractors {
            for bytes in [[], Array("just some text, not an archive".utf8), [UInt8](repeating: 0x50, count: 100)] {
                let failure = Self.malformedPart { _ = try extractor.extract(bytes: bytes, format: format, path: "x") }
                #expect(failure?.part == "ZIP archive", "\(format)")
            }
        }
    }

    @Test func truncatedFilesThrowAtEveryLength() throws {
        for (format, extractor) in Self.extractors {
            let bytes = try Self.sample(format)
            for length in stride(from: 0, to: bytes.count, by: 7) {
                #expect(throws: IngestError.self, "\(format) cut at \(length)") {
                    try extractor.extract(bytes: Array(bytes[..<length]), format: format, path: "cut")
                }
            }
        }
    }

    /// A small deterministic fuzz: single corrupted bytes anywhere give a result or an `IngestError`, nothing else.
    @Test func corruptedBytesNeverTrap() throws {
        for (format, extractor) in Self.extractors {
            let bytes = try Self.sample(format)
            for position in stride(from: 0, to: bytes.count, by: 5) {
                for value: UInt8 in [0x00, 0xFF, bytes[position] ^ 0x01] {
                    var corrupt = bytes
                    corrupt[position] = value
                    do { _ = try extractor.extract(bytes: corrupt, format: format, path: "c") } catch is IngestError {}
                }
            }
        }
    }

    /// An end record pointing far past the data (this crashes ZIPFoundation's in-memory `Archive` reader).
    @Test func directoryOffsetsPastTheEnd() {
        let end: [UInt8] = [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0, 46, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0]
        let failure = Self.malformedPart { _ = try OOXMLExtractor.extract(bytes: end, format: .docx, path: "e") }
        #expect(failure?.part == "ZIP archive")
        var zip64 = [UInt8](repeating: 0, count: 20) + end
        zip64.replaceSubrange(20 + 16..<20 + 20, with: [0xFF, 0xFF, 0xFF, 0xFF])
        zip64.replaceSubrange(0..<4, with: [0x50, 0x4B, 0x06, 0x07])
        zip64.replaceSubrange(8..<16, with: [0xF0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        #expect(Self.malformedPart { _ = try OOXMLExtractor.extract(bytes: zip64, format: .docx, path: "e") } != nil)
    }

    @Test func missingMainPartsAreNamed() throws {
        let cases: [(DocumentFormat, [UInt8], String)] = [
            (.docx, try F.zip([("_rels/.rels", F.relationships([("rId1", "officeDocument", "word/document.xml")]))]), "word/document.xml"),
            (.pptx, try F.zip([("[Content_Types].xml", F.contentTypes([]))]), "ppt/presentation.xml"),
            (.xlsx, try F.zip([("xl/sharedStrings.xml", "<sst/>")]), "xl/workbook.xml"),
            (.odt, try F.zip([("mimetype", "application/vnd.oasis.opendocument.text")]), "content.xml"),
            (.epub, try F.zip([("mimetype", "application/epub+zip")]), "META-INF/container.xml"),
        ]
        for (format, bytes, part) in cases {
            let extractor = ExtractorRegistry.extractor(for: format)
            let failure = Self.malformedPart { _ = try extractor?.extract(bytes: bytes, format: format, path: "m") }
            #expect(failure?.part == part)
            #expect(failure?.detail == "missing from the archive")
        }
    }

    @Test func malformedXMLNamesThePart() throws {
        let docx = try F.zip([("word/document.xml", #"<w:document xmlns:w="urn:w"><w:body><w:p><w:r><w:t>cut"#)])
        let failure = Self.malformedPart { _ = try OOXMLExtractor.extract(bytes: docx, format: .docx, path: "bad.docx") }
        #expect(failure?.part == "word/document.xml")
        #expect(failure?.detail.hasPrefix("unexpected end of data at line 1") == true)
        let error = IngestError.malformed(file: "bad.docx", format: "Word (DOCX)", part: "word/document.xml", detail: "x")
        #expect(error.description == "bad.docx: not a valid Word (DOCX) file (word/document.xml: x); check that it "
            + "opens in its application, or re-save it")

        let entities = #"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><office:document-content><office:body><office:text><text:p>&b;</text:p></office:text></office:body></office:document-content>"#
        let odt = try F.zip([("content.xml", entities)])
        let entityFailure = Self.malformedPart { _ = try ODFExtractor.extract(bytes: odt, format: .odt, path: "e.odt") }
        #expect(entityFailure?.part == "content.xml")
        #expect(entityFailure?.detail.contains("entities") == true)

        let emptyPart = try F.zip([("content.xml", "")])
        #expect(Self.malformedPart { _ = try ODFExtractor.extract(bytes: emptyPart, format: .odt, path: "e.odt") }?.part == "content.xml")
    }

    /// FoundationXML traps on a name that is not UTF-8 (found by fuzzing): such parts are refused before parsing.
    @Test func invalidUTF8IsRefusedAndOtherEncodingsAreTranscoded() throws {
        var container = Array(#"<container><rootfiles><rootfile ful"#.utf8) + [0xE5]
        container += Array(#"-path="a.opf"/></rootfiles></container>"#.utf8)
        let epub = try F.zipData([("META-INF/container.xml", Data(container))])
        let failure = Self.malformedPart { _ = try EPUBExtractor.extract(bytes: epub, format: .epub, path: "u.epub") }
        #expect(failure?.part == "META-INF/container.xml")
        #expect(failure?.detail == "not valid UTF-8 (byte offset 35)")

        func content(_ paragraph: String) -> String {
            "<office:document-content \(F.odfNS)><office:body><office:text><text:p>\(paragraph)</text:p></office:text></office:body></office:document-content>"
        }
        let utf16 = Data([0xFF, 0xFE]) + (#"<?xml version="1.0" encoding="UTF-16"?>"# + content("Grüße 日本")).data(using: .utf16LittleEndian)!
        let latin1 = (#"<?xml version="1.0" encoding="ISO-8859-1"?>"# + content("Grüße")).data(using: .isoLatin1)!
        for (data, text) in [(utf16, "Grüße 日本"), (latin1, "Grüße")] {
            let odt = try F.zipData([("content.xml", data)])
            #expect(try ODFExtractor.extract(bytes: odt, format: .odt, path: "e.odt").sections.first?.text == text)
        }
        let ebcdic = try F.zip([("content.xml", #"<?xml version="1.0" encoding="EBCDIC-CP-US"?><a/>"#)])
        #expect(Self.malformedPart { _ = try ODFExtractor.extract(bytes: ebcdic, format: .odt, path: "e.odt") }?.detail
            == "unsupported encoding ebcdic-cp-us")
    }

    /// 40 MB of one byte deflates to about 40 KB: over the 100× ratio, refused from its declared size alone.
    @Test func zipBombIsRefusedBeforeInflating() throws {
        let bomb = try F.zipData([("word/document.xml", Data(count: 40_000_000))])
        #expect(bomb.count < 100_000)
        let failure = Self.malformedPart { _ = try OOXMLExtractor.extract(bytes: bomb, format: .docx, path: "bomb.docx") }
        #expect(failure?.part == "word/document.xml")
        #expect(failure?.detail.contains("ZIP bomb") == true)
    }

    /// A part that declares 1 KB but inflates to 40 MB is stopped once it passes its declared size.
    @Test func zipBombLyingAboutItsSizeIsStopped() throws {
        var bomb = try F.zipData([("content.xml", Data(count: 40_000_000))])
        Self.setUncompressedSize(of: "content.xml", to: 1_000, in: &bomb)
        let failure = Self.malformedPart { _ = try ODFExtractor.extract(bytes: bomb, format: .odt, path: "bomb.odt") }
        #expect(failure?.part == "content.xml")
        #expect(failure?.detail.contains("more than its declared 1000 bytes") == true)
    }

    @Test func totalDecompressedBytesAreLimited() throws {
        let parts = (1...3).map { ("part\($0).xml", String(repeating: "<a/>", count: 500)) }
        let bytes = try F.zip(parts)
        let zip = try ZipContainer(bytes: bytes, file: "z", format: .docx,
                                   limits: ZipLimits(maxTotalBytes: 4_500, maxRatio: 100, ratioExemptBytes: 1_000_000))
        _ = try zip.read("part1.xml")
        _ = try zip.read("part2.xml")
        #expect(zip.bytesRead == 4_000)
        let failure = Self.malformedPart { _ = try zip.read("part3.xml") }
        #expect(failure?.detail.contains("over the limit of 4.5 KB per file") == true)
    }

    @Test func encryptedOOXMLIsASkipWithTheReason() {
        var ole = OLECompoundFile.signature + [UInt8](repeating: 0, count: 600)
        let name = Array("EncryptedPackage".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        ole.replaceSubrange(512..<(512 + name.count), with: name)
        #expect(throws: IngestError.noText(file: "s.docx", reason: "password-protected Word (DOCX) file; remove the password to index it")) {
            try OOXMLExtractor.extract(bytes: ole, format: .docx, path: "s.docx")
        }
        let bare = OLECompoundFile.signature + [UInt8](repeating: 0, count: 600)
        let error = #expect(throws: IngestError.self) { try OOXMLExtractor.extract(bytes: bare, format: .xlsx, path: "b.xlsx") }
        #expect(error?.reason.contains("password-protected") == true)
        #expect(error?.reason.hasSuffix("to index it") == true)
    }

    @Test func zipEntriesEncryptedWithAPasswordAreASkip() throws {
        var bytes = try Self.sample(.odt)
        Self.setFlags(of: "content.xml", to: 1, in: &bytes)
        let error = #expect(throws: IngestError.self) { try ODFExtractor.extract(bytes: bytes, format: .odt, path: "p.odt") }
        guard case .noText(_, let reason) = error else { Issue.record("expected noText"); return }
        #expect(reason.hasPrefix("password-protected (content.xml is encrypted)"))
    }

    @Test func damagedMetadataIsAWarningNotAFailure() throws {
        var parts: [(String, String)] = [
            ("_rels/.rels", F.relationships([("rId1", "officeDocument", "word/document.xml"),
                                             ("rId2", "core-properties", "docProps/core.xml")])),
            ("word/document.xml", "<w:document \(F.wordNS)><w:body>\(F.wordParagraph("Text"))</w:body></w:document>"),
        ]
        parts.append(("docProps/core.xml", "<cp:coreProperties><dc:title>Unclosed"))
        let result = try OOXMLExtractor.extract(bytes: F.zip(parts), format: .docx, path: "w.docx")
        #expect(result.title == nil)
        #expect(result.sections.first?.text == "Text")
        #expect(result.warnings.first?.hasPrefix("docProps/core.xml: ") == true)
    }

    // MARK: Editing archives

    /// Visits the central directory record and local header of `name`: (record offset, local header offset).
    static func headers(of name: String, in bytes: [UInt8]) -> (central: Int, local: Int)? {
        let nameBytes = Array(name.utf8)
        var i = 0
        while i + 46 + nameBytes.count <= bytes.count {
            if bytes[i..<(i + 4)].elementsEqual([0x50, 0x4B, 0x01, 0x02]),
               bytes[(i + 46)..<(i + 46 + nameBytes.count)].elementsEqual(nameBytes) {
                let local = Int(bytes[i + 42]) | Int(bytes[i + 43]) << 8 | Int(bytes[i + 44]) << 16 | Int(bytes[i + 45]) << 24
                return (i, local)
            }
            i += 1
        }
        return nil
    }

    static func setUncompressedSize(of name: String, to size: UInt32, in bytes: inout [UInt8]) {
        guard let (central, local) = headers(of: name, in: bytes) else { Issue.record("no entry \(name)"); return }
        let le = (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) }
        bytes.replaceSubrange((central + 24)..<(central + 28), with: le)
        bytes.replaceSubrange((local + 22)..<(local + 26), with: le)
    }

    static func setFlags(of name: String, to flags: UInt16, in bytes: inout [UInt8]) {
        guard let (central, local) = headers(of: name, in: bytes) else { Issue.record("no entry \(name)"); return }
        let le = [UInt8(flags & 0xFF), UInt8(flags >> 8)]
        bytes.replaceSubrange((central + 8)..<(central + 10), with: le)
        bytes.replaceSubrange((local + 6)..<(local + 8), with: le)
    }
}
