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

    @Test func jsonKeysAreStableSnakeCase() throws {
        let hit = SearchHit(rank: 1, passageID: 7, path: "a.md", lineStart: 1, lineEnd: 2, page: nil, score: 0.5,
                            scores: .init(bm25: 0.5), snippet: "x", highlights: [.init(start: 0, end: 1)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(hit), as: UTF8.self)
        #expect(json == #"{"highlights":[{"end":1,"start":0}],"line_end":2,"line_start":1,"page":null,"passage_id":7,"path":"a.md","rank":1,"score":0.5,"scores":{"bm25":0.5,"maxsim":null,"rrf":null},"snippet":"x"}"#)
    }
}
