import Foundation

/// One word of a text, where it lies, and the folded form used to compare it.
struct TextWord: Equatable {
    enum Kind: Equatable {
        /// A run of letters and digits with at least one letter.
        case word
        /// Digits, possibly with `.` or `,` between digits (`2.1`, `1,000`): compared exactly.
        case number
        /// CJK, written without spaces: each pair of neighbouring Han or Katakana characters (a lone one on its own),
        /// and each Hiragana character on its own (particles and endings split the runs).
        case ideograph
    }

    /// Lower-cased, diacritics and full-width forms folded (`Élysée` → `elysee`, `２` → `2`).
    var folded: String
    var kind: Kind
    /// Character offsets into the text.
    var characters: Range<Int>
    /// UTF-8 byte offsets into the text.
    var utf8: Range<Int>
}

/// A dependency-free word segmenter for citation checks: runs of letters and digits (an apostrophe or hyphen splits
/// them), numbers with inner `.`/`,`, and CJK as overlapping character pairs (bigrams, the usual unit for matching
/// Chinese and Japanese without a dictionary: `東京は日本の首都` → 東京 は 日本 の 首都). ICU's word breaks would need a
/// dictionary to do better for CJK, and RAG stays free of the CICU target.
enum TextWords {
    static func words(in text: String) -> [TextWord] {
        var words: [TextWord] = []
        let characters = Array(text)
        var utf8Offsets: [Int] = []
        utf8Offsets.reserveCapacity(characters.count + 1)
        var offset = 0
        for character in characters { utf8Offsets.append(offset); offset += character.utf8.count }
        utf8Offsets.append(offset)

        var index = 0
        while index < characters.count {
            let character = characters[index]
            if isIdeograph(character) {
                var end = index + 1
                if !isHiragana(character) {
                    while end < characters.count, isIdeograph(characters[end]), !isHiragana(characters[end]) { end += 1 }
                }
                let pairs = end - index == 1 ? [index..<end] : (index..<end - 1).map { $0..<$0 + 2 }
                for pair in pairs {
                    words.append(TextWord(folded: fold(String(characters[pair])), kind: .ideograph, characters: pair,
                                          utf8: utf8Offsets[pair.lowerBound]..<utf8Offsets[pair.upperBound]))
                }
                index = end
            } else if isWordCharacter(character) {
                var end = index
                var hasLetter = false
                while end < characters.count {
                    let next = characters[end]
                    if isWordCharacter(next) && !isIdeograph(next) {
                        hasLetter = hasLetter || next.isLetter
                        end += 1
                    } else if (next == "." || next == ","), !hasLetter, end > index, characters[end - 1].isNumber,
                              end + 1 < characters.count, characters[end + 1].isNumber {
                        end += 1  // 2.1, 1,000
                    } else {
                        break
                    }
                }
                let written = String(characters[index..<end])
                words.append(TextWord(folded: fold(written), kind: hasLetter ? .word : .number, characters: index..<end,
                                      utf8: utf8Offsets[index]..<utf8Offsets[end]))
                index = end
            } else {
                index += 1
            }
        }
        return words
    }

    /// Han, Hiragana and Katakana (Hangul is written with spaces and stays in words).
    static func isIdeograph(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }

    static func isHiragana(_ character: Character) -> Bool {
        character.unicodeScalars.first.map { (0x3040...0x309F).contains($0.value) } ?? false
    }

    static func isWordCharacter(_ character: Character) -> Bool { character.isLetter || character.isNumber }

    /// Lower case, no combining marks (canonical decomposition first), full-width ASCII as ASCII.
    static func fold(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue  // combining diacritical marks
            case 0xFF01...0xFF5E: result.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            default: result.append(scalar)
            }
        }
        return String(result).precomposedStringWithCanonicalMapping
    }
}
