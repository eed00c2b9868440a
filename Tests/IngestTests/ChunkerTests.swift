import Foundation
import Testing
@testable import Ingest

@Suite("Chunker")
struct ChunkerTests {
    /// Checks the invariants every split must keep, and returns the passages.
    @discardableResult
    func checked(_ passages: [Passage], of text: String, maxTokens: Int,
                 count: (String) -> Int = approximateBPE, overlapping: Bool = false) -> [Passage] {
        let bytes = Array(text.utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var previousEnd = 0
        for (i, p) in passages.enumerated() {
            #expect(p.ordinal == i)
            #expect(p.text == String(decoding: bytes[p.byteStart..<p.byteEnd], as: UTF8.self))
            #expect(!p.text.isEmpty)
            #expect(p.text.first?.isWhitespace == false && p.text.last?.isWhitespace == false, "\(p.text)")
            #expect(p.tokenCount == count(p.text))
            #expect(p.tokenCount <= maxTokens, "passage \(i) has \(p.tokenCount) tokens: \(p.text)")
            // The lines it claims hold it exactly: it starts on the first and ends on the last.
            let claimed = lines[(p.lineStart - 1)...(p.lineEnd - 1)].joined(separator: "\n")
            #expect(claimed.contains(p.text), "lines \(p.lineStart)-\(p.lineEnd) do not hold \(p.text)")
            #expect(p.text.filter { $0 == "\n" }.count == p.lineEnd - p.lineStart)
            if !overlapping {
                // Nothing but whitespace is left out between passages.
                let gap = String(decoding: bytes[previousEnd..<p.byteStart], as: UTF8.self)
                #expect(gap.allSatisfy { $0.isWhitespace }, "lost text: \(gap)")
                previousEnd = p.byteEnd
            }
        }
        if !overlapping {
            #expect(String(decoding: bytes[previousEnd...], as: UTF8.self).allSatisfy { $0.isWhitespace })
        }
        return passages
    }

    let prose = """
    # The water cycle

    Water evaporates from the sea when the sun warms it. The vapour rises, cools and condenses into clouds. \
    Winds carry the clouds over the land.
    When the droplets grow heavy enough they fall as rain or snow!
    Is that the end? No: rivers carry the water back to the sea.

    ## Groundwater

    Some rain soaks into the ground and feeds springs and wells. It can stay underground for thousands of years \
    before it returns to the surface.

    - Evaporation
    - Condensation
    - Precipitation

    ## 日本語

    水は太陽に温められて海から蒸発します。水蒸気は上昇し、冷えて雲になります。雨や雪として地上に降ります。

    ## 中文

    水在阳光下从海洋蒸发。水蒸气上升，冷却后凝结成云。最后以雨或雪的形式落到地面。
    """

    @Test func emptyAndWhitespaceOnlyTextGiveNoPassages() {
        let chunker = Chunker(maxTokens: 50, countTokens: approximateBPE)
        #expect(chunker.split("").isEmpty)
        #expect(chunker.split(" \n\n\t  \n").isEmpty)
    }

    @Test(arguments: [12, 20, 35, 60, 120, 1000])
    func budgetAndRangesHoldForAnyBudget(maxTokens: Int) {
        let chunker = Chunker(maxTokens: maxTokens, countTokens: approximateBPE)
        let passages = checked(chunker.split(prose), of: prose, maxTokens: maxTokens)
        #expect(!passages.isEmpty)
        if maxTokens == 1000 { #expect(passages.count == 4) }  // one per heading section
    }

    @Test func headingsStartPassagesAndCarryTheirPath() {
        let chunker = Chunker(maxTokens: 1000, countTokens: approximateBPE)
        let passages = checked(chunker.split(prose), of: prose, maxTokens: 1000)
        #expect(passages.map { String($0.text.prefix(while: { $0 != "\n" })) }
                == ["# The water cycle", "## Groundwater", "## 日本語", "## 中文"])
        #expect(passages.map(\.headingPath) == [["The water cycle"], ["The water cycle", "Groundwater"],
                                                ["The water cycle", "日本語"], ["The water cycle", "中文"]])
        #expect(passages.map(\.lineStart) == [1, 7, 15, 19])
        #expect(passages.map(\.lineEnd) == [5, 13, 17, 21])
    }

    @Test func chineseAndJapaneseSplitOnFullStops() {
        let text = "水は太陽に温められて海から蒸発します。水蒸気は上昇し、冷えて雲になります。雨や雪として地上に降ります。"
        let perSentence = Chunker(maxTokens: 22, countTokens: approximateBPE)
        let passages = checked(perSentence.split(text), of: text, maxTokens: 22)
        #expect(passages.map(\.text) == ["水は太陽に温められて海から蒸発します。", "水蒸気は上昇し、冷えて雲になります。",
                                         "雨や雪として地上に降ります。"])
        let zh = "水在阳光下从海洋蒸发。水蒸气上升，冷却后凝结成云！最后以雨或雪的形式落到地面？"
        let zhPassages = checked(Chunker(maxTokens: 16, countTokens: approximateBPE).split(zh), of: zh, maxTokens: 16)
        #expect(zhPassages.map(\.text) == ["水在阳光下从海洋蒸发。", "水蒸气上升，冷却后凝结成云！", "最后以雨或雪的形式落到地面？"])
    }

    @Test func overLongSentencesAreCutAtWordsThenCharacters() {
        let words = (0..<300).map { "word\($0)" }.joined(separator: " ")
        let chunker = Chunker(maxTokens: 40, countTokens: approximateBPE)
        let passages = checked(chunker.split(words + "."), of: words + ".", maxTokens: 40)
        #expect(passages.count > 10)
        #expect(passages.map(\.text).joined(separator: " ") == words + ".")
        let blob = String(repeating: "QUJDRA", count: 200)  // one 1,200-character "word"
        let pieces = checked(chunker.split(blob), of: blob, maxTokens: 40)
        #expect(pieces.map(\.text).joined() == blob)
        #expect(pieces.allSatisfy { $0.tokenCount >= 30 })  // filled, not one character each
        let cjk = String(repeating: "水在阳光下从海洋蒸发", count: 20)  // no full stop at all
        checked(chunker.split(cjk), of: cjk, maxTokens: 40)
    }

    @Test func paragraphBoundariesArePreferred() {
        let paragraph = "This sentence has some words. And here are more words in a second sentence."
        let text = [paragraph, paragraph, paragraph].joined(separator: "\n\n")
        let one = approximateBPE(paragraph)
        let chunker = Chunker(maxTokens: 2 * one, countTokens: approximateBPE)
        let passages = checked(chunker.split(text, as: .prose), of: text, maxTokens: 2 * one)
        // Two paragraphs fit; the third does not get split to fill the passage.
        #expect(passages.map(\.text) == [paragraph + "\n\n" + paragraph, paragraph])
    }

    @Test func codeFencesStayWholeWhenTheyFit() {
        let text = "Intro line.\n\n```swift\nlet a = 1\n\nlet b = 2\n```\n\nAfter."
        let passages = checked(Chunker(maxTokens: 1000, countTokens: approximateBPE).split(text), of: text, maxTokens: 1000)
        #expect(passages.count == 1)
        // The fence costs 18 with the counter's two specials: it moves whole to its own passage.
        let tight = checked(Chunker(maxTokens: 20, countTokens: approximateBPE).split(text), of: text, maxTokens: 20)
        #expect(tight.map(\.text) == ["Intro line.", "```swift\nlet a = 1\n\nlet b = 2\n```", "After."])
        // Too big for any passage: split between lines, never inside one.
        let split = checked(Chunker(maxTokens: 12, countTokens: approximateBPE).split(text), of: text, maxTokens: 12)
        #expect(split.map(\.text).contains("let a = 1\n\nlet b = 2"))
    }

    @Test func linesModeKeepsWholeRows() {
        let csv = (0..<50).map { "\($0),name \($0),a longer description of row \($0)" }.joined(separator: "\n")
        let passages = checked(Chunker(maxTokens: 60, countTokens: approximateBPE).split(csv, as: .lines), of: csv, maxTokens: 60)
        let rows = Set(csv.split(separator: "\n").map(String.init))
        for p in passages { #expect(p.text.split(separator: "\n").allSatisfy { rows.contains(String($0)) }) }
    }

    @Test func overlapRepeatsTrailingSentences() {
        let text = (1...12).map { "Sentence number \($0) is here." }.joined(separator: " ")
        let chunker = Chunker(maxTokens: 30, overlapSentences: 1, countTokens: approximateBPE)
        let passages = checked(chunker.split(text), of: text, maxTokens: 30, overlapping: true)
        #expect(passages.count > 2)
        for (a, b) in zip(passages, passages.dropFirst()) {
            #expect(b.byteStart < a.byteEnd && b.byteStart > a.byteStart, "no overlap between \(a.text) | \(b.text)")
        }
        #expect(passages.last?.text.hasSuffix("Sentence number 12 is here.") == true)
    }

    @Test func lexicalWordCountBudget() {
        let chunker = Chunker(maxTokens: 25, countTokens: wordCount)
        checked(chunker.split(prose), of: prose, maxTokens: 25, count: wordCount)
    }

    @Test func deterministic() {
        let chunker = Chunker(maxTokens: 30, overlapSentences: 1, countTokens: approximateBPE)
        #expect(chunker.split(prose) == chunker.split(prose))
    }

    @Test func countingWorkIsLinear() {
        let counted = CountedCharacters()
        let text = String(repeating: prose + "\n\n", count: 40)
        let chunker = Chunker(maxTokens: 80, countTokens: { counted.add($0.utf8.count); return approximateBPE($0) })
        checked(chunker.split(text), of: text, maxTokens: 80)
        #expect(counted.total < 3 * text.utf8.count, "counted \(counted.total) bytes for \(text.utf8.count)")
    }

    @Test func extractedHTMLGetsSourceLines() throws {
        let html = "<html>\n<head><title>T</title></head>\n<body>\n<h2>Intro</h2>\n<p>First\nparagraph.</p>\n\n<p>Second.</p>\n</body></html>"
        let doc = try TextExtractor.extract(bytes: Array(html.utf8), format: .html, path: "t.html")
        let passages = Chunker(maxTokens: 1000, countTokens: approximateBPE).split(doc)
        #expect(passages.count == 1)
        #expect(passages.first?.lineStart == 4)
        #expect(passages.first?.lineEnd == 8)
    }
}

/// Sums how many bytes a counter was asked to count.
final class CountedCharacters: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var bytes = 0
    func add(_ n: Int) { lock.lock(); bytes += n; lock.unlock() }
    var total: Int { lock.lock(); defer { lock.unlock() }; return bytes }
}
