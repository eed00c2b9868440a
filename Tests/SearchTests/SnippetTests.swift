import Foundation
import Index
import Search
import Testing

@Suite struct SnippetTests {
    @Test func longPassageSnippetCentresOnTheMatch() throws {
        let index = try TemporaryIndex(encoder: nil)
        defer { index.cleanup() }
        let filler = Array(repeating: "lorem ipsum dolor sit amet,", count: 40).joined(separator: "\n  ")
        try index.add("long.txt", [filler + " the needle is here. " + filler])
        let hit = try #require(try Searcher(database: index.database).search(SearchRequest(text: "Needle", k: 1, mode: .lexical)).first)
        #expect(hit.snippet.hasPrefix("…") && hit.snippet.hasSuffix("…"))
        #expect(!hit.snippet.contains("\n") && !hit.snippet.contains("  "))
        #expect(hit.snippet.unicodeScalars.count < 260)
        let h = try #require(hit.highlights.first)
        #expect(String(hit.snippet.unicodeScalars.dropFirst(h.start).prefix(h.end - h.start)) == "needle")
    }

    /// A semantic hit with no query word in it: the snippet moves to, and highlights, the word MaxSim aligned to.
    @Test func semanticSnippetHighlightsTheAlignedWord() throws {
        let index = try TemporaryIndex()
        defer { index.cleanup() }
        let dimension = SearchFixtures.encoder.dimension
        var words = Array(repeating: "lorem", count: 120)
        words[90] = "Fahrrad"
        let text = words.joined(separator: " ")
        // One token per word (id = word index); "Fahrrad" points along axis 0, every other word along axis 1.
        var vectors = [Float](repeating: 0, count: words.count * dimension)
        for (i, word) in words.enumerated() { vectors[i * dimension + (word == "Fahrrad" ? 0 : 1)] = 1 }
        try index.database.replaceDocument(
            DocumentInput(path: "de.txt", contentHash: "h", size: 1, modified: Date()),
            passages: [PassageInput(ordinal: 0, text: text, byteStart: 0, byteEnd: text.utf8.count, lineStart: 1, lineEnd: 1,
                                    tokenIDs: Array(words.indices), vectors: vectors)])
        var query = [Float](repeating: 0, count: 2 * dimension)
        query[0] = 1                    // aligns with "Fahrrad"
        query[dimension + 0] = 0.9      // and so does the second query vector
        let spans = words.indices.map { i in
            let start = words[..<i].reduce(0) { $0 + $1.utf8.count + 1 }
            return start ..< start + words[i].utf8.count
        }
        let locate: @Sendable (String, [Int]) -> [Range<Int>?] = { _, ids in ids.map { spans[$0] } }
        let request = SearchRequest(text: "bicycle", queryVectors: QueryVectors(vectors: query, count: 2, dimension: dimension),
                                    k: 1, mode: .semantic, locateTokens: locate)
        let hit = try #require(try Searcher(database: index.database).search(request).first)
        #expect(hit.snippet.hasPrefix("…") && hit.snippet.contains("Fahrrad"), "\(hit.snippet)")
        let marked = hit.highlights.map { String(hit.snippet.unicodeScalars.dropFirst($0.start).prefix($0.end - $0.start)) }
        #expect(marked == ["Fahrrad"], "\(marked)")

        // Without a way to place tokens nothing is highlighted (the window still follows the aligned eighth).
        var unplaced = request
        unplaced.locateTokens = nil
        let plain = try #require(try Searcher(database: index.database).search(unplaced).first)
        #expect(plain.highlights.isEmpty && plain.snippet.contains("Fahrrad"), "\(plain.snippet)")
    }

    @Test func jsonKeysAreStableSnakeCase() throws {
        let hit = SearchHit(rank: 1, passageID: 7, path: "a.md", lineStart: 1, lineEnd: 2, page: nil, score: 0.5,
                            scores: .init(bm25: 0.5), snippet: "x", highlights: [.init(start: 0, end: 1)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(hit), as: UTF8.self)
        #expect(json == #"{"citation":"a.md:1-2","heading_path":[],"highlights":[{"end":1,"start":0}],"line_end":2,"line_start":1,"location":null,"page":null,"passage_id":7,"path":"a.md","rank":1,"score":0.5,"scores":{"bm25":0.5,"maxsim":null,"rrf":null},"snippet":"x"}"#)
    }
}
