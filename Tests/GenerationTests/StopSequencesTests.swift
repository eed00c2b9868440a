import Generation
import Testing

/// Stop strings end the text before them, even when they arrive split across pieces, and nothing of them leaks.
@Suite struct StopSequencesTests {
    /// Feeds `text` in pieces of `size` characters; returns what was released and whether a stop matched.
    static func run(_ text: String, stops: [String], size: Int) -> (String, Bool) {
        var filter = StopSequences(stops)
        var out = ""
        var index = text.startIndex
        while index < text.endIndex, !filter.matched {
            let end = text.index(index, offsetBy: size, limitedBy: text.endIndex) ?? text.endIndex
            out += filter.append(String(text[index..<end]))
            index = end
        }
        out += filter.finish()
        return (out, filter.matched)
    }

    @Test func cutsAtTheEarliestStopWhateverThePieces() {
        for size in 1...6 {
            #expect(Self.run("Hello world. The end.", stops: ["world", "The"], size: size) == ("Hello ", true), "\(size)")
            #expect(Self.run("a\n\nb", stops: ["\n\n"], size: size) == ("a", true))
            // A partial match that does not complete is released in full.
            #expect(Self.run("wor wo w", stops: ["world"], size: size) == ("wor wo w", false))
            #expect(Self.run("ééé", stops: ["éx"], size: size) == ("ééé", false))
        }
        #expect(Self.run("anything", stops: [], size: 3) == ("anything", false))
    }
}
