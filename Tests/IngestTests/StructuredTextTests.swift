import Foundation
import Testing
@testable import Ingest

/// Container formats: sections with locations become one text whose passages never cross a section and carry the
/// section's location; locations print and parse as URL fragments.
@Suite struct StructuredTextTests {
    let words: @Sendable (String) -> Int = { $0.split(whereSeparator: \.isWhitespace).count }

    @Test func sectionsBecomeLocatedLinesAndPassagesStayInsideThem() throws {
        let pages = (1...4).map { page in
            StructuredText.Section(location: .page(page), text: page == 3 ? "  \n\n" :
                "Page \(page) opens here. It has a second sentence.\r\n\r\n\r\nAnd a paragraph after blank lines.")
        }
        let extracted = StructuredText(title: "Manual", sections: pages)
            .assemble(format: .pdf, contentHash: "h", extractor: "pdf/1")
        #expect(extracted.sections.map(\.location) == [.page(1), .page(2), .page(4)])   // the blank page is dropped
        #expect(!extracted.text.contains("\r") && !extracted.text.contains("\n\n\n"))
        #expect(extracted.title == "Manual" && extracted.extractor == "pdf/1" && !extracted.citesLines)
        let lines = extracted.text.split(separator: "\n", omittingEmptySubsequences: false)
        for section in extracted.sections {
            let first = String(lines[section.lines.lowerBound - 1]), last = String(lines[section.lines.upperBound - 1])
            guard case .page(let n) = section.location else { Issue.record("no page"); continue }
            #expect(first.hasPrefix("Page \(n) opens") && last.hasPrefix("And a paragraph"))
        }
        // A budget that would happily pack two pages into one passage still cuts at the page.
        let passages = Chunker(maxTokens: 1000, countTokens: words).split(extracted)
        #expect(passages.map(\.location) == [.page(1), .page(2), .page(4)])
        #expect(passages.allSatisfy { $0.text.hasPrefix("Page") && $0.text.hasSuffix("blank lines.") })
        #expect(passages.map(\.ordinal) == [0, 1, 2])
        for p in passages {
            let bytes = Array(extracted.text.utf8)[p.byteStart..<p.byteEnd]
            #expect(String(decoding: bytes, as: UTF8.self) == p.text)
        }
        // A small budget splits inside a page, never across.
        let small = Chunker(maxTokens: 8, countTokens: words).split(extracted)
        #expect(small.count > 3 && Set(small.map(\.location)) == [.page(1), .page(2), .page(4)])
    }

    @Test func headingsInSectionsGiveHeadingPaths() {
        let slides = [StructuredText.Section(location: .slide(1), text: "# Roadmap\n\nShip the indexer.\n\n## Risks\n\nTime."),
                      StructuredText.Section(location: .slide(2), text: "# Budget\n\nQ3 | 12,000 | approved")]
        let extracted = StructuredText(sections: slides).assemble(format: .pptx, contentHash: "h", extractor: "ooxml/1")
        #expect(extracted.title == "Roadmap")
        let passages = Chunker(maxTokens: 4, countTokens: words).split(extracted)
        let risks = passages.first { $0.text.hasSuffix("Time.") }
        #expect(risks?.headingPath == ["Roadmap", "Risks"] && risks?.location == .slide(1))
        #expect(passages.last?.location == .slide(2) && passages.last?.headingPath == ["Budget"])
    }

    @Test func locationFragmentsRoundTrip() {
        let locations: [DocumentLocation] = [.page(12), .slide(3), .chapter(2), .sheet("Q3 Budget #2 (final) 100%"), .sheet("Übersicht")]
        for location in locations {
            #expect(DocumentLocation(fragment: location.fragment) == location, "\(location.fragment)")
            #expect(!location.fragment.contains(" ") && !location.fragment.contains("#"))
        }
        #expect(DocumentLocation.page(7).page == 7 && DocumentLocation.slide(7).page == nil)
        #expect(DocumentLocation(fragment: "page=0") == nil && DocumentLocation(fragment: "page=x") == nil)
        #expect(DocumentLocation(fragment: "line=3") == nil && DocumentLocation(fragment: "page") == nil)
    }

    @Test func blankContainerIsNoTextNotAnEmptyDocument() {
        #expect(StructuredText(sections: [.init(location: .page(1), text: " \n\t")]).isBlank)
        #expect(!StructuredText(sections: [.init(location: nil, text: "x")]).isBlank)
    }
}

/// The configured command for the long tail of formats: shell-free word splitting, `{path}` substitution, failures.
@Suite struct CommandExtractorTests {
    @Test func splitsCommandLinesLikeAShellWithoutOne() {
        #expect(CommandExtractor.words("unrtf --text {path}") == ["unrtf", "--text", "{path}"])
        #expect(CommandExtractor.words(#"sh -c "tr a-z A-Z < \"{path}\"""#) == ["sh", "-c", #"tr a-z A-Z < "{path}""#])
        #expect(CommandExtractor.words("a 'b c' d\\ e ''") == ["a", "b c", "d e", ""])
        #expect(CommandExtractor.words("   ").isEmpty)
    }

    @Test func runsTheCommandAndReadsItsOutput() throws {
        let tree = try TestTree(["notes.rtf": "{\\rtf1 hello}", "a file; rm -rf x.rtf": "safe"])
        var options = IngestOptions()
        options.extractorCommands["rtf"] = "tr a-z A-Z < {path}"   // no shell: `<` is an argument, so tr fails
        #expect(throws: IngestError.self) { try TextExtractor.extract(tree.url("notes.rtf"), options: options) }
        options.extractorCommands["rtf"] = "cat {path}"
        let text = try TextExtractor.extract(tree.url("notes.rtf"), options: options)
        #expect(text.text == "{\\rtf1 hello}" && text.extractor == "command:cat {path}" && !text.citesLines)
        // A name full of shell syntax is one argument, read as a file.
        let odd = try TextExtractor.extract(tree.url("a file; rm -rf x.rtf"), options: options)
        #expect(odd.text == "safe")
        options.extractorCommands["rtf"] = "false {path}"
        do {
            _ = try TextExtractor.extract(tree.url("notes.rtf"), options: options)
            Issue.record("a failing command must fail the extraction")
        } catch let error as IngestError {
            #expect(error.reason.contains("exited with status 1"), "\(error)")
        }
        options.extractorCommands["rtf"] = "no-such-program-ferret {path}"
        #expect(throws: (any Error).self) { try TextExtractor.extract(tree.url("notes.rtf"), options: options) }
    }

    @Test func aHangingCommandIsStopped() throws {
        let tree = try TestTree(["slow.rtf": "x"])
        let extractor = CommandExtractor(command: "sh -c 'sleep 30' {path}", timeoutSeconds: 0.5)
        let started = Date()
        #expect(throws: IngestError.self) { try extractor.extract(bytes: [0x78], path: tree.url("slow.rtf").path, maxOutputBytes: 100) }
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
