/// Packs units into passages (see `Chunker` for the rules).
struct Packer {
    let run: ChunkRun
    let units: [ChunkRun.Unit]
    /// `remaining[i]`: the tokens of units `i…` up to the end of unit `i`'s block.
    private let remaining: [Int]
    private var passages: [Passage] = []
    /// Indices into `units` of the passage being filled; the first `overlap` of them repeat the previous passage.
    private var current: [Int] = []
    private var overlap = 0
    private var estimate: Int
    private var budget: Int { run.maxTokens }

    init(run: ChunkRun, units: [ChunkRun.Unit]) {
        self.run = run
        self.units = units
        var remaining = [Int](repeating: 0, count: units.count)
        for i in units.indices.reversed() {
            let sameBlock = i + 1 < units.count && units[i + 1].block == units[i].block
            remaining[i] = units[i].tokens + (sameBlock ? remaining[i + 1] : 0)
        }
        self.remaining = remaining
        self.estimate = run.overhead
    }

    mutating func pack() -> [Passage] {
        var i = 0
        while true {
            guard i < units.count else {
                guard current.count > overlap else { break }
                if let resume = emit(keepOverlap: false) { i = resume; continue }
                break
            }
            let unit = units[i]
            let hasContent = current.count > overlap && !current[overlap...].allSatisfy { units[$0].isHeading }
            var flush = false
            if unit.isHeading {
                if hasContent { flush = true } else { trimOverlap(toFit: -1) }
            } else if estimate + unit.tokens > budget {
                if current.count > overlap { flush = true } else { trimOverlap(toFit: unit.tokens) }
            } else if hasContent && (i == 0 || units[i - 1].block != unit.block) {
                // Break at the paragraph boundary when the paragraph would fit a fresh passage but not this one, and
                // this one is already at least half full (a code block: however full this one is).
                let used = estimate - run.overhead, room = budget - run.overhead
                let wouldFitAlone = estimate + remaining[i] > budget && remaining[i] <= room
                if wouldFitAlone && (2 * used >= room || unit.inFence) { flush = true }
            }
            if flush {
                if let resume = emit(keepOverlap: !unit.isHeading) { i = resume; continue }
                if unit.isHeading { trimOverlap(toFit: -1) } else { trimOverlap(toFit: unit.tokens) }
            }
            current.append(i)
            estimate += unit.tokens
            i += 1
        }
        return passages
    }

    /// Writes the passage being filled, measured as a whole; while it is over the budget its last unit is handed
    /// back. Returns the index to resume packing from when units were handed back. Starts the next passage with the
    /// overlap, if any.
    private mutating func emit(keepOverlap: Bool) -> Int? {
        var handedBack: Int?
        var k = current.count
        while true {
            let range = units[current[0]].range.lowerBound..<units[current[k - 1]].range.upperBound
            let real = run.count(range)
            // A unit alone always fits: units over the budget were split when they were made.
            if real <= budget || k == 1 {
                let text = run.text(range)
                passages.append(Passage(
                    ordinal: passages.count, text: text, byteStart: range.lowerBound, byteEnd: range.upperBound,
                    lineStart: run.layout.line(of: range.lowerBound), lineEnd: run.layout.line(of: range.upperBound - 1),
                    tokenCount: real, headingPath: units[current[0]].headingPath))
                break
            }
            if k - 1 <= overlap {
                // Only repeated units would be left: give up the overlap instead.
                current.removeFirst(overlap)
                overlap = 0
                k = current.count
                continue
            }
            k -= 1
            handedBack = current[k]
        }
        let kept = current[..<k]
        current = []
        overlap = 0
        estimate = run.overhead
        if keepOverlap && run.chunker.overlapSentences > 0 {
            let tail = kept.dropFirst().suffix(run.chunker.overlapSentences).reversed().prefix { !units[$0].isHeading }
            current = Array(tail.reversed())
            overlap = current.count
            estimate += current.reduce(0) { $0 + units[$1].tokens }
        }
        return handedBack
    }

    /// Drops repeated units from the front until `tokens` more fit (all of them when `tokens` is negative).
    private mutating func trimOverlap(toFit tokens: Int) {
        while overlap > 0 && (tokens < 0 || estimate + tokens > budget) {
            estimate -= units[current.removeFirst()].tokens
            overlap -= 1
        }
    }
}
