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
    /// every word, so a passage holding the head terms too still ranks above one that does not.
    public func lexicalMatches(_ query: LexicalQuery, limit: Int, documents: [Int64]? = nil,
                               headTermFraction: Double = 0.05) throws -> [(id: Int64, score: Double)] {
        guard !query.groups.isEmpty, limit > 0 else { return [] }
        let selecting = try withoutHeadTerms(query, fraction: headTermFraction)
        guard selecting.groups.count < query.groups.count else {
            return try bm25(query.expression, limit: limit, documents: documents, among: nil)
        }
        let candidates = try bm25(selecting.expression, limit: 2 * limit, documents: documents, among: nil)
        guard !candidates.isEmpty else { return [] }
        return try bm25(query.expression, limit: limit, documents: nil, among: candidates.map(\.id))
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

    /// `query` minus the words whose surface form is in more than `fraction` of the passages (and more than 50),
    /// unless that would leave none (then the two rarest). Only words that are one FTS5 token (letters and digits) are
    /// looked up; the others are always kept.
    private func withoutHeadTerms(_ query: LexicalQuery, fraction: Double) throws -> LexicalQuery {
        guard query.groups.count > 1, fraction < 1 else { return query }
        let keys = query.groups.map { $0.alternatives[0].folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
        let lookups = keys.filter { $0.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) } }
        guard !lookups.isEmpty else { return query }
        var frequency: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT term, doc FROM passage_fts_vocab WHERE term IN (SELECT value FROM json_each(?))",
                                    arguments: [String(decoding: try JSONEncoder().encode(lookups), as: UTF8.self)]) {
            frequency[row[0]] = row[1]
        }
        let passages = max(try maxPassageID(), 1)
        let limit = max(Int(fraction * Double(passages)), 50)  // small indexes keep every term
        let kept = zip(query.groups, keys).filter { (frequency[$0.1] ?? 0) <= limit }.map(\.0)
        if !kept.isEmpty { return LexicalQuery(groups: kept) }
        let rarest = zip(query.groups, keys).sorted { (frequency[$0.1] ?? 0) < (frequency[$1.1] ?? 0) }
        return LexicalQuery(groups: rarest.prefix(2).map(\.0))
    }
}
