/// A deliberately simple sentence splitter for extractive answers: a sentence ends at `.`, `!`, `?` followed by
/// whitespace (so `3.14` and `v1.2` stay whole), at `。`, `！`, `？` (no space needed), and at every line break
/// (passages from notes and code are line-oriented). Sentences are trimmed; empty ones are skipped.
public enum SentenceSplitter {
    public static func sentences(_ text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        func flush() {
            let trimmed = PromptLayout.trimmed(current)
            if !trimmed.isEmpty { sentences.append(trimmed) }
            current = ""
        }
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            if character.isNewline { flush(); continue }
            current.append(character)
            switch character {
            case "。", "！", "？":
                flush()
            case ".", "!", "?":
                if index + 1 == characters.count || characters[index + 1].isWhitespace { flush() }
            default:
                break
            }
        }
        flush()
        return sentences
    }
}
