import Foundation
import Testing
import TestSupport

/// A folder like the ones people have: every format Ferret reads, legacy encodings, a name that is not UTF-8, and
/// everything that must be skipped with a reason (binary, too large, unsupported, loops, dangling links). It indexes
/// to completion, reports each skip by kind, and every document is found by a word only it holds, cited by page,
/// slide, sheet or chapter where the format has them.
@Suite(.serialized) struct TortureFolderTests {
    /// word → (file, expected citation fragment or nil for line citations).
    typealias Expectation = (file: String, location: String?)

    static func build(_ root: URL) throws -> [String: Expectation] {
        var expected: [String: Expectation] = [:]
        func put(_ relative: String, _ bytes: [UInt8]) throws {
            let url = root.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        func text(_ relative: String, _ content: String) throws { try put(relative, Array(content.utf8)) }

        try text("notes/plain.md", "# Plain\n\n## Section\n\nThe zorblaxian ledger is kept here.\n")
        expected["zorblaxian"] = ("notes/plain.md", nil)
        try text("web/page.html", "<nav>Home Menu navbarword</nav><main><h1>Page</h1><p>The quillfeather method.</p></main>")
        expected["quillfeather"] = ("web/page.html", nil)
        try text("code/tool.py", "def frobnicate_widgets():\n    return 'gizmoplex'\n")
        expected["gizmoplex"] = ("code/tool.py", nil)
        // Legacy encodings, no byte-order mark, no declaration.
        try put("legacy/latin1.txt", Array("Le café crème de Noël, spécialité brûlée: marzipanique.\n".data(using: .isoLatin1)!))
        expected["marzipanique"] = ("legacy/latin1.txt", nil)
        try put("legacy/cp1252.txt", Array("Naïve “quotes” — and the œuvre of a déjà-vu: tarragonesque.\n".data(using: .windowsCP1252)!))
        expected["tarragonesque"] = ("legacy/cp1252.txt", nil)
        try put("legacy/utf16.txt", [0xFF, 0xFE] + Array("Little-endian sixteen: velvetcrumb.\n".data(using: .utf16LittleEndian)!))
        expected["velvetcrumb"] = ("legacy/utf16.txt", nil)
        // A name that is not UTF-8 (Latin-1 é), written through the raw bytes.
        let odd = root.appendingPathComponent("names").path
        try FileManager.default.createDirectory(atPath: odd, withIntermediateDirectories: true)
        let name = Array(odd.utf8) + Array("/caf".utf8) + [0xE9] + Array(".txt".utf8) + [0]
        let fd = name.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT, 0o644) }
        _ = "A note called café: pumpernickelish.\n".withCString { write(fd, $0, strlen($0)) }
        close(fd)
        expected["pumpernickelish"] = ("names/caf", nil)
        // A deep tree.
        let deep = (0..<40).map { "d\($0)" }.joined(separator: "/")
        try text("deep/\(deep)/bottom.txt", "At the bottom: abyssalith.\n")
        expected["abyssalith"] = ("bottom.txt", nil)
        // One huge line (1.5 MB) with its word at the very end.
        try text("huge/line.txt", String(repeating: "filler ", count: 220_000) + "endlineword\n")
        expected["endlineword"] = ("huge/line.txt", nil)
        try text("empty.txt", "")
        // A PDF whose word is on page 2 only.
        let pdf = MinimalPDF(pages: [
            MinimalPDF.page(["The first page is about tea."]),
            MinimalPDF.page(["The second page describes the xylophonic engine."]),
            MinimalPDF.page(["The third page is about coffee."]),
        ], title: "Engine manual")
        try put("pdf/manual.pdf", pdf.bytes())
        expected["xylophonic"] = ("pdf/manual.pdf", "page=2")

        // Office documents and an e-book, each word on a later slide, sheet or chapter where the format has them.
        typealias F = OfficeFixtures
        try put("office/report.docx", try F.docx(body: F.wordParagraph("Report", style: "Heading1")
                                                      + F.wordParagraph("The docxalicious findings."), title: "Report"))
        expected["docxalicious"] = ("office/report.docx", nil)
        try put("office/deck.pptx", try F.pptx([(F.slide(F.shape(["Kick-off"], placeholder: "title")), nil),
                                                (F.slide(F.shape(["Roadmap"], placeholder: "title") + F.shape(["The slidewhistle plan."], id: 3)), "Speaker notes.")]))
        expected["slidewhistle"] = ("office/deck.pptx", "slide=2")
        try put("office/budget.xlsx", try F.xlsx([("Summary", #"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
                                                  ("Q3 Budget", #"<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1"><v>42</v></c></row>"#)],
                                                 sharedStrings: ["Totals", "spreadsheetish"]))
        expected["spreadsheetish"] = ("office/budget.xlsx", "sheet=Q3%20Budget")
        try put("office/letter.odt", try F.odf("text", body: "<office:text><text:h text:outline-level=\"1\">Letter</text:h><text:p>The odtastic reply.</text:p></office:text>"))
        expected["odtastic"] = ("office/letter.odt", nil)
        let frame = { (text: String) in
            "<draw:frame><draw:text-box><text:p>\(text)</text:p></draw:text-box></draw:frame>"
        }
        try put("office/talk.odp", try F.odf("presentation", body: "<office:presentation><draw:page draw:name=\"p1\">" + frame("Intro")
                                             + "</draw:page><draw:page draw:name=\"p2\">" + frame("The impresslyric slide.")
                                             + "</draw:page></office:presentation>"))
        expected["impresslyric"] = ("office/talk.odp", "slide=2")
        try put("office/sheet.ods", try F.odf("spreadsheet", body: "<office:spreadsheet><table:table table:name=\"Costs\"><table:table-row>"
                                             + "<table:table-cell><text:p>calcolarium</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>"))
        expected["calcolarium"] = ("office/sheet.ods", "sheet=Costs")
        try put("books/novel.epub", try F.epub(title: "Novel", items: [
            ("c1", "one.xhtml", "one.xhtml", F.xhtml("One", "<h1>One</h1><p>The night began.</p>")),
            ("c2", "two.xhtml", "two.xhtml", F.xhtml("Two", "<h1>Two</h1><p>The lanternfish arrived.</p>")),
        ], spine: ["c1", "c2"]))
        expected["lanternfish"] = ("books/novel.epub", "chapter=2")

        // Things to skip, each with its kind.
        try put("skip/blob.txt", [0x00, 0x01, 0x02, 0x00] + Array(repeating: 0x41, count: 100))
        try put("skip/photo.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        try text("skip/big.txt", String(repeating: "too large ", count: 400_000))   // 4 MB, over the 3 MB limit
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("skip/dangling.md").path,
                                                   withDestinationPath: "nowhere.md")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("skip/loop").path,
                                                   withDestinationPath: "..")
        return expected
    }

    @Test func aFolderOfEveryKindIndexesAndEveryDocumentIsFound() throws {
        let folder = try Fixtures.temporaryDirectory().resolvingSymlinksInPath()
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = folder.appendingPathComponent("docs")
        let expected = try Self.build(root)
        let config = folder.appendingPathComponent("ferret.toml")
        try Data().write(to: config)
        let env = ["FERRET_CONFIG": config.path]
        let index = folder.appendingPathComponent("t.sqlite").path

        let run = try FerretBinary.run(["index", root.path, "--index", index, "--max-file-size", "3MB", "--json"],
                                       environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let failed = summary["failed"] as? [[String: Any]] ?? []
        #expect(failed.isEmpty, "\(failed)")
        let kinds = Dictionary(grouping: (summary["skipped"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }) { $0 }
            .mapValues(\.count)
        #expect(kinds == ["binary": 1, "unsupportedType": 1, "tooLarge": 1, "brokenSymlink": 1, "symlinkLoop": 1], "\(kinds)")
        #expect(summary["added"] as? Int == expected.count + 1, "\(summary)")   // + the empty file

        for (word, place) in expected {
            let search = try FerretBinary.run(["search", word, "--index", index, "--json", "-k", "1"], environment: env)
            let hits = try #require(try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [[String: Any]],
                                    "\(word): \(search.stderr)")
            let hit = try #require(hits.first, "\(word) found nothing")
            let path = hit["path"] as? String ?? ""
            #expect(path.contains(place.file), "\(word) → \(path)")
            #expect(hit["location"] as? String == place.location, "\(word) → \(hit)")
            if let location = place.location {
                #expect((hit["citation"] as? String)?.hasSuffix("#" + location) == true, "\(hit)")
            }
        }
        // Page chrome is not indexed.
        let nav = try FerretBinary.run(["search", "navbarword", "--index", index, "--json"], environment: env)
        #expect(nav.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "\(nav.stdout)")

        // `ask` cites the PDF by page.
        let ask = try FerretBinary.run(["ask", "What does the xylophonic engine do?", "--index", index, "--json"], environment: env)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(ask.stdout.utf8)) as? [String: Any], "\(ask.stderr)")
        let citations = answer["citations"] as? [[String: Any]] ?? []
        #expect(citations.contains { $0["location"] as? String == "page=2" && ($0["page"] as? Int) == 2 }, "\(answer)")

        // The status groups the skips; a second run changes nothing.
        let status = try FerretBinary.run(["status", "--index", index], environment: env)
        #expect(status.stdout.contains("skipped     5 files") && status.stdout.contains("failed      none"), "\(status.stdout)")
        let again = try FerretBinary.run(["index", root.path, "--index", index, "--max-file-size", "3MB"], environment: env)
        #expect(again.stdout.contains("added 0, updated 0, removed 0, unchanged \(expected.count + 1)"), "\(again.stdout)")
    }
}
