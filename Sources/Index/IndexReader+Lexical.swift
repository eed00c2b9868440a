import Foundation
import GRDB

extension IndexReader {
    /// The languages of the indexed documents that have a stemmer, sorted: the languages a query is stemmed in.
    public func stemmedLanguages() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT language FROM documents WHERE language IS NOT NULL ORDER BY language")
            .filter { Stemmer.supports($0) }
    }

    /// Passages matching any of the query words `terms` or their stems (FTS5, BM25), best first: `(passage id, bm25)`
    /// with bm25 > 0, larger better. Each word is looked up as written and as its Snowball stems in the languages of
    /// the indexed documents (`LexicalQuery`). `documents` restricts the search to those document ids.
    public func lexicalMatches(terms: [String], limit: Int, documents: [Int64]? = nil,
                               headTermFraction: Double = 0.05) throws -> [(id: Int64, score: Double)] {
        let query = LexicalQuery(words: terms, languages: try stemmedLanguages())
        return try lexicalMatches(query, limit: limit, documents: documents, headTermFraction: headTermFraction)
    }

    /// Passages matching `query`, best first. Words found in more than `headTermFraction` of the passages (head
    /// terms) do not select candidates while rarer words remain: FTS5 scores every passage matching an OR query, so
    /// one stopword costs scoring most of the index (measured: lexical p50 46 → 8 ms at 100k passages). They are not
    /// dropped from the ranking: the candidates the rarer words find (twice `limit`) are scored again by BM25 with
    /// every word, so a passage holding the head terms too still ranks above one that does not. Words in half the
    /// passages or more are left out of that second pass: FTS5's BM25 gives them an IDF of 10⁻⁶, so they cannot
    /// change the order, and they are the longest lists to read.
    public func lexicalMatches(_ query: LexicalQuery, limit: Int, documents: [Int64]? = nil,
                               headTermFraction: Double = 0.05) throws -> [(id: Int64, score: Double)] {
        guard !query.groups.isEmpty, limit > 0 else { return [] }
        guard query.groups.count > 1, headTermFraction < 1 else {
            return try bm25(query.expression, limit: limit, documents: documents, among: nil)
        }
        let frequencies = try passageFrequencies(query)
        let passages = max(try maxPassageID(), 1)
        let headLimit = max(Int(headTermFraction * Double(passages)), 50)  // small indexes keep every term
        var selecting = query.groups.indices.filter { frequencies[$0] <= headLimit }
        if selecting.isEmpty {
            selecting = Array(query.groups.indices.sorted { frequencies[$0] < frequencies[$1] }.prefix(2))
        }
        guard selecting.count < query.groups.count else {
            return try bm25(query.expression, limit: limit, documents: documents, among: nil)
        }
        let selected = LexicalQuery(groups: selecting.map { query.groups[$0] })
        let candidates = try bm25(selected.expression, limit: 2 * limit, documents: documents, among: nil)
        guard !candidates.isEmpty else { return [] }
        let scoring = query.groups.indices.filter { selecting.contains($0) || 2 * frequencies[$0] < passages }
        guard scoring.count > selecting.count else { return Array(candidates.prefix(limit)) }
        let rescored = LexicalQuery(groups: scoring.map { query.groups[$0] })
        return try bm25(rescored.expression, limit: limit, documents: nil, among: candidates.map(\.id))
    }

    /// Passages matching the FTS5 `expression`, by BM25, within `documents` and within the passages `among`.
    private func bm25(_ expression: String, limit: Int, documents: [Int64]?,
                      among: [Int64]?) throws -> [(id: Int64, score: Double)] {
        var sql = "SELECT rowid, bm25(passage_fts) FROM passage_fts WHERE passage_fts MATCH ?"
        var arguments: StatementArguments = [expression]
        if let documents {
            sql += " AND rowid IN (SELECT id FROM passages WHERE document IN (SELECT value FROM json_each(?)))"
            arguments += [IndexDatabase.jsonList(documents)]
        }
        if let among {
            // `+rowid`: a filter on the one FTS5 scan, not a rowid lookup per candidate (FTS5 would recount every
            // term's passages for BM25 at each lookup). BM25's document frequencies stay those of the whole index.
            sql += " AND +rowid IN (SELECT value FROM json_each(?))"
            arguments += [IndexDatabase.jsonList(among)]
        }
        sql += " ORDER BY bm25(passage_fts) LIMIT ?"
        arguments += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { ($0[0], -($0[1] as Double)) }
    }

    /// For each group of `query`, the number of passages holding its surface form (`passage_fts_vocab`); 0 for words
    /// that are not one FTS5 token (letters and digits), which are never treated as head terms.
    private func passageFrequencies(_ query: LexicalQuery) throws -> [Int] {
        let keys = query.groups.map { $0.alternatives[0].folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
        let lookups = keys.filter { $0.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) } }
        guard !lookups.isEmpty else { return keys.map { _ in 0 } }
        let frequency = try documentFrequencies(terms: lookups)
        return keys.map { frequency[$0] ?? 0 }
    }

    /// How many passages contain each of `terms` (folded words, as FTS5's `unicode61` stores them), from the FTS5
    /// vocabulary; terms the index has never seen are absent from the result.
    public func documentFrequencies(terms: [String]) throws -> [String: Int] {
        guard !terms.isEmpty else { return [:] }
        var frequency: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT term, doc FROM passage_fts_vocab WHERE term IN (SELECT value FROM json_each(?))",
                                    arguments: [String(decoding: try JSONEncoder().encode(terms), as: UTF8.self)]) {
            frequency[row[0]] = row[1]
        }
        return frequency
    }
}
