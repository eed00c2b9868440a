import Foundation
import Testing
import TestSupport

/// `ferret ask` end to end on a small lexical index and on the tiny fixture models.
@Suite struct AskCommandTests {
    struct Outcome: Decodable {
        struct Citation: Decodable {
            struct Span: Decodable { let text: String; let start: Int; let end: Int; let utf8_start: Int; let utf8_end: Int }
            let n: Int; let path: String?; let quote: String?; let verified: Bool; let support: String; let span: Span?
        }
        struct Unsupported: Decodable { let claim: String; let cited: [Int] }
        struct Passage: Decodable { let path: String; let text: String }
        let answer: String
        let citations: [Citation]
        let passages: [Passage]
        let abstained: Bool
        let extracted: Bool
        let dropped_passages: [Int64]
        let unsupported: [Unsupported]
        let mostly_unsupported: Bool
    }

    /// A lexical index of three notes, and its folder.
    func makeIndex() throws -> (folder: URL, index: String) {
        let folder = try Fixtures.temporaryDirectory()
        let notes = try SampleNotes.write(under: folder)
        let index = folder.appendingPathComponent("i.sqlite").path
        let result = try FerretBinary.run(["index", notes.path, "--index", index])
        #expect(result.status == 0, "\(result.stderr)")
        return (folder, index)
    }

    @Test func extractiveAnswerCitesTheRightFile() throws {
        let (folder, index) = try makeIndex()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try FerretBinary.run(["ask", "How often should the kettle be descaled?", "--index", index, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let outcome = try JSONDecoder().decode(Outcome.self, from: Data(result.stdout.utf8))
        #expect(outcome.extracted && !outcome.abstained)
        #expect(outcome.answer.hasPrefix("Extracted from your files"))
        let first = try #require(outcome.citations.first)
        #expect(first.verified && first.path?.hasSuffix("kettle.md") == true, "\(outcome.citations)")
        let span = try #require(first.span).text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(first.support == "quoted" && first.quote?.hasPrefix(span) == true && span.count > 20, "\(first)")
        #expect(outcome.unsupported.isEmpty && !outcome.mostly_unsupported)
        #expect(outcome.answer.contains("Descale it every month"))

        let text = try FerretBinary.run(["ask", "How often should the kettle be descaled?", "--index", index])
        #expect(text.stdout.contains("Sources") && text.stdout.contains("kettle.md"), "\(text.stdout)")
        // The Sources block shows the supporting words.
        #expect(text.stdout.contains("“The kettle switches off by itself when the water boils”"), "\(text.stdout)")

        // --jsonl: the citation and source events come before `done`, one per extracted sentence.
        let lines = try FerretBinary.run(["ask", "How often should the kettle be descaled?", "--index", index, "--jsonl"])
            .stdout.split(separator: "\n").map(String.init)
        let types = try lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["type"] as? String
        }
        #expect(types.first == "delta" && types.last == "done", "\(types)")
        #expect(types.filter { $0 == "citation" }.count == outcome.citations.count, "\(types)")
        #expect(types.contains("source") && types.firstIndex(of: "citation")! < types.firstIndex(of: "source")!)
    }

    /// With an encoder the sentences are chosen by MaxSim token alignment over the vectors stored in the index.
    @Test func extractiveAnswerWithAnEncoderQuotesVerifiedSentences() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = folder.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        try Data("""
            # Kettles
            The kettle switches off by itself when the water
            boils. Descale it every month with vinegar.
            - Empty it after use.
            """.utf8).write(to: notes.appendingPathComponent("kettle.md"))
        try Data("Tea is grown on hillsides. 緑茶は摘んだ後すぐに蒸します。\n".utf8).write(to: notes.appendingPathComponent("tea.md"))
        let index = folder.appendingPathComponent("i.sqlite").path
        let model = Fixtures.url("colbert-causal-tiny").path
        let indexed = try FerretBinary.run(["index", notes.path, "--index", index, "--model", model])
        #expect(indexed.status == 0, "\(indexed.stderr)")

        let result = try FerretBinary.run(["ask", "When should the kettle be descaled?", "--index", index, "--model", model,
                                           "--min-score", "0", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let outcome = try JSONDecoder().decode(Outcome.self, from: Data(result.stdout.utf8))
        #expect(outcome.extracted && !outcome.abstained)
        #expect(!outcome.citations.isEmpty)
        for citation in outcome.citations {
            let quote = try #require(citation.quote)
            #expect(citation.verified && !quote.isEmpty && !quote.hasPrefix("#") && !quote.hasPrefix("- "), "\(citation)")
            #expect(outcome.answer.contains(quote + " [\(citation.n)]"))
        }
    }

    @Test func abstainsWithStatusOneWhenNothingMatches() throws {
        let (folder, index) = try makeIndex()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try FerretBinary.run(["ask", "quantum chromodynamics", "--index", index, "--json"])
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        let outcome = try JSONDecoder().decode(Outcome.self, from: Data(result.stdout.utf8))
        #expect(outcome.abstained && outcome.answer.contains("found nothing"))
        // A floor above every score abstains too.
        let strict = try FerretBinary.run(["ask", "kettle", "--index", index, "--min-score", "1000"])
        #expect(strict.status == 1 && strict.stdout.contains("found nothing"))
    }

    @Test func chatWorksWithPipedInput() throws {
        let (folder, index) = try makeIndex()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("input.txt")
        try Data("How often should the kettle be descaled?\n/sources\n/reset\n/sources\nquantum chromodynamics\n/quit\nnever read\n".utf8)
            .write(to: script)
        let result = try FerretBinary.run(["chat", "--index", index], standardInput: script)
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("Descale it every month"), "\(out)")
        #expect(out.contains("kettle.md"), "\(out)")
        #expect(out.contains("(conversation forgotten)") && out.contains("(the last answer cites no passage)"), "\(out)")
        #expect(out.contains("found nothing") && !out.contains("never read"), "\(out)")
    }

    /// A follow-up that names nothing ("And how often?") is retrieved with the subject of the question before it; a
    /// turn that fails (a question longer than the generator's context) is reported and the chat goes on; `/save`
    /// writes the transcript with its sources.
    @Test func chatRewritesFollowUpsRecoversFromErrorsAndSaves() throws {
        let (folder, index) = try makeIndex()
        defer { try? FileManager.default.removeItem(at: folder) }
        let transcript = folder.appendingPathComponent("chat.md")
        let script = folder.appendingPathComponent("input.txt")
        try Data("How should the kettle be descaled?\nAnd how often?\n/save \(transcript.path)\n/quit\n".utf8).write(to: script)
        let followUp = try FerretBinary.run(["chat", "--index", index], standardInput: script)
        #expect(followUp.status == 0, "\(followUp.stderr)")
        let answers = followUp.stdout.components(separatedBy: "Extracted from your files")
        #expect(answers.count == 3 && answers[2].contains("every month"), "the follow-up was not understood: \(followUp.stdout)")
        let saved = try String(contentsOf: transcript, encoding: .utf8)
        #expect(saved.contains("## And how often?") && saved.contains("kettle.md"), "\(saved)")

        let generator = Fixtures.url("lfm2-tiny").path
        let long = String(repeating: "kettle descale vinegar water ", count: 400)
        try Data("\(long)\nkettle descale\n/quit\n".utf8).write(to: script)
        let recovered = try FerretBinary.run(["chat", "--index", index, "--generator", generator, "--max-tokens", "4"],
                                             standardInput: script)
        #expect(recovered.status == 0, "a failed turn ended the chat: \(recovered.stderr)")
        #expect(recovered.stderr.contains("error:"), "\(recovered.stderr)")
        #expect(recovered.stdout.split(separator: "\n").contains { !$0.isEmpty }, "the next turn was not answered")
    }

    /// Retrieval in the loop: a folder indexed with the fixture encoder, a question answered by the fixture generator
    /// from the passages that hybrid retrieval found in that index (not fixed passages).
    @Test func askIndexesRetrievesAndGeneratesEndToEnd() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = try SampleNotes.write(under: folder)
        let index = folder.appendingPathComponent("i.sqlite").path
        let encoder = Fixtures.url("colbert-causal-tiny").path, generator = Fixtures.url("lfm2-tiny").path
        let indexed = try FerretBinary.run(["index", notes.path, "--index", index, "--model", encoder])
        #expect(indexed.status == 0 && indexed.stdout.contains("added 3"), "\(indexed.stdout)\(indexed.stderr)")
        // Random weights give random similarities: --min-score -1 keeps every retrieved passage.
        let result = try FerretBinary.run(["ask", "How often should the kettle be descaled?", "--index", index,
                                           "--model", encoder, "--generator", generator, "--max-tokens", "8",
                                           "--min-score=-1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let outcome = try JSONDecoder().decode(Outcome.self, from: Data(result.stdout.utf8))
        #expect(!outcome.extracted && !outcome.abstained)
        // The prompt held passages of the indexed files, found through the encoder.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let passages = try #require(object["passages"] as? [[String: Any]])
        let paths = Set(passages.compactMap { $0["path"] as? String }.map { URL(fileURLWithPath: $0).lastPathComponent })
        #expect(!paths.isEmpty && paths.isSubset(of: ["tea.md", "kettle.md", "bike.md"]), "\(paths)")
        #expect(passages.allSatisfy { ($0["text"] as? String).map { !$0.isEmpty } ?? false })
    }

    @Test func generatedAnswerStreamsEventsWithTheFixtureGenerator() throws {
        let (folder, index) = try makeIndex()
        defer { try? FileManager.default.removeItem(at: folder) }
        let generator = Fixtures.url("lfm2-tiny").path
        let result = try FerretBinary.run(["ask", "kettle descale", "--index", index, "--generator", generator,
                                           "--max-tokens", "12", "--jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("\"delta\"") == true && lines.last?.contains("\"done\"") == true, "\(lines)")
        let json = try FerretBinary.run(["ask", "kettle descale", "--index", index, "--generator", generator,
                                         "--max-tokens", "12", "--json"])
        let outcome = try JSONDecoder().decode(Outcome.self, from: Data(json.stdout.utf8))
        #expect(!outcome.extracted && !outcome.abstained && outcome.passages.contains { $0.path.hasSuffix("kettle.md") })
        // Every marker the (random) model wrote is reported, verified or flagged — none silently kept.
        let markers = outcome.answer.matches(of: /\[(\d+)\]/).compactMap { Int($0.1) }
        #expect(markers.count <= outcome.citations.count, "markers \(markers), citations \(outcome.citations.count)")
        #expect(Set(markers).isSubset(of: Set(outcome.citations.map(\.n))))
        // Greedy: the streamed run wrote the same answer, and one citation event per citation, all before `done`.
        let citationEvents = lines.filter { $0.contains("\"type\":\"citation\"") }.count
        #expect(citationEvents == outcome.citations.count, "\(lines)")
        #expect(lines.last?.contains("\"mostly_unsupported\"") == true && lines.last?.contains("\"unsupported\"") == true)
    }
}
