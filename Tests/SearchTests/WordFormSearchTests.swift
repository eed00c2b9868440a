import Foundation
import Index
import Search
import Testing

/// Lexical search over word forms: a query word matches its Snowball stem in the passage's language.
@Suite struct WordFormSearchTests {
    static let documents: [(path: String, language: String, text: String)] = [
        ("en.txt", "en", "Descale once a month with the supplied tablets."),
        ("fr.txt", "fr", "Les débuts de l'imprimerie à Lyon."),
        ("de.txt", "de", "Die Schaltung des Netzteils ist defekt."),
        ("es.txt", "es", "La imprenta de Gutenberg cambió Europa."),
        ("it.txt", "it", "La stampante del secondo piano è guasta."),
        ("pt.txt", "pt", "A impressora do escritório está avariada."),
        ("nl.txt", "nl", "Lees de handleiding voor gebruik."),
        ("ru.txt", "ru", "Городская библиотека открыта до восьми."),
        ("zh.txt", "zh", "我昨天去了北京大学图书馆。"),
    ]

    static let inflectedQueries: [(query: String, path: String)] = [
        ("descaled", "en.txt"), ("imprimeries", "fr.txt"), ("Schaltungen", "de.txt"), ("imprentas", "es.txt"),
        ("stampanti", "it.txt"), ("impressoras", "pt.txt"), ("handleidingen", "nl.txt"), ("библиотеки", "ru.txt"),
        ("图书馆", "zh.txt"),
    ]

    private func multilingualIndex() throws -> TemporaryIndex {
        let index = try TemporaryIndex(encoder: nil)
        for document in Self.documents {
            try index.add(document.path, [document.text], language: document.language)
        }
        return index
    }

    @Test func inflectedQueriesFindTheirDocumentInEachLanguage() throws {
        let index = try multilingualIndex()
        defer { index.cleanup() }
        let searcher = Searcher(database: index.database)
        for (query, path) in Self.inflectedQueries {
            let hits = try searcher.search(SearchRequest(text: query, k: 3, mode: .lexical))
            #expect(hits.first?.path == path, "\(query) → \(hits.map(\.path))")
        }
    }

    @Test func exactMatchesRankAboveStemOnlyMatches() throws {
        let index = try TemporaryIndex(encoder: nil)
        defer { index.cleanup() }
        try index.add("base.txt", ["Descale the kettle every month."], language: "en")
        try index.add("past.txt", ["The kettle was descaled last month."], language: "en")
        let searcher = Searcher(database: index.database)
        #expect(try searcher.search(SearchRequest(text: "descaled", k: 5, mode: .lexical)).map(\.path) == ["past.txt", "base.txt"])
        #expect(try searcher.search(SearchRequest(text: "descale", k: 5, mode: .lexical)).map(\.path) == ["base.txt", "past.txt"])
    }

    @Test func documentsWithoutALanguageMatchOnlyExactWords() throws {
        let index = try TemporaryIndex(encoder: nil)
        defer { index.cleanup() }
        try index.add("unknown.txt", ["Descale once a month."])
        let searcher = Searcher(database: index.database)
        #expect(try searcher.search(SearchRequest(text: "descaled", k: 5, mode: .lexical)).isEmpty)
        #expect(try searcher.search(SearchRequest(text: "Descale", k: 5, mode: .lexical)).count == 1)
    }

    @Test func headTermsStillCountInTheRanking() throws {
        let index = try TemporaryIndex(encoder: nil)
        defer { index.cleanup() }
        // 1,200 passages, "common" in 100 of them: above the 5% (and 50) head-term limit, but with a real IDF.
        var texts = (0..<1_200).map { "filler number \($0)" + ($0 < 100 ? " common" : "") }
        texts[500] = "rare filler"  // the rare word
        texts[50] = "rare common"   // the rare word and the head term, as long
        try index.add("many.txt", texts, language: "en")
        let matches = try index.database.read { reader in
            try reader.lexicalMatches(terms: ["common", "rare"], limit: 10)
        }
        // The head term selects no candidates (passages with only "common" are absent) but ranks passage 51 first.
        #expect(matches.map(\.id) == [51, 501])
        // The control: without "common" (as when head terms were dropped) the two passages tie.
        let rareOnly = try index.database.read { try $0.lexicalMatches(terms: ["rare"], limit: 10) }
        #expect(Set(rareOnly.map(\.id)) == [51, 501] && rareOnly[0].score == rareOnly[1].score)
        #expect(matches[0].score > rareOnly[0].score && matches[1].score == rareOnly[0].score)
    }
}

@Suite struct WordFormSnippetTests {
    @Test func aStemOnlyMatchIsHighlighted() throws {
        let index = try TemporaryIndex(encoder: nil)
        defer { index.cleanup() }
        try index.add("en.txt", ["Hard water leaves limescale. Descale once a month."], language: "en")
        let hit = try #require(try Searcher(database: index.database)
            .search(SearchRequest(text: "descaled", k: 1, mode: .lexical)).first)
        let marked = hit.highlights.map { h in String(hit.snippet.unicodeScalars.dropFirst(h.start).prefix(h.end - h.start)) }
        #expect(marked == ["Descale"])
    }
}
