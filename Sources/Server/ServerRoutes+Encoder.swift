import ColBERT
import Foundation
import Hummingbird

/// `/v1/rerank` (MaxSim, in the llama.cpp / Jina / Cohere shape), `/v1/encode` (token vectors) and `/v1/embeddings`
/// (refused: a multi-vector model has no single embedding worth returning).
extension FerretServer {
    struct RerankBody: Decodable {
        let model: String?
        let query: String
        let documents: [String]
        let top_n: Int?
        let return_documents: Bool?
    }

    struct RerankResult: Encodable {
        struct Document: Encodable { let text: String }
        let index: Int
        let relevance_score: Double
        let document: Document?
    }

    struct RerankResponse: Encodable {
        struct Usage: Encodable { let prompt_tokens: Int; let total_tokens: Int }
        let object = "list"
        let model: String
        let results: [RerankResult]
        let usage: Usage
    }

    /// `input` is one text or several; `input_type` says how to encode them (queries are padded and expanded).
    struct EncodeBody: Decodable {
        let input: [String]
        let input_type: String

        enum CodingKeys: String, CodingKey { case input, input_type }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let one = try? container.decode(String.self, forKey: .input) {
                input = [one]
            } else {
                input = try container.decode([String].self, forKey: .input)
            }
            input_type = try container.decode(String.self, forKey: .input_type)
        }
    }

    struct EncodeResponse: Encodable {
        struct Item: Encodable {
            let object = "token_vectors"
            let index: Int
            let ids: [Int]
            let vectors: [[Float]]
        }
        let object = "list"
        let model: String
        let data: [Item]
    }

    func addEncoderRoutes(to router: Router<BasicRequestContext>) {
        router.post("/v1/rerank") { request, _ in
            var request = request
            let body = try await request.decodeJSON(RerankBody.self)
            return JSONResponse.make(try await service.encoderWork.run { _ in try service.rerank(body) })
        }

        router.post("/v1/encode") { request, _ in
            var request = request
            let body = try await request.decodeJSON(EncodeBody.self)
            return JSONResponse.make(try await service.encoderWork.run { _ in try service.encode(body) })
        }

        router.post("/v1/embeddings") { _, _ -> Response in
            throw APIError.invalidRequest(
                "this server's encoder is a multi-vector (ColBERT) model: it has no single embedding per text; use "
                + "/v1/encode for token vectors or /v1/rerank for relevance scores", code: "multi_vector_model")
        }
    }
}

extension FerretService {
    /// Documents ordered by MaxSim against the query, normalised to the mean best cosine per query vector (so scores
    /// compare across queries, and with `--min-score`).
    func rerank(_ body: FerretServer.RerankBody) throws -> FerretServer.RerankResponse {
        let encoder = try requireEncoder(for: "/v1/rerank")
        guard !body.documents.isEmpty else { throw APIError.invalidRequest("`documents` is empty", code: "no_documents") }
        guard APILimits.batchItems.contains(body.documents.count) else {
            throw APIError.invalidRequest("at most \(APILimits.batchItems.upperBound) documents a request, not \(body.documents.count)",
                                          code: "too_many_documents")
        }
        try APILimits.checkQuery(body.query, field: "query")
        if let topN = body.top_n, topN < 1 { throw APIError.invalidRequest("`top_n` must be at least 1", code: "invalid_top_n") }
        let query = try encoder.encodeQuery(body.query)
        let documents = try encoder.encodeDocuments(body.documents)
        let scores = documents.map { Double(ColBERTEncoder.maxSim(query: query, document: $0)) / Double(max(query.count, 1)) }
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        let results = order.prefix(body.top_n ?? order.count).map { index in
            FerretServer.RerankResult(index: index, relevance_score: scores[index],
                                      document: body.return_documents == false ? nil : .init(text: body.documents[index]))
        }
        let tokens = query.count + documents.reduce(0) { $0 + $1.count }
        return .init(model: encoder.name, results: results, usage: .init(prompt_tokens: tokens, total_tokens: tokens))
    }

    /// Token vectors as `ferret encode --json` gives them, for each input.
    func encode(_ body: FerretServer.EncodeBody) throws -> FerretServer.EncodeResponse {
        let encoder = try requireEncoder(for: "/v1/encode")
        guard APILimits.batchItems.contains(body.input.count) else {
            throw APIError.invalidRequest("`input` takes 1 to \(APILimits.batchItems.upperBound) texts, not \(body.input.count)",
                                          code: "too_many_inputs")
        }
        let encoded: [TokenVectors]
        switch body.input_type {
        case "query": encoded = try body.input.map { try encoder.encodeQuery($0) }
        case "document": encoded = try encoder.encodeDocuments(body.input)
        default:
            throw APIError.invalidRequest("`input_type` must be \"query\" or \"document\", not '\(body.input_type)'",
                                          code: "invalid_input_type")
        }
        let items = encoded.enumerated().map { index, vectors in
            FerretServer.EncodeResponse.Item(index: index, ids: vectors.ids,
                                             vectors: (0..<vectors.count).map { Array(vectors.vector($0)) })
        }
        return .init(model: encoder.name, data: items)
    }
}
