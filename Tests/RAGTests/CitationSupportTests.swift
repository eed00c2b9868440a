import Foundation
import RAG
import Testing

/// Citations checked against the text of the cited passage: content-word coverage, numbers, quotes and spans.
@Suite struct CitationSupportTests {
    let passages = [
        RetrievedPassage(passageID: 1, path: "paris.md", lineStart: 1, lineEnd: 2,
                         text: "Paris is the capital\nof France. It has about 2.1 million inhabitants.", score: 0.8),
        RetrievedPassage(passageID: 2, path: "tokyo.md", lineStart: 1, lineEnd: 1,
                         text: "Tokyo is the capital of Japan and its largest city.", score: 0.7),
        RetrievedPassage(passageID: 3, path: "tokyo-ja.md", lineStart: 1, lineEnd: 1,
                         text: "東京は日本の首都です。人口が多い。", score: 0.6),
        RetrievedPassage(passageID: 4, path: "strasbourg.md", lineStart: 3, lineEnd: 3,
                         text: "La cathédrale de Strasbourg a été achevée en 1439.", score: 0.5),
        RetrievedPassage(passageID: 5, path: "brücke.md", lineStart: 1, lineEnd: 1,
                         text: "Die Brücke über den Fluss wurde 1890 gebaut.", score: 0.5),
    ]

    func check(_ answer: String, support: CitationSupport = CitationSupport()) -> [Citation] {
        CitationChecker.check(answer: answer, passages: passages, support: support)
    }

    @Test func supportedSentenceGetsItsSpan() throws {
        let citation = try #require(check("Paris is the capital of France [1].").first)
        #expect(citation.support == .supported && citation.verified && citation.problem == nil, "\(citation)")
        #expect(citation.claim == "Paris is the capital of France")
        let span = try #require(citation.span)
        #expect(span.text == "Paris is the capital\nof France")
        #expect(span.start == 0 && span.end == 30 && span.utf8Start == 0 && span.utf8End == 30)
        #expect(citation.coverage == 1)
        // The example of docs/RAG.md.
        let city = check("The city has about 2.1 million inhabitants [1].")[0]
        #expect(city.support == .supported && city.coverage == 0.75)
        #expect(city.span == SupportSpan(text: "2.1 million inhabitants", start: 45, end: 68, utf8Start: 45, utf8End: 68))
        // Word forms: "inhabited" and "inhabitants" share their first five letters.
        #expect(check("About 2.1 million people inhabit Paris [1].")[0].support == .supported)
    }

    @Test func wrongPassageIsUnsupported() {
        let wrong = check("Tokyo is the capital of Japan [1].")
        #expect(wrong[0].support == .unsupported && !wrong[0].verified, "\(wrong)")
        #expect(wrong[0].problem?.hasSuffix("of the claim's words are in [1]") == true, "\(wrong[0].problem ?? "")")
        // Two of three content words is not enough: a swapped name must not pass.
        let swapped = check("Osaka is the capital of Japan [2].")
        #expect(swapped[0].support == .weak && !swapped[0].verified, "\(swapped)")
        #expect(swapped[0].problem == "only 67% of the claim's words are in [2]")
    }

    @Test func changedNumberIsUnsupported() {
        #expect(check("Paris has about 2.1 million inhabitants [1].")[0].support == .supported)
        let changed = check("Paris has about 3.4 million inhabitants [1].")
        #expect(changed[0].support == .unsupported && changed[0].problem == "3.4 is not in [1]", "\(changed)")
        let year = check("Die Brücke wurde 1891 gebaut [5].")
        #expect(year[0].support == .unsupported && year[0].problem == "1891 is not in [5]")
        #expect(check("Die Brücke wurde 1890 gebaut [5].")[0].support == .supported)
        // List numbers are not claims.
        let list = check("1. Paris is the capital of France [1].\n2) Tokyo is the capital of Japan [2]\n")
        #expect(list.map(\.support) == [.supported, .supported], "\(list)")
        #expect(list.map(\.claim) == ["Paris is the capital of France", "Tokyo is the capital of Japan"])
    }

    @Test func quotesAreQuotedOrUnsupported() throws {
        let quoted = try #require(check("It has \"about 2.1 million inhabitants\" [1].").first)
        #expect(quoted.support == .quoted && quoted.verified)
        #expect(quoted.span?.text == "about 2.1 million inhabitants")
        let missing = check("It has \"about 3 million inhabitants\" [1].")[0]
        #expect(missing.support == .unsupported && missing.problem == "quote not found in [1]" && !missing.verified)
    }

    @Test func cjkAndAccentedText() throws {
        let japanese = check("東京は日本の首都です[3]。")
        #expect(japanese[0].support == .supported, "\(japanese)")
        #expect(japanese[0].span?.text == "東京は日本の首都")
        #expect(check("大阪は日本の首都です[3]。")[0].support == .weak, "大阪 is not in the passage")
        #expect(check("ロンドンは英国の首都です[3]。")[0].support == .unsupported)
        // Accents and case do not matter; the French stop words (la, de, a, été, en) are not counted.
        let french = try #require(check("LA CATHEDRALE DE STRASBOURG A ETE ACHEVEE EN 1439 [4].").first)
        #expect(french.support == .supported && french.coverage == 1, "\(french)")
        #expect(french.span?.text == "cathédrale de Strasbourg a été achevée en 1439")
        let bytes = Array(passages[3].text.utf8)
        let span = try #require(french.span)
        #expect(String(decoding: bytes[span.utf8Start..<span.utf8End], as: UTF8.self) == span.text)
        #expect(Array(passages[3].text)[span.start..<span.end].map(String.init).joined() == span.text)
    }

    @Test func sentenceWithTwoMarkersChecksEachPart() {
        let right = check("Paris is the capital of France [1] and Tokyo is the capital of Japan [2].")
        #expect(right.map(\.support) == [.supported, .supported], "\(right)")
        #expect(right.map(\.claim) == ["Paris is the capital of France", "and Tokyo is the capital of Japan"])
        let swapped = check("Paris is the capital of France [2] and Tokyo is the capital of Japan [1].")
        #expect(swapped.map(\.support) == [.unsupported, .unsupported], "\(swapped)")
        // A marker before its claim vouches for the whole sentence.
        #expect(check("According to [2], Tokyo is the capital of Japan.")[0].support == .supported)
        // A marker after the full stop still belongs to its sentence.
        let after = check("Tokyo is the capital of Japan. [2] Paris is the capital of France [1].")
        #expect(after.map(\.claim) == ["Tokyo is the capital of Japan.", "Paris is the capital of France"])
    }

    @Test func alignmentLiftsWeakClaimsOnly() {
        let aligned = CitationSupport(alignment: { _, _ in 0.9 })
        #expect(check("Osaka is the capital of Japan [2].", support: aligned)[0].support == .supported)
        #expect(check("Paris has 3.4 million inhabitants [1].", support: aligned)[0].support == .unsupported)
        #expect(check("Tokyo is the capital of Japan [1].", support: aligned)[0].support == .unsupported)
        let unsure = CitationSupport(alignment: { _, _ in 0.5 })
        #expect(check("Osaka is the capital of Japan [2].", support: unsure)[0].support == .weak)
    }

    @Test func normalizeIsInjectable() {
        // A stemmer that knows "capitals" is "capital" (the prefix rule would need five shared letters anyway).
        let plain = CitationSupport(sharedPrefix: .max)
        #expect(check("Tokyo is one of the capitals of Japan [2].", support: plain)[0].support == .weak)
        let stemmed = CitationSupport(normalize: { word, _ in word.hasSuffix("s") ? String(word.dropLast()) : word },
                                      sharedPrefix: .max)
        #expect(check("Tokyo is one of the capitals of Japan [2].", support: stemmed)[0].support == .supported)
    }

    @Test func mostlyUnsupportedAnswersAreFlagged() {
        let bad = check("Paris has 9 million inhabitants [1]. Tokyo is a large city in Japan [1]. Tokyo is the capital of Japan [2].")
        #expect(UnsupportedClaim.list(bad).map(\.claim) == ["Paris has 9 million inhabitants", "Tokyo is a large city in Japan"])
        #expect(UnsupportedClaim.mostlyUnsupported(bad))
        let good = check("Paris is the capital of France [1]. Tokyo is a large city in Japan [1]. Tokyo is the capital of Japan [2].")
        #expect(!UnsupportedClaim.mostlyUnsupported(good))
        let outcome = AnswerOutcome(answer: "", citations: bad)
        #expect(outcome.mostly_unsupported && outcome.unsupported.count == 2)
    }

    @Test func jsonAlwaysHasSupportAndSpan() throws {
        for citation in [check("Paris is the capital of France [1].")[0], check("X [9]")[0]] {
            let data = try JSONEncoder().encode(citation)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(Set(object.keys) == ["n", "path", "lines", "page", "location", "passage_id", "quote", "claim", "support",
                                         "coverage", "span", "verified", "problem"])
        }
        let data = try JSONEncoder().encode(check("Paris is the capital of France [1].")[0])
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["support"] as? String == "supported")
        let span = try #require(object["span"] as? [String: Any])
        #expect(Set(span.keys) == ["text", "start", "end", "utf8_start", "utf8_end"])
        #expect(try JSONDecoder().decode(Citation.self, from: data) == check("Paris is the capital of France [1].")[0])
    }
}
