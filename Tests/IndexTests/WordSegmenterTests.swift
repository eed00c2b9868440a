import CICU
import Index
import Testing

@Suite struct WordSegmenterTests {
    @Test func chineseSentenceSplitsIntoWords() {
        let words = WordSegmenter.words("我昨天去了北京大学图书馆。").map { String($0.text) }
        print(words)
        #expect(words.joined() == "我昨天去了北京大学图书馆")
        #expect(words.count > 3)
    }

    @Test func japaneseAndThai() {
        let japanese = WordSegmenter.words("東京都の天気は晴れです。図書館で本を読みました。").map { String($0.text) }
        print(japanese)
        #expect(japanese.contains("天気"))
        let thai = WordSegmenter.words("ภาษาไทยไม่มีช่องว่างระหว่างคำ").map { String($0.text) }
        print(thai)
        #expect(thai.count > 3)
    }

    @Test func englishSkipsSpacesAndPunctuation() {
        let words = WordSegmenter.words("Hello, wörld! It's 3.14 — ok?")
        #expect(words.map { String($0.text) } == ["Hello", "wörld", "It's", "3.14", "ok"])
        #expect(words[1].utf8Range == 7..<13)
    }

    @Test func sentenceBreaksAreByteOffsets() {
        let text = "First one. Second 二. 第三句。End"
        var starts = [Int32](repeating: 0, count: 16)
        let count = Array(text.utf8).withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { ferret_sentence_breaks($0.baseAddress, Int32($0.count), &starts, 16) }
        }
        #expect(count == 4)
        let bytes = Array(text.utf8)
        let sentences = (0..<Int(count)).map { i -> String in
            let end = i + 1 < Int(count) ? Int(starts[i + 1]) : bytes.count
            return String(decoding: bytes[Int(starts[i])..<end], as: UTF8.self)
        }
        #expect(sentences == ["First one. ", "Second 二. ", "第三句。", "End"])
        #expect(ferret_sentence_breaks(nil, 0, nil, 0) == 0)
        #expect(ferret_word_segments(nil, 0, nil, 0) == 0)
    }

    @Test func capacityTooSmallReportsTotal() {
        let text = "one two three four"
        let count = Array(text.utf8).withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { ferret_word_segments($0.baseAddress, Int32($0.count), nil, 0) }
        }
        #expect(count == 4)
        var bounds = [Int32](repeating: 0, count: 8)
        let utf16 = Array(text.utf16)
        #expect(ferret_word_segments_utf16(utf16, Int32(utf16.count), &bounds, 4) == 4)
        #expect(bounds == [0, 3, 4, 7, 8, 13, 14, 18])
    }
}
