import Foundation
import Testing
import TestSupport
@testable import Ingest

@Suite("EPUBExtractor")
struct EPUBExtractorTests {
    typealias F = OfficeFixtures

    static let items: [(String, String, String, String)] = [
        ("nav", "nav.xhtml", "nav.xhtml", F.xhtml("Contents", #"<nav epub:type="toc"><h1>Contents</h1><ol><li><a href="Text/chapter%201.xhtml">One</a></li></ol></nav>"#)),
        ("css", "Styles/book.css", "Styles/book.css", "p { margin: 0 }"),
        ("cover", "cover.xhtml", "cover.xhtml", F.xhtml("Cover", #"<div><img src="cover.jpg" alt=""/></div>"#)),
        ("c2", "Text/chapter2.xhtml", "Text/chapter2.xhtml", F.xhtml("Two", "<h1>Chapter Two</h1><p>The &amp; second <em>chapter</em>.</p><table><tr><th>Year</th><th>Event</th></tr><tr><td>1901</td><td>Start</td></tr></table>")),
        ("c1", "Text/chapter%201.xhtml", "Text/chapter 1.xhtml", F.xhtml("One", "<section><h1>Chapter One</h1><h2>Arrival</h2><p>It was a dark night.</p><ul><li>lamp</li><li>map</li></ul><script>var x = 1;</script><nav><p>Skip me</p></nav></section>")),
    ]

    @Test func chaptersInSpineOrderNumberedAmongThoseWithText() throws {
        let epub = try F.epub(title: "A  Long Night", items: Self.items, spine: ["cover", "nav", "c1", "c2"])
        let result = try EPUBExtractor.extract(bytes: epub, format: .epub, path: "night.epub")
        #expect(result.title == "A Long Night")
        #expect(result.sections.map(\.location) == [.chapter(1), .chapter(2)])
        #expect(result.sections.map(\.text) == [
            "# Chapter One\n\n## Arrival\n\nIt was a dark night.\n\n- lamp\n- map",
            "# Chapter Two\n\nThe & second chapter.\n\nYear | Event\n1901 | Start",
        ])
        #expect(result.warnings.isEmpty)
    }

    @Test func missingChaptersAreWarningsAndUnknownSpineIdsToo() throws {
        let items = Self.items.filter { $0.0 != "c2" } + [("c2", "Text/chapter2.xhtml", "Elsewhere/chapter2.xhtml", F.xhtml("", "<p>x</p>"))]
        let epub = try F.epub(title: "T", items: items, spine: ["c1", "c2", "ghost"])
        let result = try EPUBExtractor.extract(bytes: epub, format: .epub, path: "broken.epub")
        #expect(result.sections.map(\.location) == [.chapter(1)])
        #expect(result.warnings.count == 2)
        #expect(result.warnings.contains { $0.contains("ghost") })
        #expect(result.warnings.contains { $0.contains("OEBPS/Text/chapter2.xhtml") })
    }

    @Test func drmEncryptedChaptersAreASkipButObfuscatedFontsAreNot() throws {
        func encryption(_ algorithm: String, _ uri: String) -> String {
            F.xmlHeader + #"<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="\#(algorithm)"/><enc:CipherData><enc:CipherReference URI="\#(uri)"/></enc:CipherData></enc:EncryptedData></encryption>"#
        }
        let drm = try F.epub(title: "T", items: Self.items, spine: ["c1"],
                             encryption: encryption("http://www.w3.org/2001/04/xmlenc#aes128-cbc", "OEBPS/Text/chapter%201.xhtml"))
        let error = #expect(throws: IngestError.self) {
            try EPUBExtractor.extract(bytes: drm, format: .epub, path: "drm.epub")
        }
        guard case .noText(let file, let reason) = error else { Issue.record("expected noText, got \(String(describing: error))"); return }
        #expect(file == "drm.epub")
        #expect(reason.contains("DRM") && reason.contains("META-INF/encryption.xml"))

        let fonts = try F.epub(title: "T", items: Self.items, spine: ["c1"],
                               encryption: encryption("http://www.idpf.org/2008/embedding", "OEBPS/Text/chapter%201.xhtml"))
        #expect(try EPUBExtractor.extract(bytes: fonts, format: .epub, path: "fonts.epub").sections.count == 1)
    }

    @Test func navigationIsRemovedWhateverItsCaseAndNesting() {
        let html = "<p>a</p><NAV class=x><nav><p>b</p></nav><p>c</p></Nav><navigation>d</navigation><nav/>e"
        #expect(XHTMLChapter.removingNavigation(html) == "<p>a</p><navigation>d</navigation>e")
    }

    @Test func hrefsResolveAgainstTheReferringFolder() {
        #expect(ZipPath.resolve("Text/ch%201.xhtml#p3", from: "OEBPS/") == "OEBPS/Text/ch 1.xhtml")
        #expect(ZipPath.resolve("../media/a.png", from: "word/") == "media/a.png")
        #expect(ZipPath.resolve("/word/document.xml", from: "ppt/") == "word/document.xml")
        #expect(ZipPath.resolve("../../../x.xml", from: "a/") == "x.xml")
        #expect(ZipPath.resolve("http://example.com/a.xhtml", from: "") == nil)
        #expect(ZipPath.resolve("#top", from: "OEBPS/") == nil)
    }
}
