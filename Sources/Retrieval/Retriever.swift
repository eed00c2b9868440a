import ColBERT
import Foundation
import Index
import RAG
import Search

/// Search hits turned into answerable passages: full text from the index and an absolute relevance score (normalised
/// MaxSim with an encoder, BM25 without) that the relevance floor can judge.
public struct Retriever: Sendable {
    public let database: IndexDatabase
    public let encoder: ColBERTEncoder?
    public var k: Int
    /// Documents a caller may see (the server's roots); nil: all.
    public var allowsPath: (@Sendable (String) -> Bool)?

    /// - Throws: when `encoder` is not the one the index was built with.
    public init(database: IndexDatabase, encoder: ColBERTEncoder?, k: Int) throws {
        if let encoder {
            try database.checkCompatible(with: EncoderIdentity(name: encoder.name, fingerprint: encoder.fingerprint,
                                                               dimension: encoder.dimension, head: encoder.head))
        }
        self.database = database
        self.encoder = encoder
        self.k = k
    }

    /// The relevance floor that suits this retriever: `minScore` when given, else the default on its scale —
    /// normalised MaxSim with an encoder, lexical coverage without one.
    public func floor(minScore: Double?) -> RelevanceFloor {
        if let minScore { return RelevanceFloor(minScore: minScore) }
        return RelevanceFloor(minScore: encoder != nil ? RelevanceFloor.defaultMinScore : RelevanceFloor.defaultMinCoverage)
    }

    public func passages(for text: String) throws -> [RetrievedPassage] {
        var vectors: QueryVectors?
        if let encoder {
            let encoded = try encoder.encodeQuery(text)
            vectors = QueryVectors(vectors: encoded.vectors, count: encoded.count, dimension: encoded.dimension)
        }
        let mode: SearchMode = vectors == nil ? .lexical : .hybrid
        var request = SearchRequest(text: text, queryVectors: vectors, k: k, mode: mode)
        request.allowsPath = allowsPath
        let hits = try Searcher(database: database).search(request)
        let stored = Dictionary(uniqueKeysWithValues: try database.passages(ids: hits.map(\.passageID)).map { ($0.id, $0) })
        let coverage = vectors == nil ? try database.read { try LexicalCoverage(question: text, reader: $0) } : nil
        return try hits.compactMap { hit in
            guard let passage = stored[hit.passageID] else { return nil }
            // One scale per index, never mixed: a hit only BM25 found gets its MaxSim computed, not its BM25 score.
            let score: Double
            if let vectors, let encoder {
                let maxsim = try hit.scores.maxsim.map(Double.init) ?? semanticScore(hit.passageID, query: vectors, encoder: encoder)
                score = maxsim / Double(max(vectors.count, 1))
            } else {
                score = coverage?.coverage(of: passage.text) ?? 0
            }
            return RetrievedPassage(passageID: hit.passageID, path: hit.path, lineStart: hit.lineStart, lineEnd: hit.lineEnd,
                                    page: hit.page, text: passage.text, score: score, fragment: passage.location,
                                    citesLines: passage.citesLines, headingPath: passage.headingPath)
        }
    }

    /// Scores a sentence for the extractive answer. With an encoder: MaxSim token alignment — the question's query
    /// vectors against the passage's own token vectors (as stored in the index) that lie inside the sentence, mean
    /// best cosine per query vector; nothing is re-encoded but the question. Without one: the question words the
    /// sentence contains, each weighted by its rarity among the passages (so "how" or "the" count for little).
    public func sentenceScorer(question: String, passages: [RetrievedPassage]) -> (String) -> Double {
        if let encoder, let query = try? encoder.encodeQuery(question) {
            var best: [String: Double] = [:]
            for passage in passages {
                guard let document = try? storedVectors(passage.passageID, encoder: encoder)
                        ?? encoder.encodeDocument(passage.text) else { continue }
                let ranges = encoder.tokenRanges(in: passage.text, keptIDs: document.ids)
                let sentences = SentenceSplitter.spans(passage.text)
                let scores = ColBERTEncoder.spanScores(query: query, document: document, ranges: ranges,
                                                       spans: sentences.map(\.utf8Range))
                for (sentence, score) in zip(sentences, scores) { best[sentence.text] = max(best[sentence.text] ?? score, score) }
            }
            return { best[$0] ?? 0 }
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

    /// MaxSim of the query against a passage's stored vectors (0 when it has none).
    private func semanticScore(_ passage: Int64, query: QueryVectors, encoder: ColBERTEncoder) throws -> Double {
        guard let document = try storedVectors(passage, encoder: encoder) else { return 0 }
        let queryVectors = TokenVectors(ids: [Int](repeating: 0, count: query.count), vectors: query.vectors,
                                        dimension: query.dimension)
        return Double(ColBERTEncoder.maxSim(query: queryVectors, document: document))
    }

    /// How citations are checked: lexical coverage, plus — with an encoder — MaxSim token alignment of the claim
    /// (encoded as a query) against the passage's stored token vectors, mean best cosine per claim vector, which
    /// lifts a `weak` claim to `supported` at `CitationSupport.supportedAlignment`. Only weak claims are aligned,
    /// so a well-quoting answer costs no encoder run.
    public func citationSupport() -> CitationSupport {
        guard let encoder else { return CitationSupport() }
        return CitationSupport(alignment: { claim, passage in
            guard let query = try? encoder.encodeQuery(claim), query.count > 0,
                  let document = try? storedVectors(passage.passageID, encoder: encoder)
                      ?? encoder.encodeDocument(passage.text) else { return nil }
            return Double(ColBERTEncoder.maxSim(query: query, document: document)) / Double(query.count)
        })
    }

    /// The token ids and vectors the index holds for a passage (nil if it has none, e.g. a lexical-only index).
    private func storedVectors(_ passage: Int64, encoder: ColBERTEncoder) throws -> TokenVectors? {
        try database.read { reader in
            guard let ids = try reader.tokenIDs(passage: passage) else { return nil }
            var vectors: [Float]? = nil
            try reader.forEachVectorBlob(passages: [passage]) { _, count, bytes in
                guard count == ids.count else { return }
                var decoded = [Float](repeating: 0, count: count * encoder.dimension)
                decoded.withUnsafeMutableBufferPointer {
                    reader.vectorEncoding.decode(bytes, count: count * encoder.dimension, into: $0.baseAddress!)
                }
                vectors = decoded
            }
            return vectors.map { TokenVectors(ids: ids, vectors: $0, dimension: encoder.dimension) }
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
