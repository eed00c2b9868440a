import Foundation
import Index
import Search
import Testing

@Suite struct LexicalSearchTests {
    @Test func chineseWordInsideASentenceIsFound() throws {
        let index = try TemporaryIndex(encoder: nil)
        defer { index.cleanup() }
        try index.add("zh.txt", ["我昨天去了北京大学图书馆。", "今天天气很好，我们去公园散步。"])
        try index.add("en.txt", ["Nothing about that city here."])
        let hits = try Searcher(database: index.database).search(SearchRequest(text: "北京", k: 5, mode: .lexical))
        #expect(hits.map(\.path) == ["zh.txt"])
        #expect(hits.first?.lineStart == 1)
        let hit = try #require(hits.first)
        let marked = hit.highlights.map { h in String(hit.snippet.unicodeScalars.dropFirst(h.start).prefix(h.end - h.start)) }
        #expect(marked == ["北京"])
        #expect(hit.scores.bm25 != nil && hit.scores.maxsim == nil)
        // A multi-segment query word: 图书馆 segments as 图书 | 馆 in both text and query.
        #expect(try Searcher(database: index.database).search(SearchRequest(text: "图书馆", k: 5, mode: .lexical)).count == 1)
    }

    @Test func japaneseWordInsideASentenceIsFound() throws {
        let index = try TemporaryIndex(encoder: nil)
        defer { index.cleanup() }
        try index.add("ja.md", ["昨日は図書館で本を読みました。", "東京都の天気は晴れです。"])
        let searcher = Searcher(database: index.database)
        let library = try searcher.search(SearchRequest(text: "図書館", k: 5, mode: .lexical))
        #expect(library.count == 1 && library.first?.lineStart == 1)
        let weather = try searcher.search(SearchRequest(text: "天気", k: 5, mode: .lexical))
        #expect(weather.count == 1 && weather.first?.lineStart == 2)
    }

    @Test func accentsAndCaseAreFolded() throws {
        let index = try TemporaryIndex(encoder: nil)
        defer { index.cleanup() }
        try index.add("fr.txt", ["Le Café de la Gare est fermé."])
        let hits = try Searcher(database: index.database).search(SearchRequest(text: "cafe FERME", k: 5, mode: .lexical))
        #expect(hits.count == 1)
        #expect(hits.first?.highlights.count == 2)
    }

    @Test func noMatchGivesNoHitsAndQuerySyntaxIsInert() throws {
        let index = try TemporaryIndex(encoder: nil)
        defer { index.cleanup() }
        try index.add("a.txt", ["alpha beta gamma"])
        let searcher = Searcher(database: index.database)
        #expect(try searcher.search(SearchRequest(text: "zeta", k: 5, mode: .lexical)).isEmpty)
        #expect(try searcher.search(SearchRequest(text: "", k: 5, mode: .lexical)).isEmpty)
        // FTS5 operators and quotes in the query are searched as words, never parsed.
        #expect(try searcher.search(SearchRequest(text: "\"alpha\" AND NOT (beta* OR", k: 5, mode: .lexical)).count == 1)
    }

    @Test func headTermsAreDroppedWhileRarerTermsRemain() throws {
        let index = try TemporaryIndex(encoder: nil)
        defer { index.cleanup() }
        try index.add("many.txt", (0..<120).map { "common filler number \($0)" + ($0 == 7 ? " rare" : "") })
        let searcher = Searcher(database: index.database)
        // "common" is in all 120 passages (> 50 and > 5%): only "rare" is searched.
        let both = try searcher.search(SearchRequest(text: "common rare", k: 200, mode: .lexical))
        #expect(both.map(\.lineStart) == [8])
        // Alone, a head term is still searched.
        #expect(try searcher.search(SearchRequest(text: "common", k: 200, mode: .lexical)).count == 120)
    }

    @Test func pathGlobFiltersDocuments() throws {
        let index = try TemporaryIndex(encoder: nil)
        defer { index.cleanup() }
        try index.add("/home/me/notes/a.md", ["shared word"])
        try index.add("/home/me/notes/sub/b.txt", ["shared word"])
        try index.add("/home/me/code/c.md", ["shared word"])
        let searcher = Searcher(database: index.database)
        func paths(_ glob: String) throws -> [String] {
            try searcher.search(SearchRequest(text: "shared", k: 10, mode: .lexical, pathGlob: glob)).map(\.path).sorted()
        }
        #expect(try paths("*.md") == ["/home/me/code/c.md", "/home/me/notes/a.md"])
        #expect(try paths("notes/*") == ["/home/me/notes/a.md"])
        #expect(try paths("notes/**") == ["/home/me/notes/a.md", "/home/me/notes/sub/b.txt"])
        #expect(try paths("/home/me/code/*") == ["/home/me/code/c.md"])
        #expect(try paths("*.pdf").isEmpty)
        #expect(throws: SearchError.self) { try paths("[abc") }
    }

    @Test func semanticModeOnLexicalIndexSaysWhatToDo() throws {
        let index = try TemporaryIndex(encoder: nil)
        defer { index.cleanup() }
        do {
            _ = try Searcher(database: index.database).search(SearchRequest(text: "x", k: 5, mode: .semantic))
            Issue.record("semantic search ran without vectors")
        } catch let error as SearchError {
            #expect(error.description.contains("--mode lexical"))
        }
    }
}
