import Digests
import Foundation
import Testing
import TestSupport
@testable import Ingest

@Suite("OOXMLExtractor")
struct OOXMLExtractorTests {
    typealias F = OfficeFixtures

    /// Word's own style ids are localized (German here); the names stay English.
    static let germanStyles = F.wordStyles([
        ("Standard", "Normal", nil), ("Titel", "Title", "Standard"), ("berschrift1", "heading 1", "Standard"),
        ("berschrift2", "heading 2", "Standard"), ("Zitat", "Quote", "Standard"),
        ("Kapitel", "Chapter Heading", "berschrift1"), ("Listenabsatz", "List Paragraph", "Standard"),
    ])

    @Test func docxBodyInOrderWithHeadingsListsTablesAndNotes() throws {
        let body = [
            F.wordParagraph("Annual Report", style: "Titel"),
            F.wordParagraph("Introduction", style: "berschrift1"),
            #"<w:p><w:r><w:t xml:space="preserve">Revenue grew </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>12%</w:t></w:r>"#
                + #"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>"#
                + #"<w:r><w:t xml:space="preserve"> this year.</w:t></w:r></w:p>"#,
            // Tracked changes: deleted text and field instructions are not read; inserted text and field results are.
            #"<w:p><w:r><w:t xml:space="preserve">Status: </w:t></w:r><w:del w:id="1" w:author="A"><w:r><w:delText>draft</w:delText></w:r></w:del>"#
                + #"<w:ins w:id="2" w:author="A"><w:r><w:t>final</w:t></w:r></w:ins><w:r><w:t xml:space="preserve">, page </w:t></w:r>"#
                + #"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>"#
                + #"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>4</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
            F.wordParagraph("Details", style: "Kapitel"),
            #"<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>Outlined</w:t></w:r></w:p>"#,
            #"<w:p><w:pPr><w:pStyle w:val="Listenabsatz"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>First point</w:t></w:r></w:p>"#,
            #"<w:p><w:pPr><w:pStyle w:val="Listenabsatz"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>Second point</w:t></w:r></w:p>"#,
            #"<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:noBreakHyphen/><w:t>d</w:t></w:r><w:r><w:endnoteReference w:id="1"/></w:r></w:p>"#,
            #"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr><w:tblGrid><w:gridCol w:w="4500"/><w:gridCol w:w="4500"/></w:tblGrid>"#
                + "<w:tr><w:tc><w:tcPr/>" + F.wordParagraph("Region") + "</w:tc><w:tc>" + F.wordParagraph("Sales") + "</w:tc></w:tr>"
                + "<w:tr><w:tc>" + F.wordParagraph("North") + F.wordParagraph("(incl. islands)") + "</w:tc><w:tc>"
                + F.wordParagraph("1,200") + "</w:tc></w:tr></w:tbl>",
            // A text box is written twice, as DrawingML and as a VML fallback: read once.
            #"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>"#
                + F.wordParagraph("Boxed") + #"</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"#
                + F.wordParagraph("Boxed") + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
                + #"<w:r><w:t>Anchor</w:t></w:r></w:p>"#,
            "<w:p/>",
            F.wordParagraph("The end."),
        ].joined()
        let docx = try F.docx(body: body, title: "FY24 Report", styles: Self.germanStyles,
                              footnotes: F.wordNotes("footnote", [("1", "Audited figures."), ("2", "Never cited.")]),
                              endnotes: F.wordNotes("endnote", [("1", "See appendix B.")]))
        let result = try OOXMLExtractor.extract(bytes: docx, format: .docx, path: "report.docx")
        #expect(result.title == "FY24 Report")
        #expect(result.sections.count == 1)
        #expect(result.sections.first?.location == nil)
        let expected = """
            # Annual Report

            # Introduction

            Revenue grew 12%[1] this year.

            [1] Audited figures.

            Status: final, page 4

            # Details

            ### Outlined

            - First point
            - Second point

            a\tb
            c-d[2]

            [2] See appendix B.

            Region | Sales
            North (incl. islands) | 1,200

            Boxed

            Anchor

            The end.

            [3] Never cited.
            """
        #expect(result.sections.first?.text == expected)
        #expect(!(result.sections.first?.text.contains("Running header") ?? true))
    }

    @Test func docxHeadingsWithoutAStylesPartUseTheEnglishIds() throws {
        let docx = try F.docx(body: F.wordParagraph("Plan", style: "Heading2") + F.wordParagraph("Body text."))
        let result = try OOXMLExtractor.extract(bytes: docx, format: .docx, path: "plan.docx")
        #expect(result.sections.first?.text == "## Plan\n\nBody text.")
        #expect(result.title == nil)
    }

    @Test func pptxSlidesInPresentationOrderWithTitlesTablesAndNotes() throws {
        let table = #"<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="5" name="Table"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblGrid><a:gridCol w="100"/><a:gridCol w="100"/></a:tblGrid>"#
            + #"<a:tr h="10"><a:tc><a:txBody><a:bodyPr/><a:p><a:r><a:t>Quarter</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:bodyPr/><a:p><a:r><a:t>Units</a:t></a:r></a:p></a:txBody></a:tc></a:tr>"#
            + #"<a:tr h="10"><a:tc><a:txBody><a:bodyPr/><a:p><a:r><a:t>Q1</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:bodyPr/><a:p><a:r><a:t>40</a:t></a:r></a:p></a:txBody></a:tc></a:tr>"#
            + "</a:tbl></a:graphicData></a:graphic></p:graphicFrame>"
        let bullets = #"<p:sp><p:nvSpPr><p:cNvPr id="3" name="Content"/><p:cNvSpPr/><p:nvPr><p:ph idx="1"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>"#
            + #"<a:p><a:pPr><a:buChar char="•"/></a:pPr><a:r><a:t>Faster</a:t></a:r></a:p><a:p><a:pPr><a:buChar char="•"/></a:pPr><a:r><a:t>Cheaper</a:t></a:r><a:br/><a:r><a:t>and smaller</a:t></a:r></a:p></p:txBody></p:sp>"#
        let pptx = try F.pptx([
            (F.slide(F.shape(["Roadmap 2025"], placeholder: "ctrTitle") + F.shape(["Product team"], placeholder: "subTitle", id: 3)
                + F.shape(["Confidential"], placeholder: "ftr", id: 4)), nil),
            (F.slide(bullets + F.shape(["Why we win"], placeholder: "title") + table), "Mention the pilot customers."),
            (F.slide(F.shape(["Questions?"])), nil),
        ], title: "Roadmap")
        let result = try OOXMLExtractor.extract(bytes: pptx, format: .pptx, path: "deck.pptx")
        #expect(result.title == "Roadmap")
        #expect(result.sections.map(\.location) == [.slide(1), .slide(2), .slide(3)])
        #expect(result.sections.map(\.text) == [
            "# Roadmap 2025\n\nProduct team",
            "# Why we win\n\n- Faster\n- Cheaper\nand smaller\n\nQuarter | Units\nQ1 | 40\n\nNotes: Mention the pilot customers.",
            "Questions?",
        ])
    }

    @Test func xlsxSheetsInWorkbookOrderWithNamesAndCellTypes() throws {
        let strings = ["Region", "Total", "North", "<r><rPr><b/></rPr><t>Rich</t></r><r><t xml:space=\"preserve\"> text</t></r><rPh sb=\"0\" eb=\"1\"><t>phonetic</t></rPh>"]
        let summary = #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#
            + #"<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>1234.5</v></c><c r="D2" t="b"><v>1</v></c></row>"#
            + #"<row r="3"><c r="A3" s="1"/><c r="B3" s="1"/></row>"#
            + #"<row r="4"><c r="A4" t="inlineStr"><is><t>Inline</t></is></c><c r="B4"><f>SUM(B2:B2)</f><v>1234.5</v></c><c r="C4" t="str"><f>A1</f><v>Region</v></c></row>"#
            + #"<row r="5"><c r="A5" t="s"><v>3</v></c><c r="B5" t="e"><v>#DIV/0!</v></c></row>"#
        let budget = #"<row r="2"><c r="C2" t="s"><v>0</v></c><c r="D2"><v>7</v></c></row><row r="3"><c r="C3"><v>-0.25</v></c></row>"#
        let xlsx = try F.xlsx([("Summary", summary), ("Q3 Budget", budget), ("Empty", "")], sharedStrings: strings,
                              title: "Budget", chartSheet: "Chart1")
        let result = try OOXMLExtractor.extract(bytes: xlsx, format: .xlsx, path: "budget.xlsx")
        #expect(result.title == "Budget")
        #expect(result.sections.map(\.location) == [.sheet("Summary"), .sheet("Q3 Budget"), .sheet("Empty")])
        #expect(result.sections.map(\.text) == [
            "# Summary\n\nRegion | Total\nNorth | 1234.5 |  | TRUE\nInline | 1234.5 | Region\nRich text | #DIV/0!",
            "# Q3 Budget\n\nRegion | 7\n-0.25",
            "",
        ])
        #expect(result.warnings.isEmpty)
    }

    @Test func xlsxRowsAreCappedWithAWarning() throws {
        let rows = (1...5).map { #"<row r="\#($0)"><c r="A\#($0)"><v>\#($0)</v></c></row>"# }.joined()
        let xlsx = try F.xlsx([("Data", rows)], sharedStrings: [])
        let zip = try ZipContainer(bytes: xlsx, file: "big.xlsx", format: .xlsx)
        let handler = WorksheetHandler(sharedStrings: [], maxRows: 3)
        try zip.parseXML("xl/worksheets/sheet1.xml", into: handler)
        #expect(handler.rows == [["1"], ["2"], ["3"]])
        #expect(handler.truncated)
        #expect(WorksheetHandler.column(ofReference: "AB12") == 27)
        #expect(WorksheetHandler.column(ofReference: "12") == nil)
    }

    @Test func anEmptyWorkbookHasNoText() throws {
        let xlsx = try F.xlsx([("Sheet1", "")], sharedStrings: [])
        #expect(throws: IngestError.noText(file: "e.xlsx", reason: "no text found in this Excel (XLSX) file")) {
            try TextExtractor.extract(bytes: xlsx, format: .xlsx, path: "e.xlsx")
        }
    }

    @Test func textExtractorReadsDocxThroughTheRegistry() throws {
        let docx = try F.docx(body: F.wordParagraph("Overview", style: "Heading1") + F.wordParagraph("Ferret reads Word files."),
                              title: "Ferret notes")
        let document = try TextExtractor.extract(bytes: docx, format: .docx, path: "/notes/ferret.docx")
        #expect(document.extractor == "ooxml/1")
        #expect(document.text == "# Overview\n\nFerret reads Word files.")
        #expect(document.title == "Ferret notes")
        #expect(document.contentHash == Digest.sha256Hex(docx))
        #expect(!document.citesLines)
    }

    @Test func pptxPassagesCarryTheirSlide() throws {
        let pptx = try F.pptx([
            (F.slide(F.shape(["Intro"], placeholder: "title") + F.shape(["Ferret indexes local documents."])), nil),
            (F.slide(F.shape(["Search"], placeholder: "title") + F.shape(["Queries are answered from passages."])), "Demo here."),
        ])
        let document = try TextExtractor.extract(bytes: pptx, format: .pptx, path: "deck.pptx")
        let chunker = Chunker(maxTokens: 64) { $0.split(whereSeparator: \.isWhitespace).count }
        let passages = chunker.split(document)
        #expect(passages.count == 2)
        #expect(passages.map(\.location) == [.slide(1), .slide(2)])
        #expect(passages.last?.text.contains("Notes: Demo here.") == true)
    }
}
