import Foundation
import Testing
import TestSupport
@testable import Ingest

/// `PDFExtractor` end to end through poppler's `pdftotext` (poppler-utils must be installed; CI installs it). The
/// PDFs are written by `MinimalPDF`; the encrypted ones by `qpdf` when it is installed.
@Suite("PDFExtractor")
struct PDFExtractorTests {
    func extract(_ pdf: MinimalPDF) throws -> StructuredText {
        try PDFExtractor.extract(bytes: pdf.bytes(), format: .pdf, path: "test.pdf")
    }

    func error(_ bytes: [UInt8]) -> IngestError? {
        do {
            _ = try PDFExtractor.extract(bytes: bytes, format: .pdf, path: "test.pdf")
            return nil
        } catch {
            return error as? IngestError
        }
    }

    @Test func everyPageIsASectionLocatedByItsNumber() throws {
        let doc = try extract(MinimalPDF(pages: [
            MinimalPDF.page(["First page text."]),
            MinimalPDF.page(["Second page text."]),
            MinimalPDF.page(["Third page text."]),
        ]))
        #expect(doc.sections.map(\.location) == [.page(1), .page(2), .page(3)])
        #expect(doc.sections.map(\.text) == ["First page text.", "Second page text.", "Third page text."])
        #expect(doc.warnings.isEmpty)
        #expect(doc.title == nil)
    }

    @Test func wordsHyphenatedAtLineEndsAreJoinedAndRealHyphensKept() throws {
        let doc = try extract(MinimalPDF(pages: [MinimalPDF.page([
            "The opera-",
            "tion of a well-",
            "Known system from 1990-",
            "2000 is state-of-the-",
            "art and non-",
            "linear; we say non-linear here.",
        ])]))
        #expect(doc.sections.first?.text == "The operation of a well-Known system from 1990-2000 is state-of-the-art "
            + "and non-linear; we say non-linear here.")
    }

    @Test func linesBecomeParagraphsSetApartBySpaceOrIndent() throws {
        let doc = try extract(MinimalPDF(pages: [MinimalPDF.page([
            "The first paragraph has two lines that belong to one",
            "sentence, which ends here.",
            "",
            "The second one follows a blank line. It ends",
            "on this short line.",
            "\tThe third starts with an indent,",
            "and ends here.",
        ])]))
        #expect(doc.sections.first?.text == """
            The first paragraph has two lines that belong to one sentence, which ends here.

            The second one follows a blank line. It ends on this short line.

            The third starts with an indent, and ends here.
            """)
    }

    @Test func runningHeadersFootersAndPageNumbersAreDropped() throws {
        // Body lines differ by a word: lines equal but for their numbers would count as running lines too.
        let topics = ["lions", "tigers", "bears", "owls", "eels", "moths"]
        let pages = (1...6).map { n in
            MinimalPDF.page(["This page is about \(topics[n - 1])."],
                            header: n % 2 == 0 ? "Manual v2 — \(n + 16)" : "Chapter One: Getting Started",
                            footer: "Page \(n) of 6")
        }
        let doc = try extract(MinimalPDF(pages: pages))
        #expect(doc.sections.map(\.text) == topics.map { "This page is about \($0)." })

        // A bare page number goes even in a short document; a repeated header stays (too few pages to tell).
        let short = try extract(MinimalPDF(pages: (1...3).map { n in
            MinimalPDF.page(["Body \(n)."], header: "Short Report", footer: "- \(n) -")
        }))
        #expect(short.sections.map(\.text) == (1...3).map { "Short Report\n\nBody \($0)." })
    }

    @Test func blankPagesGiveEmptySectionsAndAWarning() throws {
        let doc = try extract(MinimalPDF(pages: [
            MinimalPDF.page(["Before."]), MinimalPDF.page([]), MinimalPDF.imageOnlyPage, MinimalPDF.page(["After."]),
        ]))
        #expect(doc.sections.map(\.location) == [.page(1), .page(2), .page(3), .page(4)])
        #expect(doc.sections.map(\.text) == ["Before.", "", "", "After."])
        #expect(doc.warnings == ["2 of 4 pages have no text (blank, or scanned without a text layer)"])
    }

    @Test func aPDFWithoutTextIsSkippedAsHavingNoTextLayer() {
        let scan = MinimalPDF(pages: [MinimalPDF.imageOnlyPage, MinimalPDF.imageOnlyPage, MinimalPDF.page([])])
        let error = error(scan.bytes())
        guard case .noText(let file, let reason) = error else {
            Issue.record("expected noText, got \(String(describing: error))")
            return
        }
        #expect(file == "test.pdf")
        #expect(reason.hasPrefix("no text layer (a scanned or image-only PDF); "))
    }

    @Test func titleComesFromTheDocumentInformation() throws {
        let page = MinimalPDF.page(["Text."])
        #expect(try extract(MinimalPDF(pages: [page], title: "Ünïcode <Guide> & “Notes”")).title
                == "Ünïcode <Guide> & “Notes”")
        #expect(try extract(MinimalPDF(pages: [page], title: "  ")).title == nil)
    }

    @Test func garbageIsMalformedQuotingPoppler() {
        let error = error(Array("this is not a PDF at all\n".utf8))
        guard case .malformed(_, let format, let part, let detail) = error else {
            Issue.record("expected malformed, got \(String(describing: error))")
            return
        }
        #expect(format == "PDF")
        #expect(part == "header")
        #expect(detail.contains("Error"))
        #expect(self.error([]) != nil)
    }

    @Test func truncatedFilesNeverCrashAndKeepWhatPopplerReads() throws {
        let full = MinimalPDF(pages: (1...5).map { MinimalPDF.page(["Page \($0) has some text on it."]) }).bytes()
        for cut in [10, 100, full.count / 3, full.count / 2, full.count - 40, full.count - 5] {
            do {
                let doc = try PDFExtractor.extract(bytes: Array(full.prefix(cut)), format: .pdf, path: "cut.pdf")
                // Poppler rebuilds a damaged cross-reference table when it can: the pages it finds are kept.
                #expect(doc.sections.allSatisfy { $0.location?.page != nil })
            } catch let error as IngestError {
                switch error {
                case .malformed, .extractorFailed, .noText: break
                default: Issue.record("cut at \(cut): unexpected \(error)")
                }
            }
        }
    }

    @Test(.enabled(if: ProcessRunner.locate("qpdf") != nil, "qpdf is not installed (apt-get install qpdf)"))
    func encryptedPDFsNeedingAPasswordAreSkipped() throws {
        let tree = try TestTree()
        try tree.write("plain.pdf", bytes: MinimalPDF(pages: [MinimalPDF.page(["Secret text."])]).bytes())
        func encrypt(_ arguments: [String], to name: String) throws -> [UInt8] {
            let run = try ProcessRunner.run(program: "qpdf", arguments: ["--encrypt"] + arguments
                                            + ["--", tree.url("plain.pdf").path, tree.url(name).path],
                                            timeoutSeconds: 30, maxOutputBytes: 1 << 16)
            #expect(run.status == 0, "qpdf: \(String(decoding: run.standardError, as: UTF8.self))")
            return Array(try Data(contentsOf: tree.url(name)))
        }
        let userPassword = try encrypt(["user", "owner", "256"], to: "user.pdf")
        #expect(error(userPassword) == .noText(file: "test.pdf", reason: PDFExtractor.encryptedReason))
        // Only an owner password (copying "not allowed"): poppler opens it, and so do we.
        let ownerOnly = try encrypt(["", "owner", "256", "--extract=n"], to: "owner.pdf")
        let doc = try PDFExtractor.extract(bytes: ownerOnly, format: .pdf, path: "owner.pdf")
        #expect(doc.sections.map(\.text) == ["Secret text."])
    }

    @Test func aProgramThatExitsWithoutReadingItsInputDoesNotEndFerret() throws {
        // PDFExtractor hands the bytes to pdftotext on standard input; if poppler dies early, the write fails
        // (EPIPE) instead of raising a SIGPIPE that would end this process.
        let run = try ProcessRunner.run(program: "true", arguments: [], input: [UInt8](repeating: 0x25, count: 8 << 20),
                                        timeoutSeconds: 30, maxOutputBytes: 1024)
        #expect(run.status == 0)
    }

    @Test func passagesCarryTheirPageAndNeverSpanTwo() throws {
        // Words, not digits, tell the pages apart: lines equal but for their numbers at the top or bottom of every
        // page would be taken for running headers.
        let names = ["one", "two", "three", "four"]
        let pages = names.map { name in
            MinimalPDF.page(["Sentences on page \(name) are long enough to need a passage of their own soon."]
                + (1...5).map { "Sentence \(names[$0 % 4]) of page \(name) is long enough to need its own passage." }
                + ["Page \(name) ends here."], footer: "\(names.firstIndex(of: name)! + 1)")
        }
        let bytes = MinimalPDF(pages: pages + [MinimalPDF.page([])], title: "Passages").bytes()
        let extracted = try TextExtractor.extract(bytes: bytes, format: .pdf, path: "book.pdf")
        #expect(extracted.title == "Passages")
        #expect(extracted.extractor == "pdf/1")
        #expect(!extracted.citesLines)
        #expect(extracted.sections.map(\.location) == (1...4).map { .page($0) })

        let passages = Chunker(maxTokens: 60, countTokens: approximateBPE).split(extracted)
        #expect(passages.count > 4)
        for page in 1...4 {
            let onPage = passages.filter { $0.location == .page(page) }
            #expect(!onPage.isEmpty)
            #expect(onPage.last?.text.hasSuffix("Page \(names[page - 1]) ends here.") == true)
        }
        for passage in passages {
            #expect(passage.location?.page != nil)
            #expect(passage.text.components(separatedBy: "ends here.").count <= 2, "spans two pages: \(passage.text)")
        }
    }
}
