import ColBERT
import Foundation
import Index
import RAG
import Search

/// Search hits turned into answerable passages: full text from the index and an absolute relevance score (normalised
/// MaxSim with an encoder, BM25 without) that the relevance floor can judge.
struct Retriever {
    let database: IndexDatabase
    let encoder: ColBERTEncoder?
    let k: Int

    func passages(for text: String) throws -> [RetrievedPassage] {
        var vectors: QueryVectors?
        if let encoder {
            let encoded = try encoder.encodeQuery(text)
            vectors = QueryVectors(vectors: encoded.vectors, count: encoded.count, dimension: encoded.dimension)
        }
        let mode: SearchMode = vectors == nil ? .lexical : .hybrid
        let hits = try Searcher(database: database).search(SearchRequest(text: text, queryVectors: vectors, k: k, mode: mode))
        let stored = Dictionary(uniqueKeysWithValues: try database.passages(ids: hits.map(\.passageID)).map { ($0.id, $0) })
        return hits.compactMap { hit in
            guard let passage = stored[hit.passageID] else { return nil }
            let score: Double
            if let maxsim = hit.scores.maxsim, let vectors { score = Double(maxsim) / Double(max(vectors.count, 1)) }
            else { score = hit.scores.bm25 ?? 0 }
            return RetrievedPassage(passageID: hit.passageID, path: hit.path, lineStart: hit.lineStart, lineEnd: hit.lineEnd,
                                    page: hit.page, text: passage.text, score: score)
        }
    }

    /// Scores a sentence for the extractive answer: mean best cosine of the question's query vectors against the
    /// sentence's document vectors (MaxSim alignment) with an encoder; without one, the question words it contains,
    /// each weighted by its rarity among the passages (so "how" or "the" count for little).
    func sentenceScorer(question: String, passages: [RetrievedPassage]) -> (String) -> Double {
        if let encoder, let query = try? encoder.encodeQuery(question) {
            return { sentence in
                guard let document = try? encoder.encodeDocument(sentence) else { return 0 }
                return Double(ColBERTEncoder.maxSim(query: query, document: document)) / Double(max(query.count, 1))
            }
        }
        let words = Self.words(question)
        let passageWords = passages.map { Self.words($0.text) }
        let weights = Dictionary(uniqueKeysWithValues: words.map { word -> (String, Double) in
            let df = passageWords.filter { $0.contains(word) }.count
            return (word, log(1 + Double(passageWords.count + 1) / Double(df + 1)))
        })
        let total = weights.values.reduce(0, +)
        return { sentence in
            guard total > 0 else { return 0 }
            let present = Self.words(sentence)
            return weights.reduce(0) { sum, item in
                present.contains { Self.sameWord($0, item.key) } ? sum + item.value : sum
            } / total
        }
    }

    /// Equal, or one a prefix of the other with at least 4 letters in common ("descale" / "descaled"): a crude
    /// stemmer that needs no language data.
    static func sameWord(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let (short, long) = a.count < b.count ? (a, b) : (b, a)
        return short.count >= 4 && long.hasPrefix(short)
    }

    /// Lower-cased words; each CJK character counts as a word (they are written without spaces).
    static func words(_ text: String) -> Set<String> {
        var result = Set<String>(), current = ""
        for character in text.lowercased() {
            if let scalar = character.unicodeScalars.first, scalar.value >= 0x2E80, character.isLetter {
                if !current.isEmpty { result.insert(current); current = "" }
                result.insert(String(character))
            } else if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                result.insert(current); current = ""
            }
        }
        if !current.isEmpty { result.insert(current) }
        return result.filter { $0.count > 2 || $0.unicodeScalars.first.map { $0.value >= 0x2E80 } == true }
    }
}
