/// Decides how well one cited passage supports one claim of an answer (the text before its `[n]` marker).
///
/// Rules, in order (thresholds chosen on the crafted examples in `CitationSupportTests`):
/// 1. A quote next to the marker must occur in the passage (`QuoteMatcher`): if it does the level is `quoted`,
///    if not `unsupported` ("quote not found in [n]").
/// 2. Every number of the claim (`2.1`, `1,000`, `2024`) must occur in the passage exactly; one that does not makes
///    the claim `unsupported` ("3 not in [n]"), whatever else matches — a changed number is the commonest wrong claim.
/// 3. Coverage is the share of the claim's distinct content words (stop words of its language dropped, numbers
///    included) found in the passage: compared folded (case, accents, full-width), equal after `normalize`, or
///    sharing their first `sharedPrefix` characters (`capital`/`capitale`, `descaled`/`descale`); CJK counts by
///    character pairs (`TextWords`), leaving out Hiragana (particles, endings) and a few function characters.
///    Coverage ≥ `supportedCoverage` (0.75) → `supported`; ≥ `weakCoverage` (0.4) → `weak`; below → `unsupported`.
///    0.75 is strict on purpose: "Osaka is the capital of Japan" against "Tokyo is the capital of Japan" covers
///    2 of 3 words and must not pass; paraphrases that lose words are what the alignment hook is for.
///    A claim with no content words at all ("See [1].") is `weak`: there is nothing to check.
/// 4. `alignment`, when given (the Retrieval module plugs in MaxSim of the claim's query vectors against the
///    passage's stored token vectors, mean best cosine per query vector), lifts `weak` to `supported` when it is at
///    least `supportedAlignment` (0.7) — paraphrases share meaning, not words. It never rescues a wrong number or quote.
///
/// The span is the smallest run of passage words holding one occurrence of every matched claim word (for a quote: its
/// words as they run in the passage, else the same smallest run of its words), so the Sources block can show the
/// supporting words whether or not the model quoted.
public struct CitationSupport: Sendable {
    /// MaxSim alignment of a claim with a passage in [0, 1] (mean best cosine per claim token), nil when unknown.
    public typealias Alignment = @Sendable (_ claim: String, _ passage: RetrievedPassage) -> Double?
    /// Maps a folded word to the form compared (a stemmer plugs in here); the second argument is the claim's
    /// language code (`en`, `fr`, `de`, `es`, `it`, `pt`, `nl`).
    public typealias Normalize = @Sendable (_ folded: String, _ language: String) -> String

    public struct Assessment: Sendable, Equatable {
        public var level: SupportLevel
        /// Share of the claim's content words found in the passage, 0…1 (1 when the claim has none).
        public var coverage: Double
        public var span: SupportSpan?
        /// Why the level is not `quoted` or `supported`; nil when it is.
        public var problem: String?
    }

    public static let supportedCoverage = 0.75
    public static let weakCoverage = 0.4
    public static let supportedAlignment = 0.7

    public var alignment: Alignment?
    public var normalize: Normalize
    /// Two words of at least this many characters that start alike are taken as forms of one word.
    public var sharedPrefix: Int

    public init(alignment: Alignment? = nil, normalize: @escaping Normalize = { word, _ in word }, sharedPrefix: Int = 5) {
        self.alignment = alignment
        self.normalize = normalize
        self.sharedPrefix = sharedPrefix
    }

    /// - Parameters:
    ///   - claim: the answer text the marker stands after, markers removed.
    ///   - quote: the words quoted beside the marker, if any.
    ///   - n: the marker's number, for the problem text.
    public func assess(claim: String, quote: String?, passage: RetrievedPassage, n: Int) -> Assessment {
        let passageWords = TextWords.words(in: passage.text)
        let claimWords = contentWords(of: claim)
        let language = claimWords.language
        let passageForms = passageWords.map { form(of: $0, language: language) }

        var matched: [Word] = []
        var missingNumbers: [String] = []
        for word in claimWords.words {
            if passageForms.contains(where: { same(word, $0) }) {
                matched.append(word)
            } else if word.kind == .number {
                missingNumbers.append(word.form)
            }
        }
        let coverage = claimWords.words.isEmpty ? 1 : Double(matched.count) / Double(claimWords.words.count)

        if let quote {
            let quoteForms = TextWords.words(in: quote).map { form(of: $0, language: language) }
            let span = Self.run(of: quoteForms, in: passageWords, forms: passageForms, text: passage.text)
                ?? Self.span(of: contentWords(of: quote, keepingStopWords: true).words, in: passageWords,
                             forms: passageForms, text: passage.text, same: same)
            guard QuoteMatcher.occurs(quote, in: passage.text) else {
                return Assessment(level: .unsupported, coverage: coverage, span: span, problem: "quote not found in [\(n)]")
            }
            return numbersProblem(missingNumbers, n: n).map {
                Assessment(level: .unsupported, coverage: coverage, span: span, problem: $0)
            } ?? Assessment(level: .quoted, coverage: coverage, span: span, problem: nil)
        }

        let span = Self.span(of: matched, in: passageWords, forms: passageForms, text: passage.text, same: same)
        if let problem = numbersProblem(missingNumbers, n: n) {
            return Assessment(level: .unsupported, coverage: coverage, span: span, problem: problem)
        }
        if claimWords.words.isEmpty {
            return Assessment(level: .weak, coverage: coverage, span: nil, problem: "no words to check against [\(n)]")
        }
        if coverage >= Self.supportedCoverage {
            return Assessment(level: .supported, coverage: coverage, span: span, problem: nil)
        }
        if coverage >= Self.weakCoverage {
            if let alignment, let score = alignment(claim, passage), score >= Self.supportedAlignment {
                return Assessment(level: .supported, coverage: coverage, span: span, problem: nil)
            }
            return Assessment(level: .weak, coverage: coverage, span: span,
                              problem: "only \(percent(coverage)) of the claim's words are in [\(n)]")
        }
        return Assessment(level: .unsupported, coverage: coverage, span: span,
                          problem: "\(percent(coverage)) of the claim's words are in [\(n)]")
    }

    /// A claim word: its compared form and kind.
    struct Word: Equatable { var form: String; var kind: TextWord.Kind }

    /// Distinct content words and numbers of `text`, in order, with the language whose stop words were dropped
    /// (kept for a quote's span, which should cover the quoted words).
    func contentWords(of text: String, keepingStopWords: Bool = false) -> (words: [Word], language: String) {
        let words = TextWords.words(in: text)
        let language = StopWords.language(of: words.filter { $0.kind == .word }.map(\.folded))
        var seen = Set<String>()
        var result: [Word] = []
        for word in words {
            switch word.kind {
            case .word where !keepingStopWords
                    && (word.folded.count < 2 || StopWords.contains(word.folded, language: language)): continue
            case .ideograph where word.folded.contains(where: { TextWords.isHiragana($0) || StopWords.ideographs.contains($0) }):
                continue
            default: break
            }
            let form = form(of: word, language: language)
            if seen.insert(form).inserted { result.append(Word(form: form, kind: word.kind)) }
        }
        return (result, language)
    }

    func form(of word: TextWord, language: String) -> String {
        word.kind == .word ? normalize(word.folded, language) : word.folded
    }

    /// Equal forms; for words, also a common prefix of `sharedPrefix` characters. Numbers and CJK compare exactly.
    func same(_ word: Word, _ form: String) -> Bool {
        if word.form == form { return true }
        guard word.kind == .word, word.form.count >= sharedPrefix, form.count >= sharedPrefix else { return false }
        return word.form.prefix(sharedPrefix) == form.prefix(sharedPrefix)
    }

    func numbersProblem(_ missing: [String], n: Int) -> String? {
        guard !missing.isEmpty else { return nil }
        return missing.joined(separator: ", ") + (missing.count == 1 ? " is" : " are") + " not in [\(n)]"
    }

    func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }

    /// The first run of passage words equal to `sequence` (a quote found as written); nil when there is none.
    static func run(of sequence: [String], in words: [TextWord], forms: [String], text: String) -> SupportSpan? {
        guard !sequence.isEmpty, sequence.count <= forms.count else { return nil }
        for first in 0...(forms.count - sequence.count) where forms[first..<first + sequence.count].elementsEqual(sequence) {
            return makeSpan(words[first], words[first + sequence.count - 1], text: text)
        }
        return nil
    }

    static func makeSpan(_ first: TextWord, _ last: TextWord, text: String) -> SupportSpan {
        let range = first.utf8.lowerBound..<last.utf8.upperBound
        return SupportSpan(text: String(decoding: Array(text.utf8)[range], as: UTF8.self),
                           start: first.characters.lowerBound, end: last.characters.upperBound,
                           utf8Start: range.lowerBound, utf8End: range.upperBound)
    }

    /// The smallest run of passage words holding one occurrence of each of `wanted` (those that occur at all);
    /// nil when none occurs.
    static func span(of wanted: [Word], in words: [TextWord], forms: [String], text: String,
                     same: (Word, String) -> Bool) -> SupportSpan? {
        // For each passage word, the claim word it stands for (-1: none).
        let labels = forms.map { form in wanted.firstIndex { same($0, form) } ?? -1 }
        let needed = Set(labels.filter { $0 >= 0 })
        guard !needed.isEmpty else { return nil }
        var counts: [Int: Int] = [:]
        var have = 0, left = 0
        var best: (Int, Int)?
        for right in labels.indices {
            let label = labels[right]
            guard label >= 0 else { continue }
            counts[label, default: 0] += 1
            if counts[label] == 1 { have += 1 }
            while have == needed.count {
                if labels[left] >= 0 {
                    if best.map({ right - left < $0.1 - $0.0 }) ?? true { best = (left, right) }
                    counts[labels[left]]! -= 1
                    if counts[labels[left]] == 0 { have -= 1 }
                }
                left += 1
            }
        }
        guard let (first, last) = best else { return nil }
        return makeSpan(words[first], words[last], text: text)
    }
}
