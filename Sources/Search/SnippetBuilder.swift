import Foundation
import Index

/// A short window of a passage around the words that matched, with those words' positions for highlighting.
///
/// Two kinds of match are highlighted. Query words: ICU segments compared case- and accent-insensitively with the
/// query's segments, or sharing a Snowball stem with one in the languages the query was stemmed in (the same rules
/// as the FTS5 table, so a BM25 hit always has something to highlight: `descaled` marks "Descale"). Aligned
/// words: the words holding the passage tokens MaxSim aligned query vectors to — across languages and synonyms, the
/// words that made a semantic hit — the heaviest ones only. The window goes where the query words are, else where
/// the aligned words weigh most, else around `focus` (a relative position, when tokens could not be placed).
struct SnippetBuilder {
    /// Target snippet length in Unicode scalars.
    var length = 220
    /// At most this many aligned words are highlighted, each with at least `alignedShare` of the heaviest one's votes.
    var maxAlignedWords = 6
    var alignedShare: Float = 0.3
    private let queryKeys: Set<String>
    /// The query words' stems (folded) and the languages they were made in.
    private let queryStems: Set<String>
    private let languages: [String]

    /// `languages`: those the lexical query was stemmed in (`IndexReader.stemmedLanguages`).
    init(query: String, languages: [String] = []) {
        let words = WordSegmenter.words(query)
        queryKeys = Set(words.map { Self.key($0.text) })
        queryStems = Set(words.flatMap { Stemmer.stems($0.text, languages: languages) }.map { Self.key($0) })
        self.languages = languages
    }

    /// Whether a passage word (`key` is its folded form) matches a query word as written or by stem.
    private func matchesQuery(_ word: Substring, key: String) -> Bool {
        if queryKeys.contains(key) { return true }
        guard !queryStems.isEmpty else { return false }
        // The passage word's own stem and the word itself (`imprimeries` stems to `imprimer`, the surface of a verb).
        return queryStems.contains(key) || Stemmer.stems(word, languages: languages).contains { queryStems.contains(Self.key($0)) }
    }

    /// Case- and accent-folded form. ASCII words take the cheap path (Foundation's folding costs ~1 µs a word).
    static func key<S: StringProtocol>(_ word: S) -> String {
        if word.utf8.allSatisfy({ $0 < 0x80 }) { return word.lowercased() }
        return String(word).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    func build(text: String, alignment: Alignment?) -> (snippet: String, highlights: [SearchHit.Highlight]) {
        let scalars = Array(text.unicodeScalars)
        // UTF-8 offset → scalar offset, to place ICU's byte ranges.
        var scalarAt = [Int](repeating: 0, count: text.utf8.count + 1)
        var byte = 0
        for (i, scalar) in scalars.enumerated() {
            let width = UTF8.width(scalar)
            for b in 0..<width { scalarAt[byte + b] = i }
            byte += width
        }
        scalarAt[byte] = scalars.count
        let segments = WordSegmenter.words(text)
        let words = segments.map { word in
            (range: scalarAt[word.utf8Range.lowerBound]..<scalarAt[word.utf8Range.upperBound],
             key: Self.key(word.text), text: word.text)
        }
        let matches = words.filter { matchesQuery($0.text, key: $0.key) }.map { (range: $0.range, key: $0.key) }
        let aligned = alignedWords(segments.map(\.utf8Range), alignment: alignment).map {
            (range: scalarAt[$0.utf8Range.lowerBound]..<scalarAt[$0.utf8Range.upperBound], weight: $0.weight)
        }
        let window = self.window(count: scalars.count, words: words.map(\.range), matches: matches, aligned: aligned,
                                 focus: alignment?.focus)
        let highlights = Set(matches.map(\.range) + aligned.map(\.range)).sorted { $0.lowerBound < $1.lowerBound }
        return render(scalars, window: window, highlights: highlights)
    }

    /// The heaviest words holding aligned tokens (a token's votes go to every word it overlaps).
    private func alignedWords(_ words: [Range<Int>], alignment: Alignment?) -> [(utf8Range: Range<Int>, weight: Float)] {
        guard let tokens = alignment?.tokens, !tokens.isEmpty, !words.isEmpty else { return [] }
        var weight = [Float](repeating: 0, count: words.count)
        for token in tokens {
            // Words are sorted and disjoint: binary-search the first that ends after the token starts.
            var low = 0, high = words.count
            while low < high {
                let middle = (low + high) / 2
                if words[middle].upperBound <= token.utf8Range.lowerBound { low = middle + 1 } else { high = middle }
            }
            var index = low
            while index < words.count, words[index].lowerBound < token.utf8Range.upperBound {
                weight[index] += token.weight
                index += 1
            }
        }
        guard let heaviest = weight.max(), heaviest > 0 else { return [] }
        return weight.indices.filter { weight[$0] >= heaviest * alignedShare }
            .sorted { weight[$0] > weight[$1] }.prefix(maxAlignedWords)
            .map { (words[$0], weight[$0]) }
    }

    private func window(count: Int, words: [Range<Int>], matches: [(range: Range<Int>, key: String)],
                        aligned: [(range: Range<Int>, weight: Float)], focus: Double?) -> Range<Int> {
        guard count > length else { return 0..<count }
        var start: Int
        if !matches.isEmpty {
            // The window (starting a little before some match) that covers the most distinct query words.
            var best = (distinct: -1, total: -1, start: 0)
            for anchor in matches {
                let from = max(0, anchor.range.lowerBound - length / 5)
                let inside = matches.filter { $0.range.lowerBound >= from && $0.range.upperBound <= from + length }
                let distinct = Set(inside.map(\.key)).count
                if (distinct, inside.count) > (best.distinct, best.total) { best = (distinct, inside.count, from) }
            }
            start = best.start
        } else if !aligned.isEmpty {
            // The window (starting a little before some aligned word) holding the most aligned weight.
            var best = (weight: -Float.infinity, start: 0)
            for anchor in aligned {
                let from = max(0, anchor.range.lowerBound - length / 5)
                let inside = aligned.filter { $0.range.lowerBound >= from && $0.range.upperBound <= from + length }
                let weight = inside.reduce(0) { $0 + $1.weight }
                if weight > best.weight { best = (weight, from) }
            }
            start = best.start
        } else if let focus {
            start = Int(Double(count) * min(max(focus, 0), 1)) - length / 2
        } else {
            start = 0
        }
        start = min(max(0, start), count - length)
        // Snap to word boundaries: begin at a word start, end at a word end (unless words are absurdly long).
        if start > 0, let word = words.first(where: { $0.lowerBound >= start }), word.lowerBound < start + length / 4 {
            start = word.lowerBound
        }
        var end = min(count, start + length)
        if end < count, let word = words.last(where: { $0.upperBound <= end && $0.lowerBound >= start }),
           word.upperBound > end - length / 4 {
            end = word.upperBound
        }
        return start..<max(end, start)
    }

    /// The window with whitespace runs collapsed to one space and `…` where cut; highlights moved along.
    private func render(_ scalars: [Unicode.Scalar], window: Range<Int>, highlights: [Range<Int>])
        -> (snippet: String, highlights: [SearchHit.Highlight]) {
        var output = String.UnicodeScalarView()
        var written = 0
        var position = [Int](repeating: 0, count: window.count + 1)  // scalar in window → scalar in output
        if window.lowerBound > 0 {
            output.append("…")
            written = 1
        }
        var pendingSpace = false
        for (offset, scalar) in scalars[window].enumerated() {
            if scalar.properties.isWhitespace {
                pendingSpace = written > (window.lowerBound > 0 ? 1 : 0)
                position[offset] = written
                continue
            }
            if pendingSpace {
                output.append(" ")
                written += 1
                pendingSpace = false
            }
            position[offset] = written
            output.append(scalar)
            written += 1
        }
        position[window.count] = written
        if window.upperBound < scalars.count {
            output.append("…")
        }
        let marks = highlights.compactMap { range -> SearchHit.Highlight? in
            guard range.lowerBound >= window.lowerBound, range.upperBound <= window.upperBound else { return nil }
            return SearchHit.Highlight(start: position[range.lowerBound - window.lowerBound],
                                       end: position[range.upperBound - window.lowerBound])
        }
        return (String(output), marks)
    }
}
