import Testing
import TestSupport
@testable import Ingest

/// The pure part of PDF extraction, without poppler: reading `-bbox-layout` output, running headers and footers,
/// joining lines into paragraphs.
@Suite("PDF page text")
struct PDFPageTextTests {
    /// A page of one block per entry, each line a string of space-separated words, lines 14 points apart from
    /// `top`, all from x = 72 to x = 540 unless given.
    func page(_ blocks: [[String]], top: Double = 100) -> PDFLayout.Page {
        var y = top
        return PDFLayout.Page(blocks: blocks.map { lines in
            PDFLayout.Block(lines: lines.map { text in
                defer { y += 14 }
                return PDFLayout.Line(words: text.split(separator: " ").map(String.init), top: y, bottom: y + 10,
                                      left: 72, right: 540)
            })
        })
    }

    @Test func bboxLayoutOutputIsReadWithEntitiesDecoded() {
        let xhtml = """
            <!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><head>
            <title>A &lt;b&gt; &amp; &quot;c&quot;</title>
            </head><body><doc>
              <page width="612.000000" height="792.000000"><flow>
                <block xMin="72.0" yMin="84.1" xMax="300.0" yMax="108.2">
                  <line xMin="72.0" yMin="84.1" xMax="300.0" yMax="94.2">
                    <word xMin="72.0" yMin="84.1" xMax="90.9" yMax="94.2">x&gt;y</word>
                    <word xMin="94.0" yMin="84.1" xMax="119.6" yMax="94.2">&apos;q&apos;&#233;</word>
                  </line>
                  <line xMin="72.0" yMin="98.1" xMax="200.0" yMax="108.2"><word>second</word></line>
                </block>
              </flow></page>
              <page width="612.000000" height="792.000000">
              </page>
            </doc></body></html>
            """
        let layout = PDFLayout(bboxLayout: Array(xhtml.utf8))
        #expect(layout.title == "A <b> & \"c\"")
        #expect(layout.isComplete)
        #expect(layout.pages == [
            PDFLayout.Page(blocks: [PDFLayout.Block(lines: [
                PDFLayout.Line(words: ["x>y", "'q'é"], top: 84.1, bottom: 94.2, left: 72, right: 300),
                PDFLayout.Line(words: ["second"], top: 98.1, bottom: 108.2, left: 72, right: 200),
            ])]),
            PDFLayout.Page(blocks: []),
        ])
        // Cut inside the second page: the first is kept, the output is known to be incomplete.
        let cut = PDFLayout(bboxLayout: Array(xhtml.utf8.prefix(xhtml.utf8.count - 30)))
        #expect(cut.pages.count == 1)
        #expect(!cut.isComplete)
        #expect(PDFLayout(bboxLayout: Array("<<<page><block><line><word>&#xZZ;<".utf8)).pages.isEmpty)
    }

    @Test func runningLinesMatchIgnoringNumbersCaseAndSpacing() {
        #expect(PDFRunningLines.key("Page 3 of 120") == PDFRunningLines.key("page  17 of 120"))
        #expect(PDFRunningLines.key("Manual v2 — 17") == "manual v# — #")
        #expect(PDFRunningLines.key("Chapter 3") != PDFRunningLines.key("Chapter Three"))
    }

    @Test(arguments: ["17", "- 17 -", "— 4 —", "17 / 300", "Page 17", "page 17 of 300", "p. 4", "[iv]", "xiv", "(3)"])
    func barePageNumbersAreRecognised(line: String) {
        #expect(PDFRunningLines.isPageNumber(line))
    }

    @Test(arguments: ["Chapter 3", "2023 Annual Report", "mix", "civil", "I", "Page", "see page 4 for details", ""])
    func otherLinesAreNotPageNumbers(line: String) {
        #expect(!PDFRunningLines.isPageNumber(line))
    }

    @Test func runningLinesAreFoundOnlyAtPageEdgesOnEnoughPages() {
        // A header on 4 of 8 pages (the even ones), a footer on all, a body line equal on every page but not at an
        // edge. Numbers do not tell lines apart, so the other lines differ by a word.
        let names = ["one", "two", "three", "four", "five", "six", "seven", "eight"]
        let pages = (1...8).map { n in
            page([[n % 2 == 0 ? "The Book Title" : "Opening of \(names[n - 1])"], ["Body \(names[n - 1]) starts."],
                  ["Same middle line."], ["More body."], ["Body \(names[n - 1]) ends."], ["\(n) | The Book"]])
        }
        let drops = PDFRunningLines.find(in: pages)
        for (n, dropped) in zip(1..., drops) {
            let expected: Set<PDFRunningLines.Position> = n % 2 == 0 ? [.init(block: 0, line: 0), .init(block: 5, line: 0)]
                : [.init(block: 5, line: 0)]
            #expect(dropped == expected, "page \(n)")
        }
        // Three pages are too few to call a repeated line a header; a page number still goes.
        let short = PDFRunningLines.find(in: (1...3).map { page([["Report"], ["Body \($0)."], ["\($0)"]]) })
        #expect(short == Array(repeating: [.init(block: 2, line: 0)], count: 3))
    }

    @Test func hyphensAtLineEndsFollowTheRule() {
        let joiner = PDFParagraphs(vocabulary: ["non-linear", "e-mail"])
        #expect(joiner.joint(after: "opera-", before: "tion") == .joinWord)
        #expect(joiner.joint(after: "opera-", before: "tion.") == .joinWord)
        #expect(joiner.joint(after: "well-", before: "Known") == .keepHyphen)
        #expect(joiner.joint(after: "1990-", before: "2000") == .keepHyphen)
        #expect(joiner.joint(after: "pre-", before: "2000") == .keepHyphen)
        #expect(joiner.joint(after: "state-of-the-", before: "art") == .keepHyphen)
        #expect(joiner.joint(after: "non-", before: "linear") == .keepHyphen)
        #expect(joiner.joint(after: "e-", before: "mail") == .keepHyphen)
        #expect(joiner.joint(after: "inter-", before: "national") == .joinWord)
        #expect(joiner.joint(after: "-", before: "five") == .space)
        #expect(joiner.joint(after: "word", before: "next") == .space)
        #expect(joiner.joint(after: "hyphen\u{AD}", before: "ation") == .joinWord)
        #expect(PDFParagraphs(vocabulary: ["non-linear", "nonlinear"]).joint(after: "non-", before: "linear") == .joinWord)
        #expect(joiner.paragraph([["The", "opera-"], ["tion", "is", "well-"], ["Known."]]) == "The operation is well-Known.")
    }

    @Test func bulletLinesBecomeListItems() {
        let joiner = PDFParagraphs(vocabulary: [])
        #expect(joiner.paragraph([["Steps:"], ["•", "install", "the"], ["tools"], ["•run", "it"], ["-", "done"]])
                == "Steps:\n- install the tools\n- run it\n- done")
        #expect(PDFParagraphs.listItem(["•"]) == nil)
        #expect(PDFParagraphs.listItem(["-5", "degrees"]) == nil)
    }

    @Test func paragraphsEndAtShortOrIndentedLinesAfterASentence() {
        func line(_ text: String, left: Double = 72, right: Double = 540) -> PDFLayout.Line {
            PDFLayout.Line(words: text.split(separator: " ").map(String.init), left: left, right: right)
        }
        let lines = [line("A full line that ends a sentence."), line("Then a short one ends.", right: 300),
                     line("A full line ends too."), line("Indented next.", left: 90), line("Last")]
        #expect(PDFParagraphs.paragraphEnds(lines) == [1, 2, 4])
        #expect(PDFParagraphs.paragraphEnds([line("Only one short line.", right: 100)]) == [0])
        #expect(PDFParagraphs.endsSentence("end.”"))
        #expect(PDFParagraphs.endsSentence("終わり。"))
        #expect(!PDFParagraphs.endsSentence("e.g"))
    }

    @Test func wordsAreCleaned() {
        #expect(PDFPageText.cleanedWords("ﬁle") == ["file"])
        #expect(PDFPageText.cleanedWords("zero\u{200B}width") == ["zerowidth"])
        #expect(PDFPageText.cleanedWords("two\u{A0}words\n") == ["two", "words"])
        #expect(PDFPageText.cleanedWords("soft\u{AD}hy\u{AD}") == ["softhy\u{AD}"])
        #expect(PDFPageText.cleanedWords("\u{AD}\u{7}") == [])
    }

    @Test func pagesAreAssembledFromTheLayout() {
        let layout = PDFLayout(pages: [
            page([["A para-", "graph ends."], ["Next block."]]),
            PDFLayout.Page(blocks: []),
            page([["", "  "], ["Soft\u{AD}", "hyphen\u{AD} in the middle."]]),
        ])
        let result = PDFPageText.pages(of: layout)
        #expect(result.pages == ["A paragraph ends.\n\nNext block.", "", "Softhyphen in the middle."])
        #expect(result.droppedLines == 0)
    }
}
