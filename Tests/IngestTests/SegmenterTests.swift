import Testing
@testable import Ingest

@Suite("Segmenter (ICU)")
struct SegmenterTests {
    func sentences(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        let starts = Segmenter.sentenceStarts(bytes[...])
        return starts.indices.map { k in
            let end = k + 1 < starts.count ? starts[k + 1] : bytes.count
            return String(decoding: bytes[starts[k]..<end], as: UTF8.self)
        }
    }

    @Test func sentencesInSeveralScripts() {
        #expect(sentences("It costs 3.14 euros. Really? Yes!") == ["It costs 3.14 euros. ", "Really? ", "Yes!"])
        #expect(sentences("水は蒸発します。雲になります。") == ["水は蒸発します。", "雲になります。"])
        #expect(sentences("水蒸气上升，冷却后凝结成云！最后落到地面？") == ["水蒸气上升，冷却后凝结成云！", "最后落到地面？"])
        #expect(sentences("") == [])
    }

    @Test func wordStartsSplitIdeographRuns() {
        let text = "水在阳光下从海洋蒸发"
        let starts = Segmenter.wordStarts(Array(text.utf8)[...])
        #expect(starts.first == 0)
        #expect(starts.count > 3)                         // dictionary words, not one run
        #expect(starts.allSatisfy { $0 % 3 == 0 })        // on character boundaries (3-byte ideographs)
        #expect(Segmenter.wordStarts(Array("Hello, big world.".utf8)[...]) == [0, 7, 11])
    }
}
