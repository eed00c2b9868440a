import Foundation
import Testing
import TestSupport
@testable import Ingest

@Suite("ODFExtractor")
struct ODFExtractorTests {
    typealias F = OfficeFixtures

    @Test func odtTextWithHeadingsListsTablesNotesAndSpacing() throws {
        let body = """
            <office:text><text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/></text:sequence-decls>
            <text:h text:style-name="Heading_20_1" text:outline-level="1">Field   guide</text:h>
            <text:p text:style-name="P1">Foxes  are
              <text:span text:style-name="T1">small</text:span> omnivores<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p text:style-name="Footnote">Mostly <text:span>nocturnal</text:span>.</text:p></text:note-body></text:note>.</text:p>
            <text:p>Two<text:s text:c="3"/>spaces,<text:s/>a<text:tab/>tab<text:line-break/>and a break.</text:p>
            <text:h text:outline-level="2">Habitat</text:h>
            <text:list text:style-name="L1"><text:list-item><text:p>Forests</text:p></text:list-item><text:list-item><text:p>Cities</text:p><text:list><text:list-item><text:p>Parks</text:p></text:list-item></text:list></text:list-item></text:list>
            <table:table table:name="Table1"><table:table-column table:number-columns-repeated="3"/>
            <table:table-row><table:table-cell office:value-type="string"><text:p>Name</text:p></table:table-cell><table:table-cell><text:p>Weight</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
            <table:table-row><table:table-cell><text:p>Red fox</text:p><text:p>(Vulpes)</text:p></table:table-cell><table:table-cell><text:p>6 kg</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
            </table:table>
            <text:p>Comment<office:annotation><dc:creator>A</dc:creator><text:p>not this</text:p></office:annotation> skipped.</text:p>
            <text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>deleted words</text:p></text:deletion></text:changed-region></text:tracked-changes>
            <text:p/>
            </office:text>
            """
        let odt = try F.odf("text", body: body, title: "Foxes")
        let result = try ODFExtractor.extract(bytes: odt, format: .odt, path: "foxes.odt")
        #expect(result.title == "Foxes")
        #expect(result.sections.count == 1)
        #expect(result.sections.first?.location == nil)
        #expect(result.sections.first?.text == """
            # Field guide

            Foxes are small omnivores[1].

            [1] Mostly nocturnal.

            Two   spaces, a\ttab
            and a break.

            ## Habitat

            - Forests
            - Cities
            - Parks

            Name | Weight
            Red fox (Vulpes) | 6 kg

            Comment skipped.
            """)
    }

    @Test func odpOneSectionPerPageWithTitleAndNotes() throws {
        func frame(_ kind: String, _ paragraphs: [String]) -> String {
            #"<draw:frame presentation:style-name="pr1" presentation:class="\#(kind)" svg:width="10cm" svg:height="2cm"><draw:text-box>"#
                + paragraphs.map { "<text:p>\($0)</text:p>" }.joined() + "</draw:text-box></draw:frame>"
        }
        let body = "<office:presentation>"
            + #"<draw:page draw:name="page1" draw:master-page-name="Default">"# + frame("title", ["Kick-off"])
            + frame("subtitle", ["Spring 2025"]) + frame("page-number", ["1"]) + "</draw:page>"
            + #"<draw:page draw:name="page2">"# + frame("outline", [])
                .replacingOccurrences(of: "<draw:text-box>", with: "<draw:text-box><text:list><text:list-item><text:p>Scope</text:p></text:list-item><text:list-item><text:p>Budget</text:p></text:list-item></text:list>")
            + frame("title", ["Agenda"])
            + #"<presentation:notes><draw:page-thumbnail draw:page="2"/>"# + frame("notes", ["Keep it short.", "Ask for questions."])
            + "</presentation:notes></draw:page>"
            + "<draw:page draw:name=\"page3\"/>"
            + "</office:presentation>"
        let odp = try F.odf("presentation", body: body)
        let result = try ODFExtractor.extract(bytes: odp, format: .odp, path: "kickoff.odp")
        #expect(result.title == nil)
        #expect(result.sections.map(\.location) == [.slide(1), .slide(2), .slide(3)])
        #expect(result.sections.map(\.text) == [
            "# Kick-off\n\nSpring 2025",
            "# Agenda\n\n- Scope\n- Budget\n\nNotes: Keep it short.\nAsk for questions.",
            "",
        ])
    }

    @Test func odsOneSectionPerSheetWithRepeatsCapped() throws {
        let body = """
            <office:spreadsheet><table:calculation-settings table:automatic-find-labels="false"/>
            <table:table table:name="Q3 Budget"><table:table-column table:number-columns-repeated="4"/>
            <table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="string"><text:p>Item</text:p></table:table-cell><table:table-cell><text:p>Cost</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>Pens</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="2.5"><text:p>2.50</text:p></table:table-cell></table:table-row>
            <table:table-row><table:table-cell table:number-columns-repeated="2"/><table:covered-table-cell/><table:table-cell table:number-columns-repeated="2"><text:p>x</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
            </table:table>
            <table:table table:name="Empty"><table:table-row><table:table-cell/></table:table-row></table:table>
            <table:named-expressions/></office:spreadsheet>
            """
        let ods = try F.odf("spreadsheet", body: body, title: "Budget")
        let result = try ODFExtractor.extract(bytes: ods, format: .ods, path: "budget.ods")
        #expect(result.title == "Budget")
        #expect(result.sections.map(\.location) == [.sheet("Q3 Budget"), .sheet("Empty")])
        #expect(result.sections.map(\.text) == [
            "# Q3 Budget\n\nItem | Cost\nPens | 2.50\nPens | 2.50\nPens | 2.50\n | x | x",
            "",
        ])
    }

    @Test func passwordProtectedODFIsASkip() throws {
        let odt = try F.odf("text", body: "<office:text><text:p>secret</text:p></office:text>", encrypted: true)
        let error = #expect(throws: IngestError.self) {
            try ODFExtractor.extract(bytes: odt, format: .odt, path: "secret.odt")
        }
        guard case .noText(_, let reason) = error else { Issue.record("expected noText, got \(String(describing: error))"); return }
        #expect(reason.contains("password-protected") && reason.hasSuffix("remove the password to index it"))
    }

    @Test func inlineTextCollapsesMarkupWhitespaceOnly() {
        var text = ODFInlineText()
        text.appendCollapsing("  a \n\t b ")
        text.appendLiteral("  ")
        text.appendCollapsing(" c")
        #expect(text.text == "a b   c")
    }
}
