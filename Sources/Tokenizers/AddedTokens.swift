/// Added tokens (`<|im_end|>` and friends), found in the text before the pre-tokenizer ever sees it.
///
/// Mirrors `AddedVocabulary::find_matches` of `tokenizers` 0.22: leftmost-longest matches of all contents at once
/// (Aho-Corasick), then, per match, the `single_word` check (drop the match when a word character touches it), and
/// `lstrip` / `rstrip` (swallow the whitespace before / after it). Tokens with `normalized: false` are matched in the
/// raw text; those with `normalized: true` in the normalizer's output, against their normalized content.
struct AddedTokenMatcher: Sendable {
    struct Entry: Sendable {
        var id: Int
        var singleWord: Bool
        var lstrip: Bool
        var rstrip: Bool
    }

    /// A stretch of a segment: an added token, or text still to be pre-tokenized.
    enum Segment {
        case token(Int)
        case text(Range<Int>)
    }

    private var entries: [Entry] = []
    /// A byte trie of the contents: `children[node]` maps a byte to the next node; `terminal[node]` is an entry.
    private var children: [[UInt8: Int32]] = [[:]]
    private var terminal: [Int32] = [-1]
    /// Bytes a content can start with, to skip most positions without touching the trie.
    private var startsWith = [Bool](repeating: false, count: 256)

    var isEmpty: Bool { entries.isEmpty }

    init(_ tokens: [(content: [UInt8], entry: Entry)]) {
        for (content, entry) in tokens where !content.isEmpty {
            var node = 0
            for byte in content {
                if let next = children[node][byte] {
                    node = Int(next)
                } else {
                    children.append([:])
                    terminal.append(-1)
                    children[node][byte] = Int32(children.count - 1)
                    node = children.count - 1
                }
            }
            // Two tokens with the same content: the first keeps it, as in `tokenizers`.
            if terminal[node] < 0 {
                terminal[node] = Int32(entries.count)
                entries.append(entry)
            }
            startsWith[Int(content[0])] = true
        }
    }

    /// Cuts `bytes[range]` into added tokens and the text between them, appending to `out`. Empty text is dropped.
    func segments(of bytes: [UInt8], in range: Range<Int>, into out: inout [Segment]) {
        guard !entries.isEmpty else {
            if !range.isEmpty { out.append(.text(range)) }
            return
        }
        var startOffset = range.lowerBound
        var position = range.lowerBound
        while position < range.upperBound {
            guard startsWith[Int(bytes[position])], let (end, index) = longestMatch(bytes, position, range.upperBound)
            else {
                position += 1
                continue
            }
            // The automaton moves past this match whether or not the checks below keep it.
            var start = position
            var stop = end
            position = end
            let entry = entries[index]
            if entry.singleWord {
                let wordBefore = start > range.lowerBound
                    && UnicodeClasses.isWordCharacter(Self.scalar(endingAt: start, in: bytes).scalar)
                let wordAfter = stop < range.upperBound
                    && UnicodeClasses.isWordCharacter(Self.scalar(startingAt: stop, in: bytes))
                if wordBefore || wordAfter { continue }
            }
            if entry.lstrip {
                var newStart = start
                while newStart > range.lowerBound {
                    let (scalar, scalarStart) = Self.scalar(endingAt: newStart, in: bytes)
                    guard scalar.properties.isWhitespace else { break }
                    newStart = scalarStart
                }
                // Spaces already taken by the previous match stay with it.
                start = max(newStart, startOffset)
            }
            if entry.rstrip {
                while stop < range.upperBound {
                    let scalar = Self.scalar(startingAt: stop, in: bytes)
                    guard scalar.properties.isWhitespace else { break }
                    stop += Self.utf8Length(of: bytes[stop])
                }
            }
            if startOffset < start { out.append(.text(startOffset..<start)) }
            out.append(.token(entry.id))
            startOffset = stop
        }
        if startOffset < range.upperBound { out.append(.text(startOffset..<range.upperBound)) }
    }

    private func longestMatch(_ bytes: [UInt8], _ start: Int, _ limit: Int) -> (end: Int, entry: Int)? {
        var node = 0
        var best: (Int, Int)?
        var i = start
        while i < limit, let next = children[node][bytes[i]] {
            node = Int(next)
            i += 1
            if terminal[node] >= 0 { best = (i, Int(terminal[node])) }
        }
        return best
    }

    private static func utf8Length(of lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    private static func scalar(startingAt i: Int, in bytes: [UInt8]) -> Unicode.Scalar {
        let length = utf8Length(of: bytes[i])
        return String(decoding: bytes[i..<min(i + length, bytes.count)], as: UTF8.self).unicodeScalars.first ?? " "
    }

    private static func scalar(endingAt end: Int, in bytes: [UInt8]) -> (scalar: Unicode.Scalar, start: Int) {
        var start = end - 1
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return (scalar(startingAt: start, in: bytes), start)
    }
}
