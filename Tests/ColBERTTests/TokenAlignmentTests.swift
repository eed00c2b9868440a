import ColBERT
import Foundation
import Testing
import TestSupport

/// Placing a document's kept tokens in its text, and MaxSim over parts of it (the extractive answer's sentence scorer).
@Suite struct TokenAlignmentTests {
    static let encoder = try! ColBERTEncoder.load(directory: Fixtures.url("colbert-causal-tiny"))

    @Test(arguments: ["Rivers carry water to the sea; the sun lifts it again.",
                      "  Le vélo a des vitesses, n'est-ce pas ?  ",
                      "水は海へ流れる。電気ケトルは自動で止まる。",
                      "let x = a[i] + 3.14 // (done)"])
    func everyTextTokenIsPlacedOnItsOwnBytes(text: String) throws {
        let encoder = Self.encoder
        let document = try encoder.encodeDocument(text)
        let ranges = encoder.tokenRanges(in: text, keptIDs: document.ids)
        #expect(ranges.count == document.count)
        #expect(ranges[0] == nil && ranges[1] == nil, "BOS and the prefix token are not in the text")
        let bytes = Array(text.utf8)
        var covered = [Bool](repeating: false, count: bytes.count)
        var previousEnd = 0
        for (id, range) in zip(document.ids, ranges).dropFirst(2) {
            let placed = try #require(range, "token \(id) of \(text.debugDescription) was not placed")
            #expect(placed.lowerBound >= previousEnd, "tokens out of order")
            previousEnd = placed.upperBound
            for index in placed { covered[index] = true }
        }
        // What no kept token covers is what the skiplist dropped (punctuation) or the stripped whitespace: a token
        // placed too far away would leave letters uncovered.
        var gap: [UInt8] = []
        for (byte, isCovered) in zip(bytes, covered) where !isCovered { gap.append(byte) }
        let left = String(decoding: gap, as: UTF8.self)
        #expect(left.allSatisfy { $0.isPunctuation || $0.isWhitespace || $0.isSymbol }, "uncovered: \(left.debugDescription)")
    }

    @Test func spanScoresAreMaxSimRestrictedToTheSpan() throws {
        let encoder = Self.encoder
        let query = try encoder.encodeQuery("where does the river water go")
        let text = "The river carries water to the sea. Tea grows on hills."
        let document = try encoder.encodeDocument(text)
        let ranges = encoder.tokenRanges(in: text, keptIDs: document.ids)

        // Every token in one span: the plain MaxSim, averaged over query vectors.
        let everywhere = [Range<Int>?](repeating: 0 ..< 1, count: document.count)
        let whole = ColBERTEncoder.spanScores(query: query, document: document, ranges: everywhere, spans: [0 ..< 1])
        let expected = Double(ColBERTEncoder.maxSim(query: query, document: document)) / Double(query.count)
        #expect(abs(whole[0] - expected) < 1e-5)

        // Two sentences: each scores at most the whole text; a stretch holding no token scores 0.
        let split = text.utf8.count - " Tea grows on hills.".utf8.count
        let scores = ColBERTEncoder.spanScores(query: query, document: document, ranges: ranges,
                                               spans: [0 ..< split, split ..< text.utf8.count, 10_000 ..< 10_001])
        let textOnly = ColBERTEncoder.spanScores(query: query, document: document, ranges: ranges,
                                                 spans: [0 ..< text.utf8.count])[0]
        #expect(scores[0] <= textOnly + 1e-6 && scores[1] <= textOnly + 1e-6)
        #expect(scores[2] == 0)
    }
}
