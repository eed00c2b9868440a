/// Finds the `[n]` markers in an answer and checks each against the passages the model was given (numbered from 1
/// in order, as `AnswerPrompt.included`).
///
/// Markers: `[1]`, `[1, 3]`, `[1][3]`, `[2-4]` (also `–`). Markers separated only by spaces form one group.
/// A quote belongs to a group when it sits right next to it in the same sentence: a quoted span (`"…"`, `“…”`,
/// `«…»`, `「…」`, `『…』`, `„…“`) that ends just before the group (spaces between), or, failing that, one that starts
/// just after it (spaces or a colon between) and is not itself right before another group. Every number in the
/// group is checked against that quote.
public enum CitationChecker {
    /// One `Citation` per number per marker, in the order they appear in `answer`.
    public static func check(answer: String, passages: [RetrievedPassage]) -> [Citation] {
        let text = Array(answer)
        let quotes = AnswerScanner.quotes(in: text)
        let groups = AnswerScanner.markerGroups(in: text)
        var citations: [Citation] = []
        for (index, group) in groups.enumerated() {
            let quote = quoteBefore(group, quotes: quotes, text: text)
                ?? quoteAfter(group, next: index + 1 < groups.count ? groups[index + 1] : nil, quotes: quotes, text: text)
            for marker in group.markers {
                citations += resolve(marker, quote: quote.map { String(text[$0.inner]) }, passages: passages)
            }
        }
        return citations
    }

    /// One citation per cited passage, in order of first mention: the first verified one that carries a quote, else
    /// the first verified one, else the first. For the `Sources` block; `check` keeps every occurrence.
    public static func sources(_ citations: [Citation]) -> [Citation] {
        var order: [Int] = []
        var byNumber: [Int: [Citation]] = [:]
        for citation in citations {
            if byNumber[citation.n] == nil { order.append(citation.n) }
            byNumber[citation.n, default: []].append(citation)
        }
        return order.map { n in
            let all = byNumber[n]!
            return all.first { $0.verified && $0.quote != nil } ?? all.first { $0.verified } ?? all[0]
        }
    }

    static func resolve(_ marker: AnswerScanner.Marker, quote: String?, passages: [RetrievedPassage]) -> [Citation] {
        switch marker {
        case .malformed(let written, let first):
            return [Citation(n: first, passage: nil, quote: quote, verified: false,
                             problem: "malformed marker [\(written)]")]
        case .number(let n):
            guard n >= 1, n <= passages.count else {
                let given = passages.isEmpty ? "no passages were given" : "passages are numbered 1–\(passages.count)"
                return [Citation(n: n, passage: nil, quote: quote, verified: false,
                                 problem: "unknown passage \(n) (\(given))")]
            }
            let passage = passages[n - 1]
            guard let quote else { return [Citation(n: n, passage: passage, quote: nil, verified: true, problem: nil)] }
            let found = QuoteMatcher.occurs(quote, in: passage.text)
            return [Citation(n: n, passage: passage, quote: quote, verified: found,
                             problem: found ? nil : "quote not found in [\(n)]")]
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
