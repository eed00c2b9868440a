/// Splits a generated answer into sentences so that a streamed answer can be checked sentence by sentence: the
/// sentences found in a prefix (`isWhole: false`) are exactly those the whole answer will have.
///
/// A sentence ends at a line break, at `。`, `！`, `？`, or at `.`, `!`, `?` (and any closing quotes or brackets after
/// them) followed by whitespace. Markers right after the end (`Paris is the capital. [1]`) still belong to it.
/// In a prefix, a sentence counts as complete only once the next non-space character has arrived and is not the
/// start of such a marker.
enum AnswerSentences {
    /// Sentence ranges (trimmed of whitespace, empty ones skipped) in `text` from `start`, and where the next
    /// sentence starts. With `isWhole` the rest of the text is the last sentence.
    static func split(_ text: [Character], from start: Int, isWhole: Bool) -> (sentences: [Range<Int>], next: Int) {
        var sentences: [Range<Int>] = []
        var sentenceStart = start
        var index = start
        func close(at end: Int) {
            var lower = sentenceStart, upper = end
            while lower < upper, text[lower].isWhitespace { lower += 1 }
            while upper > lower, text[upper - 1].isWhitespace { upper -= 1 }
            if lower < upper { sentences.append(lower..<upper) }
            sentenceStart = end
        }
        while index < text.count {
            let character = text[index]
            if character.isNewline {
                close(at: index + 1)
                index += 1
                continue
            }
            guard "。！？.!?".contains(character) else { index += 1; continue }
            var end = index + 1
            if ".!?".contains(character) {
                while end < text.count, closers.contains(text[end]) { end += 1 }
                guard end < text.count else { if isWhole { index = end; continue } else { break } }
                guard text[end].isWhitespace else { index = end; continue }  // 3.14, v1.2, "a.b"
            }
            guard let confirmed = endAfterMarkers(text, from: end, isWhole: isWhole) else { break }
            close(at: confirmed)
            index = confirmed
        }
        if isWhole { close(at: text.count) }
        return (sentences, sentenceStart)
    }

    static let closers: Set<Character> = ["\"", "”", "’", "'", "»", ")", "」", "』"]

    /// The end of a sentence whose punctuation ends at `end`, after any markers that follow it on the same line;
    /// nil when a prefix cannot tell yet.
    static func endAfterMarkers(_ text: [Character], from end: Int, isWhole: Bool) -> Int? {
        var end = end
        while true {
            var next = end
            while next < text.count, text[next] == " " || text[next] == "\t" { next += 1 }
            guard next < text.count else { return isWhole ? end : nil }
            guard text[next] == "[" else { return end }
            if let (markerEnd, _) = AnswerScanner.marker(in: text, at: next) {
                end = markerEnd
                continue
            }
            // An unclosed `[` may still become a marker.
            let window = text[(next + 1)..<min(text.count, next + 40)]
            if !isWhole && !window.contains("]") && next + 40 > text.count
                && window.allSatisfy({ "0123456789 ,-–".contains($0) }) { return nil }
            return end
        }
    }
}
