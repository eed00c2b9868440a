import Foundation
import Index
import RAG

/// How much of a question's content a passage covers: the IDF-weighted share of the question's content words
/// (function words of common languages left out) that the passage contains, in [0, 1]. The lexical relevance signal
/// `ask` abstains on when the index has no vectors — not "does any word match", which one shared "the" satisfies.
///
/// Words are ICU word segments (so CJK words count, unspaced), folded (lower-case, no diacritics). A question word
/// matches a passage word when equal, or when both share their first five letters or more and the shorter is at least
/// five letters long (`descaled` / `descale`, `imprimeries` / `imprimerie`, `Schaltungen` / `Schaltung`): word forms
/// without language data. IDF comes from the index's own document frequencies (FTS5 vocabulary): a word the index
/// has never seen weighs most, so a question about something absent from the files covers little.
public struct LexicalCoverage: Sendable {
    /// The question's content words with their weights (IDF).
    public let terms: [(word: String, weight: Double)]

    /// Weights from the index's document frequencies; `passages` is the number of passages.
    public init(question: String, reader: IndexReader) throws {
        let words = Self.contentWords(question)
        let frequencies = try reader.documentFrequencies(terms: words)
        let total = Double(max(try reader.passageCount(), 1))
        terms = words.map { word in
            let df = Double(frequencies[word] ?? 0)
            return (word, log(1 + (total - df + 0.5) / (df + 0.5)))   // BM25's IDF: always positive
        }
    }

    /// Explicit weights (tests).
    public init(terms: [(word: String, weight: Double)]) {
        self.terms = terms
    }

    /// The share of the question's weight that `text` covers; 0 when the question has no content words.
    public func coverage(of text: String) -> Double {
        let total = terms.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return 0 }
        let present = Set(Self.words(text))
        let covered = terms.reduce(0.0) { sum, term in
            present.contains(term.word) || present.contains(where: { Self.sameWordForm($0, term.word) })
                ? sum + term.weight : sum
        }
        return covered / total
    }

    /// Folded ICU word segments, function words and one-letter Latin words removed, each once, in order.
    public static func contentWords(_ text: String) -> [String] {
        var seen = Set<String>()
        return words(text).filter { word in
            guard !StopWords.anyLanguage.contains(word), word.unicodeScalars.count > 1 || isIdeographic(word) else { return false }
            return seen.insert(word).inserted
        }
    }

    static func words(_ text: String) -> [String] {
        WordSegmenter.words(text).map { withoutElision(fold(String($0.text))) }
    }

    /// French and Italian elided articles and pronouns glued to the word by ICU (`l'atmosphere`, `d'eau`,
    /// `qu'il`, `dell'acqua`): the word without them.
    static func withoutElision(_ word: String) -> String {
        guard let mark = word.firstIndex(where: { $0 == "'" || $0 == "\u{2019}" }), mark != word.startIndex else { return word }
        let head = word[..<mark]
        guard head.count <= 5, word.index(after: mark) < word.endIndex else { return word }
        return String(word[word.index(after: mark)...])
    }

    static func fold(_ word: String) -> String {
        word.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    static func isIdeographic(_ word: String) -> Bool { word.unicodeScalars.contains { $0.value >= 0x2E80 } }

    /// Two forms of one word: a shared start of at least five letters covering all but at most the last two
    /// letters of the shorter word (`descaled` / `descaling`, `stammt` / `stammen`), and all of it when it has only
    /// five.
    static func sameWordForm(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.unicodeScalars), Array(b.unicodeScalars))
        let shorter = min(x.count, y.count)
        guard shorter >= 5, !isIdeographic(a) else { return false }
        var common = 0
        while common < shorter, x[common] == y[common] { common += 1 }
        return common >= 5 && common >= shorter - (shorter >= 6 ? 2 : 0)
    }
}
