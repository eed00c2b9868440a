/// A deliberately simple sentence splitter for extractive answers: a sentence ends at `.`, `!`, `?` followed by
/// whitespace (so `3.14`, `v1.2` and a list's `1. ` stay whole), at `。`, `！`, `？` (no space needed), and at a line break — unless
/// the line break only wraps prose (the line ends in a letter, digit or comma and the next starts with a lower-case
/// letter or a number that is not a list marker), as in hard-wrapped text files. Sentences are trimmed, inner line
/// breaks become spaces, and leading Markdown heading, list and quote markers are dropped; empty ones are skipped.
public enum SentenceSplitter {
    /// One sentence and where it lies in the text it came from (UTF-8 byte offsets, markers included).
    public struct Sentence: Sendable, Equatable {
        public let text: String
        public let utf8Range: Range<Int>
    }

    public static func sentences(_ text: String) -> [String] {
        spans(text).map(\.text)
    }

    public static func spans(_ text: String) -> [Sentence] {
        var sentences: [Sentence] = []
        var current = ""
        var start = 0, offset = 0
        func flush() {
            let trimmed = PromptLayout.trimmed(current)
            if !trimmed.isEmpty {
                // `trimmed` only drops ASCII whitespace at the ends, so its bytes are a contiguous run of `current`'s.
                let leading = current.utf8.prefix { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }.count
                let begin = start + leading
                let shown = withoutMarkers(oneLine(trimmed))
                if !shown.isEmpty {
                    sentences.append(Sentence(text: shown, utf8Range: begin ..< begin + trimmed.utf8.count))
                }
            }
            current = ""
            start = offset
        }
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            offset += character.utf8.count
            if character.isNewline {
                if wrapsProse(before: current, after: characters[(index + 1)...]) { current.append(character) } else { flush() }
                continue
            }
            current.append(character)
            switch character {
            case "。", "！", "？":
                flush()
            case ".", "!", "?":
                let ends = index + 1 == characters.count || characters[index + 1].isWhitespace
                if ends && !isListNumber(current) { flush() }
            default:
                break
            }
        }
        flush()
        return sentences
    }

    /// Whether a line break between `line` and the text `after` it only wraps a sentence.
    static func wrapsProse(before line: String, after: ArraySlice<Character>) -> Bool {
        guard let last = line.last(where: { $0 != " " && $0 != "\t" }),
              last.isLetter || last.isNumber || last == "," else { return false }
        let next = after.drop { $0 == " " || $0 == "\t" }
        guard let first = next.first else { return false }
        if first.isLowercase { return true }
        guard first.isNumber else { return false }
        // "1. Item" and "2) Item" start list entries; "1450 : …" continues a sentence.
        let afterNumber = next.drop { $0.isNumber }
        return !(afterNumber.first == "." || afterNumber.first == ")")
    }

    /// "1." or "12." at the start of a line: a numbered list entry, not a sentence.
    static func isListNumber(_ text: String) -> Bool {
        let body = PromptLayout.trimmed(text)
        return body.count >= 2 && body.last == "." && body.dropLast().allSatisfy(\.isNumber)
    }

    /// Inner whitespace runs containing a line break become one space.
    static func oneLine(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        var out = "", pendingSpace = false
        for character in text {
            if character.isNewline || ((character == " " || character == "\t") && pendingSpace) {
                if character.isNewline { while out.last == " " || out.last == "\t" { out.removeLast() } }
                pendingSpace = true
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(character)
        }
        return out
    }

    /// Drops leading `#`…, `-`, `*`, `+` and `>` markers (Markdown headings, bullets, quotes) and the docstring and
    /// comment openers `"""`, `'''`, `//`, `/*`.
    static func withoutMarkers(_ text: String) -> String {
        var rest = Substring(text)
        for opener in ["\"\"\"", "'''", "//", "/*"] where rest.hasPrefix(opener) {
            rest = rest.dropFirst(opener.count).drop { $0 == " " }
        }
        while let first = rest.first, "#-*+>".contains(first) {
            let after = rest.drop { $0 == first }
            guard after.first == " " else { break }   // "-5 °C" or "*emphasis*" are text
            rest = after.drop { $0 == " " }
        }
        return String(rest)
    }
}
