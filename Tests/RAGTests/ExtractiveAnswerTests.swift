import RAG
import Testing

/// The answer without a generator: the best sentences, labelled, each with its citation.
@Suite struct ExtractiveAnswerTests {
    let passages = [
        RetrievedPassage(passageID: 1, path: "rivers.md", lineStart: 1, lineEnd: 6, text: """
            The valley is quiet in winter. The river floods every spring!
            Farmers move their herds before the river floods. Version 3.14 of the report says so.
            """, score: 0.9),
        RetrievedPassage(passageID: 2, path: "jp.md", lineStart: 2, lineEnd: 2,
                         text: "川は春に氾濫します。冬は静かです。", score: 0.7),
    ]

    @Test func splitsSentences() {
        #expect(SentenceSplitter.sentences("A b. C d! E f? Pi is 3.14 ok.\nLine two\n\n東京です。大阪！") ==
                ["A b.", "C d!", "E f?", "Pi is 3.14 ok.", "Line two", "東京です。", "大阪！"])
    }

    @Test func wrappedProseIsJoinedButListsAndHeadingsAreNot() {
        let text = """
            # How gears work
            In China, craftsmen carved a page into a block of wood, inked it  
            and pressed paper on it. Gutenberg worked around
            1450 in Mainz.
            - first item
            - second item
            1. numbered
            > quoted line
            """
        #expect(SentenceSplitter.sentences(text) == [
            "How gears work",
            "In China, craftsmen carved a page into a block of wood, inked it and pressed paper on it.",
            "Gutenberg worked around 1450 in Mainz.", "first item", "second item", "1. numbered", "quoted line"])
        #expect(SentenceSplitter.sentences("-5 °C at night\n*not* a bullet") == ["-5 °C at night", "*not* a bullet"])
        #expect(SentenceSplitter.sentences("\"\"\"Gear ratios.\n// A comment") == ["Gear ratios.", "A comment"])
    }

    @Test func headingsRankBelowSentencesThatMatchAsWell() {
        let passage = RetrievedPassage(passageID: 1, path: "k.md", lineStart: 1, lineEnd: 3,
                                       text: "# Kettle descaling\nDescale the kettle with vinegar every month.\n", score: 1)
        let result = ExtractiveAnswer.answer(question: "kettle descaling", passages: [passage], maxSentences: 1) { _ in 1 }
        #expect(result.citations.map(\.quote) == ["Descale the kettle with vinegar every month."])
    }

    @Test func sentenceSpansPointAtTheirBytes() throws {
        let text = "  Héllo wörld. Second one!\r\n\t東京です。大阪！ Pi is 3.14 ok.\n"
        let bytes = Array(text.utf8)
        let spans = SentenceSplitter.spans(text)
        #expect(spans.map(\.text) == SentenceSplitter.sentences(text))
        #expect(spans.count == 5)
        for span in spans {
            #expect(String(decoding: bytes[span.utf8Range], as: UTF8.self) == span.text, "\(span)")
        }
        // A wrapped sentence's range covers both lines, line break included; its text has a space there.
        let wrapped = "Rain falls on the\nhills. Done."
        let first = try #require(SentenceSplitter.spans(wrapped).first)
        #expect(first.text == "Rain falls on the hills.")
        #expect(String(decoding: Array(wrapped.utf8)[first.utf8Range], as: UTF8.self) == "Rain falls on the\nhills.")
    }

    @Test func picksTheBestSentencesInDocumentOrderWithCitations() {
        let result = ExtractiveAnswer.answer(
            question: "When does the river flood?", passages: passages, maxSentences: 2,
            scorer: ExtractiveAnswer.wordOverlapScorer(question: "When does the river flood?"))
        let lines = result.text.split(separator: "\n").map(String.init)
        #expect(lines.first == ExtractiveAnswer.label)
        // Both picked sentences come from passage 1 and keep their order in the passage.
        #expect(Array(lines.dropFirst()) == ["The river floods every spring! [1]",
                                             "Farmers move their herds before the river floods. [1]"])
        #expect(result.citations.map(\.n) == [1, 1])
        #expect(result.citations.allSatisfy { $0.verified && $0.passageID == 1 && $0.path == "rivers.md" })
        #expect(result.citations[0].quote == "The river floods every spring!")
        // The answer's own markers check out with the citation checker too.
        #expect(CitationChecker.check(answer: result.text, passages: passages).allSatisfy { $0.verified })
    }

    @Test func groupsByPassageRankAndUsesThePluggedScorer() {
        // A scorer that likes the Japanese sentence best: it still comes after passage 1's pick.
        let scores = ["川は春に氾濫します。": 3.0, "The valley is quiet in winter.": 1.0]
        let result = ExtractiveAnswer.answer(question: "?", passages: passages, maxSentences: 2) { scores[$0] ?? 0 }
        #expect(result.text.split(separator: "\n").dropFirst() == ["The valley is quiet in winter. [1]", "川は春に氾濫します。 [2]"])
        #expect(result.citations.map(\.n) == [1, 2])
    }

    @Test func nothingMatchingStillShowsTheBestSentence() {
        let result = ExtractiveAnswer.answer(question: "zebra", passages: passages, maxSentences: 3) { _ in 0 }
        #expect(result.text == ExtractiveAnswer.label + "\nThe valley is quiet in winter. [1]")
        #expect(ExtractiveAnswer.answer(question: "x", passages: [], maxSentences: 3) { _ in 1 }.text == ExtractiveAnswer.label)
    }
}
