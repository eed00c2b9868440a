/// The answer when no generator model is available: the passages' own sentences that best match the question, each
/// followed by its `[n]`, under a label that says they were extracted, not written.
public struct ExtractiveAnswer {
    /// The first line of every extractive answer, for the CLI to print or style.
    public static let label = "Extracted from your files (no generator model):"

    /// Picks the `maxSentences` best sentences of `passages` (numbered from 1 in the given order) by `scorer`
    /// (the caller plugs in MaxSim token alignment, or BM25 when lexical-only; larger is better).
    ///
    /// Layout: the label, then one line per picked sentence, `sentence [n]`, grouped by passage in the given order
    /// and in document order within a passage. Fragments (headings, labels) count half. Sentences scoring ≤ 0 or not finite are not picked unless nothing
    /// scores above 0, in which case the best one is still shown. Ties go to the better-ranked passage, then to the
    /// earlier sentence. Each sentence becomes a citation quoting it, checked against its passage (`quoted`, with the
    /// sentence as its span); `sentences` places each line and its marker in `text` for streaming callers.
    public static func answer(question: String, passages: [RetrievedPassage], maxSentences: Int,
                              support: CitationSupport = CitationSupport(),
                              scorer: (String) -> Double) -> (text: String, citations: [Citation], sentences: [CheckedSentence]) {
        struct Candidate { var passage: Int; var position: Int; var sentence: String; var score: Double }
        var candidates: [Candidate] = []
        for (passage, item) in passages.enumerated() {
            for (position, sentence) in SentenceSplitter.sentences(item.text).enumerated() {
                var score = scorer(sentence)
                if score > 0, isFragment(sentence) { score *= 0.5 }
                candidates.append(Candidate(passage: passage, position: position, sentence: sentence,
                                            score: score.isFinite ? score : -.infinity))
            }
        }
        let ranked = candidates.sorted {
            $0.score != $1.score ? $0.score > $1.score
                : ($0.passage != $1.passage ? $0.passage < $1.passage : $0.position < $1.position)
        }
        var picked = Array(ranked.prefix(max(maxSentences, 0)).filter { $0.score > 0 })
        if picked.isEmpty, maxSentences > 0, let best = ranked.first { picked = [best] }
        picked.sort { ($0.passage, $0.position) < ($1.passage, $1.position) }

        var lines = [label]
        var sentences: [CheckedSentence] = []
        var offset = label.count + 1
        for candidate in picked {
            let n = candidate.passage + 1
            let passage = passages[candidate.passage]
            let line = "\(candidate.sentence) [\(n)]"
            lines.append(line)
            let citation = Citation(n: n, passage: passage, quote: candidate.sentence, claim: candidate.sentence,
                                    assessment: support.assess(claim: candidate.sentence, quote: candidate.sentence,
                                                               passage: passage, n: n))
            let marker = (offset + line.count - "[\(n)]".count)..<(offset + line.count)
            sentences.append(CheckedSentence(range: offset..<(offset + line.count),
                                             markers: [.init(range: marker, citations: [citation])]))
            offset += line.count + 1
        }
        return (lines.joined(separator: "\n"), sentences.flatMap(\.citations), sentences)
    }

    /// A heading or label rather than a sentence: fewer than four words and no sentence-ending punctuation. It ranks
    /// at half its score, below full sentences that match as well.
    static func isFragment(_ sentence: String) -> Bool {
        guard let last = sentence.last, !".!?。！？".contains(last) else { return false }
        return sentence.split(whereSeparator: \.isWhitespace).count < 4 && !sentence.unicodeScalars.contains { $0.value >= 0x2E80 }
    }

    /// A dependency-free scorer for tests and as a last resort: the fraction of the question's distinct words
    /// (case-folded, ≥ 2 characters; each CJK character counts as a word) that occur in the sentence.
    public static func wordOverlapScorer(question: String) -> (String) -> Double {
        let questionWords = words(question)
        return { sentence in
            guard !questionWords.isEmpty else { return 0 }
            return Double(questionWords.intersection(words(sentence)).count) / Double(questionWords.count)
        }
    }

    static func words(_ text: String) -> Set<String> {
        var words: Set<String> = []
        var current = ""
        for character in QuoteMatcher.normalise(text) {
            let isIdeograph = character.unicodeScalars.first.map { (0x3040...0x9FFF).contains($0.value) } ?? false
            if isIdeograph {
                if current.count >= 2 { words.insert(current) }
                current = ""
                words.insert(String(character))
            } else if character.isLetter || character.isNumber {
                current.append(character)
            } else {
                if current.count >= 2 { words.insert(current) }
                current = ""
            }
        }
        if current.count >= 2 { words.insert(current) }
        return words
    }
}
