import Foundation
import Hummingbird
import Search

/// `/health`, `/v1/models`, `/v1/status` and `/v1/search`.
extension FerretServer {
    struct SearchBody: Decodable {
        let query: String
        let k: Int?
        let mode: String?
        let path: String?
    }

    func addIndexRoutes(to router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in JSONResponse.make(["status": "ok"]) }

        router.get("/openapi.json") { _, _ in JSONResponse.make(OpenAPIDocument.make()) }

        router.get("/v1/models") { _, _ in
            JSONResponse.make(ModelList(data: service.modelEntries()))
        }

        router.get("/v1/status") { _, _ in
            let status = try await service.read {
                var status = try service.database.status()
                status.skipped = status.skipped.filter { service.confinement.contains(indexedPath: $0.path) }
                return status
            }
            return JSONResponse.make(status)
        }

        router.post("/v1/search") { request, _ in
            var request = request
            let body = try await request.decodeJSON(SearchBody.self)
            let hits = try await service.search(body)
            return JSONResponse.make(hits)
        }
    }
}

struct ModelList: Encodable {
    struct Entry: Encodable {
        let id: String
        let object = "model"
        let owned_by = "ferret"
        let meta: [String: String]
    }
    let object = "list"
    let data: [Entry]
}

extension FerretService {
    func modelEntries() -> [ModelList.Entry] {
        var entries: [ModelList.Entry] = []
        if let encoder {
            entries.append(.init(id: encoder.name, meta: [
                "kind": "colbert", "dimension": String(encoder.dimension), "query_length": String(encoder.queryLength),
                "document_length": String(encoder.documentLength), "fingerprint": encoder.fingerprint]))
        }
        if let generator, let generatorName {
            entries.append(.init(id: generatorName, meta: [
                "kind": "generator", "context": String(contextTokens),
                "max_positions": String(generator.model.config.maxPositions)]))
        }
        return entries
    }

    /// The same search and JSON as `ferret search --json`: the query encoded on the encoder's queue, the search
    /// itself on a concurrent reader.
    func search(_ body: FerretServer.SearchBody) async throws -> [SearchHit] {
        let k = body.k ?? 10
        guard APILimits.searchK.contains(k) else {
            throw APIError.invalidRequest("`k` must be between 1 and \(APILimits.searchK.upperBound)", code: "invalid_k")
        }
        try APILimits.checkQuery(body.query, field: "query")
        let mode: SearchMode
        switch body.mode {
        case nil: mode = encoder == nil ? .lexical : .hybrid
        case let name?:
            guard let chosen = SearchMode(rawValue: name) else {
                throw APIError.invalidRequest("`mode` must be hybrid, semantic or lexical, not '\(name)'", code: "invalid_mode")
            }
            mode = chosen
        }
        var vectors: QueryVectors?
        var locate: (@Sendable (String, [Int]) -> [Range<Int>?])?
        if mode != .lexical {
            let encoder = try requireEncoder(for: "\(mode.rawValue) search")
            let encoded = try await encoderWork.run { _ in try encoder.encodeQuery(body.query) }
            vectors = QueryVectors(vectors: encoded.vectors, count: encoded.count, dimension: encoded.dimension)
            locate = { text, ids in encoder.tokenRanges(in: text, keptIDs: ids) }
        }
        var request = SearchRequest(text: body.query, queryVectors: vectors, k: k, mode: mode, pathGlob: body.path,
                                    locateTokens: locate)
        request.allowsPath = retriever.allowsPath
        do {
            return try await read { [request] in try Searcher(database: self.database).search(request) }
        } catch let error as SearchError {
            throw APIError.invalidRequest(String(describing: error), code: "invalid_search")
        }
    }
}
