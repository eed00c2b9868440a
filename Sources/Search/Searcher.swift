import Foundation
import Index

/// Runs queries against one index: lexical (FTS5 BM25), semantic (candidates → exact MaxSim) or both fused by
/// reciprocal rank fusion. Stateless apart from its configuration; every query reads one consistent snapshot.
public struct Searcher: Sendable {
    public let database: IndexDatabase
    public var configuration: SearchConfiguration

    public init(database: IndexDatabase, configuration: SearchConfiguration = .default) {
        self.database = database
        self.configuration = configuration
    }

    /// The `request.k` best passages, best first (empty when nothing matches).
    public func search(_ request: SearchRequest) throws -> [SearchHit] {
        guard request.k >= 1 else { throw SearchError.invalidK(request.k) }
        let query = try validatedVectors(request)
        let glob = try request.pathGlob.map(PathGlob.init)
        let terms = WordSegmenter.words(request.text).map { String($0.text) }
        return try database.read { reader in
            let allows = request.allowsPath
            let filter: PathFilter? = glob == nil && allows == nil ? nil
                : try PathFilter(reader: reader) { path in (glob?.matches(path) ?? true) && (allows?(path) ?? true) }
            if let filter, filter.passages.isEmpty { return [] }
            let lexicalDepth = max(request.k, configuration.lexicalCandidates)
            let lexical = request.mode == .semantic ? []
                : try reader.lexicalMatches(terms: terms, limit: lexicalDepth, documents: filter?.documents)
            var semantic: [(id: Int64, score: Float)] = []
            if let query {
                let depth = request.mode == .semantic ? request.k : max(request.k, configuration.fusionDepth)
                semantic = try semanticRanking(query, reader: reader, filter: filter, extra: lexical.map(\.id), depth: depth)
            }
            let ranked = fuse(mode: request.mode, lexical: lexical, semantic: semantic, k: request.k)
            return try hits(ranked, request: request, query: query, reader: reader)
        }
    }

    /// Query vectors checked against the mode and the index, or nil for lexical mode.
    private func validatedVectors(_ request: SearchRequest) throws -> QueryVectors? {
        guard request.mode != .lexical else { return nil }
        guard let encoder = database.encoder else {
            throw SearchError.lexicalOnlyIndex(path: database.url.path, mode: request.mode)
        }
        guard let query = request.queryVectors, query.count > 0 else { throw SearchError.needsQueryVectors(mode: request.mode) }
        guard query.dimension == encoder.dimension else {
            throw SearchError.dimensionMismatch(query: query.dimension, index: encoder.dimension)
        }
        return query
    }

    /// The `depth` best passages by exact MaxSim. Scores candidates from the centroid lists plus `extra` (the BM25
    /// matches), or every passage when the index (or what the filter leaves) is small or `exhaustive` is set.
    func semanticRanking(_ query: QueryVectors, reader: IndexReader, filter: PathFilter?, extra: [Int64],
                         depth: Int) throws -> [(id: Int64, score: Float)] {
        let scorer = MaxSimScorer(query: query)
        let centroids = configuration.exhaustive ? nil : try reader.centroids()
        let candidates: [Int64]?
        if let filter, filter.tokens <= configuration.exhaustiveTokens || centroids == nil {
            candidates = filter.passages
        } else if let centroids {
            let generator = CandidateGenerator(configuration: configuration)
            let found = try generator.candidates(query: query, centroids: centroids, reader: reader, allowed: filter?.allowed)
            candidates = Array(Set(found).union(extra))
        } else {
            candidates = nil  // every passage
        }
        try reader.forEachStoredVectors(passages: candidates) { id, stored in scorer.add(id: id, stored: stored) }
        return TopK.best(scorer.finish(), k: depth)
    }

    private struct Ranked {
        var id: Int64
        var score: Double
        var scores: SearchHit.Scores
    }

    private func fuse(mode: SearchMode, lexical: [(id: Int64, score: Double)], semantic: [(id: Int64, score: Float)],
                      k: Int) -> [Ranked] {
        let bm25 = Dictionary(lexical.map { ($0.id, $0.score) }, uniquingKeysWith: max)
        let maxsim = Dictionary(semantic.map { ($0.id, $0.score) }, uniquingKeysWith: max)
        switch mode {
        case .lexical:
            return lexical.prefix(k).map { Ranked(id: $0.id, score: $0.score, scores: .init(bm25: $0.score)) }
        case .semantic:
            return semantic.prefix(k).map { Ranked(id: $0.id, score: Double($0.score), scores: .init(maxsim: $0.score)) }
        case .hybrid:
            let fused = RankFusion.reciprocalRank([semantic.map(\.id), lexical.map(\.id)], k: configuration.rrfK)
            return fused.prefix(k).map {
                Ranked(id: $0.id, score: $0.score, scores: .init(maxsim: maxsim[$0.id], bm25: bm25[$0.id], rrf: $0.score))
            }
        }
    }

    private func hits(_ ranked: [Ranked], request: SearchRequest, query: QueryVectors?, reader: IndexReader) throws -> [SearchHit] {
        let passages = try reader.passages(ids: ranked.map(\.id))
        let byID = Dictionary(passages.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let snippets = SnippetBuilder(query: request.text,
                                      languages: request.mode == .semantic ? [] : try reader.stemmedLanguages())
        let alignments = try query.map {
            try AlignmentFocus.alignments(query: $0, passages: passages.map { ($0.id, $0.text) }, reader: reader,
                                          locate: request.locateTokens)
        } ?? [:]
        var hits: [SearchHit] = []
        for entry in ranked {
            guard let passage = byID[entry.id] else { continue }
            let (snippet, highlights) = snippets.build(text: passage.text, alignment: alignments[entry.id])
            var hit = SearchHit(rank: hits.count + 1, passageID: passage.id, path: passage.path,
                                lineStart: passage.lineStart, lineEnd: passage.lineEnd, page: passage.page,
                                score: entry.score, scores: entry.scores, snippet: snippet, highlights: highlights)
            hit.location = passage.location
            hit.headingPath = passage.headingPath
            hits.append(hit)
        }
        return hits
    }
}
