/// Joins the printed lines of a block into paragraphs, so the chunker's sentence breaks see whole sentences: lines
/// are joined with a space, a word hyphenated at a line end is joined again, and a line that starts with a bullet
/// starts a list item (`- `) on its own line.
///
/// Poppler makes a new block where the spacing between lines grows, so paragraphs set apart by space are blocks
/// already. Paragraphs set apart only by a first-line indent share a block; a line that ends a sentence and either
/// stops well short of the block's right edge or is followed by an indented line ends a paragraph. (A wrong guess
/// costs little: the break falls at the end of a sentence either way.)
///
/// A line ending in a hyphen (`-`, U+2010) directly after a letter, followed by a line starting with a lower-case
/// letter, is a word broken by the typesetter: `opera-` + `tion` → `operation`. The hyphen stays, without a space,
/// when the hyphen belongs to the word:
/// - the next line starts with a capital or a digit (`well-` + `Known`, `pre-` + `2000`), or the hyphen follows a
///   digit (`1990-` + `2000`);
/// - the broken part already holds a hyphen (`state-of-the-` + `art`);
/// - the document writes the hyphenated form elsewhere and never the joined one (`non-` + `linear` when
///   "non-linear" occurs in the text and "nonlinear" does not).
/// A soft hyphen (U+00AD) at a line end is always a break: it is dropped and the word joined.
struct PDFParagraphs {
    /// Lower-cased words of the document with punctuation at their ends removed, except those broken at a line end.
    let vocabulary: Set<String>

    init(vocabulary: Set<String>) {
        self.vocabulary = vocabulary
    }

    /// The vocabulary of some pages.
    init(pages: [PDFLayout.Page]) {
        var words = Set<String>()
        for page in pages {
            for block in page.blocks {
                for line in block.lines {
                    for (index, word) in line.words.enumerated() {
                        if index == line.words.count - 1, Self.endsWithHyphen(word) { continue }
                        words.insert(Self.vocabularyForm(word))
                    }
                }
            }
        }
        self.init(vocabulary: words)
    }

    /// How two lines of a paragraph are put together.
    enum Joint: Equatable {
        /// A space between them.
        case space
        /// The line-end hyphen is dropped and the word joined (`opera-` + `tion`).
        case joinWord
        /// The hyphen stays, no space (`well-` + `Known`).
        case keepHyphen
    }

    /// A line stopping short of the block's right edge by more than this share of its width may end a paragraph.
    static let shortLineShare = 0.15
    /// A line starting this far right of the block's left edge (points) may start a paragraph.
    static let minimumIndent = 4.0

    /// The paragraphs of a block, in order, none empty.
    func paragraphs(_ lines: [PDFLayout.Line]) -> [String] {
        var texts: [String] = []
        var start = 0
        for end in Self.paragraphEnds(lines) {
            let text = paragraph(lines[start...end].map(\.words))
            if !text.isEmpty { texts.append(text) }
            start = end + 1
        }
        return texts
    }

    /// The indices of the lines that end a paragraph; the last line always does.
    static func paragraphEnds(_ lines: [PDFLayout.Line]) -> [Int] {
        guard let left = lines.map(\.left).min(), let right = lines.map(\.right).max() else { return [] }
        let width = right - left
        var ends: [Int] = []
        for i in lines.indices.dropLast() where endsSentence(lines[i].words.last ?? "") {
            let short = right - lines[i].right > shortLineShare * width
            let nextIndented = lines[i + 1].left - left >= minimumIndent
            if short || nextIndented { ends.append(i) }
        }
        ends.append(lines.count - 1)
        return ends
    }

    /// The word ends with `.`, `!`, `?` or `:` (or their CJK forms), possibly followed by closing quotes or brackets.
    static func endsSentence(_ word: String) -> Bool {
        let closers: Set<Character> = ["\"", "'", "”", "’", ")", "]", "»"]
        guard let last = word.last(where: { !closers.contains($0) }) else { return false }
        return ".!?:。！？：".contains(last)
    }

    /// The text of lines (each a non-empty list of words) joined. List items are separated by `\n`.
    func paragraph(_ lines: [[String]]) -> String {
        var items: [String] = []
        var current = ""
        var lastWord = ""
        for words in lines {
            guard let first = words.first, let last = words.last else { continue }
            if let item = Self.listItem(words) {
                if !current.isEmpty { items.append(current) }
                current = item
            } else if current.isEmpty {
                current = words.joined(separator: " ")
            } else {
                switch joint(after: lastWord, before: first) {
                case .space: current += " "
                case .joinWord: current.unicodeScalars.removeLast()
                case .keepHyphen: break
                }
                current += words.joined(separator: " ")
            }
            lastWord = last
        }
        if !current.isEmpty { items.append(current) }
        return items.joined(separator: "\n")
    }

    /// How the line ending in `last` and the line starting with `next` are joined.
    func joint(after last: String, before next: String) -> Joint {
        if last.unicodeScalars.last == "\u{AD}" { return .joinWord }
        guard Self.endsWithHyphen(last), last.unicodeScalars.count >= 2 else { return .space }
        let stem = String(last.unicodeScalars.dropLast())
        guard let before = stem.last, before.isLetter else { return .keepHyphen }
        guard let first = next.first, first.isLetter, first.isLowercase else { return .keepHyphen }
        if stem.unicodeScalars.contains(where: { $0 == "-" || $0 == "\u{2010}" }) { return .keepHyphen }
        let tail = String(next.prefix { $0.isLetter })
        let hyphenated = Self.vocabularyForm(stem + "-" + tail), joined = Self.vocabularyForm(stem + tail)
        if vocabulary.contains(hyphenated) && !vocabulary.contains(joined) { return .keepHyphen }
        return .joinWord
    }

    /// `- text` when the line starts with a bullet: a bullet character alone or in front of the first word, or a
    /// lone `-`, `–` or `*`.
    static func listItem(_ words: [String]) -> String? {
        guard let first = words.first, let mark = first.first else { return nil }
        let rest: [String]
        if first.count == 1 && (bullets.contains(mark) || "-–*".contains(mark)) {
            rest = Array(words.dropFirst())
        } else if bullets.contains(mark) {
            rest = [String(first.dropFirst())] + words.dropFirst()
        } else {
            return nil
        }
        guard !rest.isEmpty else { return nil }
        return "- " + rest.joined(separator: " ")
    }

    private static let bullets: Set<Character> = ["•", "◦", "▪", "▫", "‣", "∙", "●", "○", "■", "□", "➢", "►", "\u{F0B7}"]

    private static func endsWithHyphen(_ word: String) -> Bool {
        let last = word.unicodeScalars.last
        return last == "-" || last == "\u{2010}"
    }

    /// Lower-cased, without punctuation at either end, U+2010 written as `-`.
    static func vocabularyForm(_ word: String) -> String {
        if word.utf8.allSatisfy({ $0 < 0x80 }) {
            let isWordByte = { (b: UInt8) in (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) }
            let bytes = word.utf8
            guard let start = bytes.firstIndex(where: isWordByte), let end = bytes.lastIndex(where: isWordByte)
            else { return "" }
            return String(decoding: bytes[start...end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        let scalars = word.lowercased().unicodeScalars
        guard let start = scalars.firstIndex(where: isWordScalar), let end = scalars.lastIndex(where: isWordScalar)
        else { return "" }
        var form = String.UnicodeScalarView()
        for scalar in scalars[start...end] { form.append(scalar == "\u{2010}" ? "-" : scalar) }
        return String(form)
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
