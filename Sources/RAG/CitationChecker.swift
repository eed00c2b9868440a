/// Finds the `[n]` markers in an answer and checks each against the passages the model was given (numbered from 1
/// in order, as `AnswerPrompt.included`).
///
/// Markers: `[1]`, `[1, 3]`, `[1][3]`, `[2-4]` (also `–`). Markers separated only by spaces form one group.
/// A quote belongs to a group when it sits right next to it in the same sentence: a quoted span (`"…"`, `“…”`,
/// `«…»`, `「…」`, `『…』`, `„…“`) that ends just before the group (spaces between), or, failing that, one that starts
/// just after it (spaces or a colon between) and is not itself right before another group. Every number in the
/// group is checked against that quote and against the claim the group stands after (`CitationSupport`).
public enum CitationChecker {
    /// One `Citation` per number per marker, in the order they appear in `answer`.
    public static func check(answer: String, passages: [RetrievedPassage],
                             support: CitationSupport = CitationSupport()) -> [Citation] {
        checkSentences(answer: answer, passages: passages, support: support).flatMap(\.citations)
    }

    /// The answer's sentences (see `AnswerSentences`) with their markers' citations.
    public static func checkSentences(answer: String, passages: [RetrievedPassage],
                                      support: CitationSupport = CitationSupport()) -> [CheckedSentence] {
        let text = Array(answer)
        return AnswerSentences.split(text, from: 0, isWhole: true).sentences.map {
            check(sentence: $0, of: text, passages: passages, support: support)
        }
    }

    /// The claims of one sentence: each marker group vouches for the text since the previous group (or the sentence
    /// start); when that holds fewer than two content words (`[1] says…`, `According to [2], …`) it vouches for the
    /// whole sentence. Markers are left out of the claim; quotes stay in it.
    static func check(sentence range: Range<Int>, of answer: [Character], passages: [RetrievedPassage],
                      support: CitationSupport) -> CheckedSentence {
        let text = Array(answer[range])
        let quotes = AnswerScanner.quotes(in: text)
        let groups = AnswerScanner.markerGroups(in: text)
        var markers: [CheckedSentence.Marker] = []
        var claimStart = 0
        for (index, group) in groups.enumerated() {
            let quote = quoteBefore(group, quotes: quotes, text: text)
                ?? quoteAfter(group, next: index + 1 < groups.count ? groups[index + 1] : nil, quotes: quotes, text: text)
            var claim = PromptLayout.trimmed(String(text[claimStart..<group.range.lowerBound]))
            if support.contentWords(of: claim).words.count < 2 {
                claim = withoutMarkers(text, groups: groups)
            }
            claim = withoutListNumber(claim)
            claimStart = group.range.upperBound
            let quoted = quote.map { String(text[$0.inner]) }
            let citations = group.markers.flatMap {
                resolve($0, quote: quoted, claim: claim, passages: passages, support: support)
            }
            let shifted = (group.range.lowerBound + range.lowerBound)..<(group.range.upperBound + range.lowerBound)
            markers.append(CheckedSentence.Marker(range: shifted, citations: citations))
        }
        return CheckedSentence(range: range, markers: markers)
    }

    /// `2) Tokyo …` → `Tokyo …`: a list entry's number is not a number the passage must contain. (`2. Tokyo` never
    /// gets here: `2.` ends a sentence of its own.)
    static func withoutListNumber(_ claim: String) -> String {
        let digits = claim.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 3 else { return claim }
        let rest = claim.dropFirst(digits.count)
        guard rest.first == ")", rest.dropFirst().first == " " else { return claim }
        return String(rest.dropFirst(2))
    }

    /// The sentence with its marker groups cut out and spaces tidied.
    static func withoutMarkers(_ text: [Character], groups: [AnswerScanner.Group]) -> String {
        var kept = text
        for group in groups.reversed() { kept.removeSubrange(group.range) }
        return String(kept).split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// One citation per cited passage, in order of first mention: the best supported one (quoted before supported
    /// before weak before unsupported), the first of equals. For the `Sources` block; `check` keeps every occurrence.
    public static func sources(_ citations: [Citation]) -> [Citation] {
        var order: [Int] = []
        var byNumber: [Int: [Citation]] = [:]
        for citation in citations {
            if byNumber[citation.n] == nil { order.append(citation.n) }
            byNumber[citation.n, default: []].append(citation)
        }
        return order.map { n in
            let all = byNumber[n]!
            return all.min { $0.support < $1.support } ?? all[0]
        }
    }

    static func resolve(_ marker: AnswerScanner.Marker, quote: String?, claim: String, passages: [RetrievedPassage],
                        support: CitationSupport) -> [Citation] {
        switch marker {
        case .malformed(let written, let first):
            return [Citation(n: first, passage: nil, quote: quote, claim: claim, support: .unsupported,
                             problem: "malformed marker [\(written)]")]
        case .number(let n):
            guard n >= 1, n <= passages.count else {
                let given = passages.isEmpty ? "no passages were given" : "passages are numbered 1–\(passages.count)"
                return [Citation(n: n, passage: nil, quote: quote, claim: claim, support: .unsupported,
                                 problem: "unknown passage \(n) (\(given))")]
            }
            let passage = passages[n - 1]
            return [Citation(n: n, passage: passage, quote: quote, claim: claim,
                             assessment: support.assess(claim: claim, quote: quote, passage: passage, n: n))]
        }
    }

    static func quoteBefore(_ group: AnswerScanner.Group, quotes: [AnswerScanner.Quote],
                            text: [Character]) -> AnswerScanner.Quote? {
        quotes.last { $0.outer.upperBound <= group.range.lowerBound
            && AnswerScanner.onlyGap(text, $0.outer.upperBound..<group.range.lowerBound, allowing: []) }
    }

    static func quoteAfter(_ group: AnswerScanner.Group, next: AnswerScanner.Group?, quotes: [AnswerScanner.Quote],
                           text: [Character]) -> AnswerScanner.Quote? {
        guard let quote = quotes.first(where: { $0.outer.lowerBound >= group.range.upperBound }),
              AnswerScanner.onlyGap(text, group.range.upperBound..<quote.outer.lowerBound, allowing: [":"]) else { return nil }
        if let next, next.range.lowerBound >= quote.outer.upperBound,
           AnswerScanner.onlyGap(text, quote.outer.upperBound..<next.range.lowerBound, allowing: []) {
            return nil  // it is the next group's quote
        }
        return quote
    }
}
