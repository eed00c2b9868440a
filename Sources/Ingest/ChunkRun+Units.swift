/// Cutting blocks into units, and units over the budget into smaller ones.
extension ChunkRun {
    func makeUnits() -> [Unit] {
        var units: [Unit] = []
        var headingPath: [(level: Int, title: String)] = []
        for (blockIndex, block) in layout.blocks(segmentation).enumerated() {
            var ranges: [Range<Int>] = []
            var isHeading = false
            switch block.kind {
            case .heading(let level, let title):
                while let last = headingPath.last, last.level >= level { headingPath.removeLast() }
                headingPath.append((level, title))
                isHeading = true
                ranges = block.items
            case .lines:
                ranges = block.items
            case .prose:
                ranges = block.items.flatMap(sentences)
            }
            let path = headingPath.map(\.title)
            for range in ranges {
                let trimmed = layout.trimmed(range)
                guard !trimmed.isEmpty else { continue }
                let total = count(trimmed)
                let pieces = total <= maxTokens ? [(trimmed, total)] : splitLong(trimmed)
                for (piece, tokens) in pieces {
                    units.append(Unit(range: piece, tokens: max(0, tokens - overhead), block: blockIndex,
                                      isHeading: isHeading, inFence: block.isFence, headingPath: path))
                }
            }
        }
        return units
    }

    /// Sentence ranges of one paragraph item. Line breaks inside it are read as spaces, so hard-wrapped prose is not
    /// cut at every line (ICU ends a sentence at every newline).
    private func sentences(_ item: Range<Int>) -> [Range<Int>] {
        var bytes = Array(layout.bytes[item])
        for i in bytes.indices where bytes[i] == 0x0A || bytes[i] == 0x0D { bytes[i] = 0x20 }
        let starts = Segmenter.sentenceStarts(bytes[...])
        return starts.indices.map { k in
            let lower = item.lowerBound + starts[k]
            let upper = k + 1 < starts.count ? item.lowerBound + starts[k + 1] : item.upperBound
            return lower..<upper
        }
    }

    /// Pieces of a unit over the budget, each with its measured count: words packed greedily (verified, backing off
    /// a word at a time), and a single word over the budget cut between characters.
    func splitLong(_ range: Range<Int>) -> [(Range<Int>, Int)] {
        let starts = Segmenter.wordStarts(layout.bytes[range]).map { range.lowerBound + $0 }
        var words: [Range<Int>] = []
        for (k, start) in starts.enumerated() {
            words.append(start..<(k + 1 < starts.count ? starts[k + 1] : range.upperBound))
        }
        var pieces: [(Range<Int>, Int)] = []
        var k = 0
        while k < words.count {
            // Grow a piece word by word on the estimate, then check it as a whole.
            var estimate = overhead
            var end = k
            while end < words.count {
                let add = max(0, count(layout.trimmed(words[end])) - overhead)
                if end > k && estimate + add > maxTokens { break }
                estimate += add
                end += 1
            }
            while true {
                let piece = layout.trimmed(words[k].lowerBound..<words[end - 1].upperBound)
                if piece.isEmpty { break }
                let real = count(piece)
                if real <= maxTokens { pieces.append((piece, real)); break }
                if end - k == 1 { pieces += splitCharacters(piece); break }
                end -= 1
            }
            k = end
        }
        return pieces
    }

    /// Cuts a range with no usable word boundary between characters (grapheme clusters), each piece the longest
    /// prefix that fits. The search starts from the previous piece's length, gallops, then bisects, so a piece
    /// costs a few counts of about its own size.
    private func splitCharacters(_ range: Range<Int>) -> [(Range<Int>, Int)] {
        var ends: [Int] = []  // byte offset after each character
        var offset = range.lowerBound
        for character in text(range) { offset += character.utf8.count; ends.append(offset) }
        var pieces: [(Range<Int>, Int)] = []
        var first = 0          // index of the next piece's first character
        var guess = 64         // characters per piece, learnt from the previous piece
        while first < ends.count {
            let start = first == 0 ? range.lowerBound : ends[first - 1]
            func fits(_ last: Int) -> Int? {
                let c = count(start..<ends[last])
                return c <= maxTokens ? c : nil
            }
            // Invariant: `good` fits (or is the single character every piece must take), `bad` does not fit.
            var good = first, goodCount = count(start..<ends[first])
            var bad = ends.count
            let probe = min(first + guess - 1, ends.count - 1)
            var galloping = true
            if probe > good {
                if let c = fits(probe) { good = probe; goodCount = c } else { bad = probe; galloping = false }
            }
            var step = 1
            while galloping && good + step < ends.count {
                if let c = fits(good + step) { good += step; goodCount = c; step *= 2 } else { bad = good + step; break }
            }
            while bad - good > 1 {
                let mid = (good + bad) / 2
                if let c = fits(mid) { good = mid; goodCount = c } else { bad = mid }
            }
            pieces.append((start..<ends[good], goodCount))
            guess = good - first + 1
            first = good + 1
        }
        return pieces
    }
}
