import Foundation
import Index
import MCP
import Search

/// `search`: the search `ferret search` runs (same modes, same `--path` globs), with each hit's full passage text
/// from the index instead of a snippet — an agent reads the passage rather than a window of it.
extension FerretMCPServer {
    struct SearchResult: Encodable {
        let rank: Int
        /// `path:start-end`, `path#page=N`…, as `ferret search` prints it.
        let citation: String
        let path: String
        let line_start: Int
        let line_end: Int
        let page: Int?
        let location: String?
        let heading_path: [String]
        let score: Double
        let text: String
    }

    struct SearchResults: Encodable {
        let query: String
        let mode: String
        let results: [SearchResult]
    }

    func search(_ arguments: SearchArguments) throws -> CallTool.Result {
        let mode = try searchMode(arguments.mode)
        var vectors: QueryVectors?
        var locate: (@Sendable (String, [Int]) -> [Range<Int>?])?
        if mode != .lexical {
            guard let encoder = retriever.encoder else { throw ToolError.needsEncoder(mode: mode.rawValue) }
            let encoded = try encoder.encodeQuery(arguments.query)
            vectors = QueryVectors(vectors: encoded.vectors, count: encoded.count, dimension: encoded.dimension)
            locate = { text, ids in encoder.tokenRanges(in: text, keptIDs: ids) }
        }
        let hits: [SearchHit]
        do {
            hits = try Searcher(database: database).search(SearchRequest(
                text: arguments.query, queryVectors: vectors, k: arguments.k, mode: mode,
                pathGlob: try arguments.path.map(Self.pathGlob), locateTokens: locate))
        } catch let error as SearchError {
            // Written for the CLI's flags (`--mode`, `--path`), which name the same arguments here.
            throw ToolError.failed(String(describing: error))
        }
        let passages = Dictionary(try database.passages(ids: hits.map(\.passageID)).map { ($0.id, $0) },
                                  uniquingKeysWith: { first, _ in first })
        let results = hits.map { hit in
            SearchResult(rank: hit.rank, citation: CitationForm.label(path: hit.path, lineStart: hit.lineStart,
                                                                      lineEnd: hit.lineEnd, location: hit.location),
                         path: hit.path, line_start: hit.lineStart, line_end: hit.lineEnd, page: hit.page,
                         location: hit.location, heading_path: hit.headingPath, score: hit.score,
                         text: passages[hit.passageID]?.text ?? hit.snippet)
        }
        return try ToolOutput.result(text: Self.render(results, query: arguments.query),
                                     structured: SearchResults(query: arguments.query, mode: mode.rawValue, results: results))
    }

    /// The mode asked for, or the one `ferret search` picks: hybrid with an encoder, lexical without.
    private func searchMode(_ name: String?) throws -> SearchMode {
        guard let name else { return retriever.encoder == nil ? .lexical : .hybrid }
        guard let mode = SearchMode(rawValue: name) else {
            throw ToolError.invalid(name: "mode", detail: "must be hybrid, semantic or lexical, not '\(name)'")
        }
        return mode
    }

    /// A plain path is a prefix (`notes/` → `notes/**`-like: `P**`, anchored at the start of the path or of a
    /// component, as `PathGlob` anchors every pattern); a pattern with glob characters is used as it is.
    static func pathGlob(_ path: String) throws -> String {
        let glob = path.contains(where: { "*?[".contains($0) }) ? path : path + "**"
        do {
            _ = try PathGlob(glob)
        } catch {
            throw ToolError.invalid(name: "path", detail: String(describing: error))
        }
        return glob
    }

    /// `1. path:lines  score 0.0312  Heading › Sub` and the passage, indented; a sentence when nothing matched.
    static func render(_ results: [SearchResult], query: String) -> String {
        guard !results.isEmpty else { return "No indexed passage matches \"\(query)\"." }
        return results.map { result in
            let headings = result.heading_path.isEmpty ? "" : "  " + result.heading_path.joined(separator: " › ")
            let passage = result.text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "   " + $0 }.joined(separator: "\n")
            return "\(result.rank). \(result.citation)  score " + String(format: "%.4f", result.score) + headings
                + "\n" + passage
        }.joined(separator: "\n\n")
    }
}
