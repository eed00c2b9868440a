import Foundation
import RAG
import Testing

/// Parsing `[n]` markers and verifying quotes against the passages given to the model.
@Suite struct CitationCheckerTests {
    let passages = [
        RetrievedPassage(passageID: 11, path: "notes/paris.md", lineStart: 1, lineEnd: 3,
                         text: "Paris is the capital\nof France. It has about 2.1 million inhabitants.", score: 0.8),
        RetrievedPassage(passageID: 42, path: "report.pdf", lineStart: 1, lineEnd: 1, page: 4,
                         text: "東京は日本の首都です。人口が多い。", score: 0.6),
        RetrievedPassage(passageID: 93, path: "lyon.md", lineStart: 5, lineEnd: 5,
                         text: "Lyon est connue pour sa gastronomie.", score: 0.5),
    ]

    func check(_ answer: String) -> [Citation] { CitationChecker.check(answer: answer, passages: passages) }

    @Test func goodQuoteIsVerifiedAcrossCaseAndWhitespace() {
        let citations = check("The capital is Paris: \"PARIS is the capital of   France.\" [1]")
        #expect(citations.count == 1)
        let citation = citations[0]
        #expect(citation.n == 1 && citation.verified && citation.problem == nil)
        #expect(citation.passageID == 11 && citation.path == "notes/paris.md" && citation.lines == "1-3")
        #expect(citation.quote == "PARIS is the capital of   France.")
        #expect(citation.location == "notes/paris.md:1-3")
    }

    /// An unquoted marker is verified only when the passage holds the claim's words, not merely because it exists.
    @Test func markerWithoutQuoteIsCheckedAgainstThePassageText() {
        let citations = check("Paris is the capital [1]. Tokyo is Japan's capital [2]. 東京は日本の首都です[2]。")
        #expect(citations.map(\.n) == [1, 2, 2])
        #expect(citations.map(\.support) == [.supported, .unsupported, .supported])
        #expect(citations.map(\.verified) == [true, false, true])
        #expect(citations.allSatisfy { $0.quote == nil })
        #expect(citations[1].page == 4 && citations[1].location == "report.pdf#page=4")
    }

    @Test func unknownPassageIsFlagged() {
        let citations = check("Berlin is big [7].")
        #expect(citations.count == 1)
        #expect(!citations[0].verified && citations[0].passageID == nil)
        #expect(citations[0].problem?.hasPrefix("unknown passage 7") == true, "\(citations[0].problem ?? "")")
        #expect(check("Nothing [0].")[0].problem?.hasPrefix("unknown passage 0") == true)
    }

    @Test func misquoteIsFlagged() {
        let citations = check("It has \"about 3 million inhabitants\" [1].")
        #expect(citations.count == 1 && !citations[0].verified)
        #expect(citations[0].problem == "quote not found in [1]")
        #expect(citations[0].passageID == 11, "the passage is still named so the reader can check")
    }

    @Test func quoteInTheWrongPassageIsFlagged() {
        let citations = check("\"Lyon est connue pour sa gastronomie\" [1][3]")
        #expect(citations.map(\.n) == [1, 3])
        #expect(citations.map(\.verified) == [false, true])
    }

    @Test func multiMarkerForms() {
        #expect(check("A [1, 3].").map(\.n) == [1, 3])
        #expect(check("A [1][2] and B [3].").map(\.n) == [1, 2, 3])
        #expect(check("A [1-3].").map(\.n) == [1, 2, 3])
        #expect(check("A [1–2, 3].").map(\.n) == [1, 2, 3])
        #expect(check("A [1] [2].").map(\.n) == [1, 2])
        let reversed = check("A [3-1].")
        #expect(reversed.count == 1 && !reversed[0].verified && reversed[0].problem?.contains("malformed") == true)
        #expect(check("Arrays like a[i] and [x] or [] are not markers.").isEmpty)
    }

    @Test func cjkAndGuillemetQuotes() {
        let japanese = check("東京は首都です「東京は日本の首都です」[2]。")
        #expect(japanese.count == 1 && japanese[0].verified && japanese[0].quote == "東京は日本の首都です")
        let wrong = check("「大阪は日本の首都です」[2]")
        #expect(!wrong[0].verified && wrong[0].problem == "quote not found in [2]")
        let french = check("Elle est célèbre [3] : « connue pour sa gastronomie ».")
        #expect(french.count == 1 && french[0].verified && french[0].quote == " connue pour sa gastronomie ")
        let curly = check("It is “the capital of France” [1].")
        #expect(curly[0].verified && curly[0].quote == "the capital of France")
    }

    @Test func quoteBelongsToTheNearestMarkerInItsSentence() {
        // The quote before [2] is [2]'s, not the trailing quote of [1]; [1] has none.
        let citations = check("Paris is the capital [1] \"東京は日本の首都です\" [2].")
        #expect(citations.map(\.quote) == [nil, "東京は日本の首都です"])
        #expect(citations.allSatisfy { $0.verified })
        // A quote in the next sentence does not attach.
        let next = check("Paris [1]. \"Lyon est connue\" is in [3].")
        #expect(next[0].quote == nil && next[1].quote == nil)
    }

    @Test func ellipsisAndCurlyApostrophesInQuotes() {
        #expect(check("\"Paris is the capital … 2.1 million inhabitants\" [1]")[0].verified)
        #expect(!check("\"2.1 million … Paris is the capital\" [1]")[0].verified, "pieces must be in order")
        #expect(QuoteMatcher.occurs("Japan’s", in: "Japan's capital"))
        #expect(!QuoteMatcher.occurs("  ", in: "anything"))
    }

    @Test func sourcesKeepOnePerPassagePreferringVerifiedQuotes() {
        let citations = check("Paris [1]. \"capital of France\" [1]. Big [7]. Lyon [3].")
        let sources = CitationChecker.sources(citations)
        #expect(sources.map(\.n) == [1, 7, 3])
        #expect(sources[0].quote == "capital of France" && sources[0].verified)
        #expect(!sources[1].verified)
    }

    @Test func jsonHasEveryKey() throws {
        let data = try JSONEncoder().encode(check("X [5]")[0])
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["n", "path", "lines", "page", "location", "passage_id", "quote", "claim", "support",
                                     "coverage", "span", "verified", "problem"])
    }
}
