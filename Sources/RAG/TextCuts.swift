/// Where a passage may be cut: after a sentence, before a space, or (the last resort, for text without spaces such
/// as CJK) after any character.
/// Each list holds the end indices of the allowed prefixes, ascending.
struct TextCuts {
    var sentences: [String.Index] = []
    var words: [String.Index] = []
    var characters: [String.Index] = []

    static let sentenceEnds: Set<Character> = [".", "!", "?", "。", "！", "？", "…"]

    init(_ text: String) {
        var index = text.startIndex
        var previous: Character?
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character.isWhitespace, let previous, !previous.isWhitespace {
                words.append(index)
                if Self.sentenceEnds.contains(previous) { sentences.append(index) }
            } else if !character.isWhitespace, Self.sentenceEnds.contains(character), character.unicodeScalars.first!.value > 0x7F {
                // CJK full stops end a sentence without a following space.
                sentences.append(next)
                words.append(next)
            }
            characters.append(next)
            previous = character
            index = next
        }
        words = Array(Set(words)).sorted()
    }
}
