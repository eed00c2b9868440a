import ColBERT
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Search
@testable import Server
import Testing
import TestSupport

/// The HTTP API: shapes, errors, the front-door checks, and that each route gives what the library gives.
@Suite struct ServerRoutesTests {
    @Test func healthModelsAndStatus() async throws {
        let fixture = try ServerFixture(encoded: true, generator: true)
        defer { fixture.cleanup() }
        try await fixture.withClient { client in
            #expect(try await client.get("/health") == (200, #"{"status":"ok"}"#))
            struct Models: Decodable { struct Entry: Decodable { let id: String; let object: String }; let data: [Entry] }
            let models = try decode(Models.self, try await client.get("/v1/models").body)
            #expect(models.data.map(\.id) == ["colbert-causal-tiny", "lfm2-tiny"] && models.data.allSatisfy { $0.object == "model" })
            struct Status: Decodable { let documents: Int; let passages: Int }
            let status = try decode(Status.self, try await client.get("/v1/status").body)
            #expect(status.documents == 3 && status.passages >= 3)
        }
    }

    @Test func searchGivesTheLibrarysHits() async throws {
        let fixture = try ServerFixture()
        defer { fixture.cleanup() }
        let expected = try Searcher(database: fixture.server.service.database)
            .search(SearchRequest(text: "kettle descale", k: 2, mode: .lexical))
        try await fixture.withClient { client in
            let (status, body) = try await client.post("/v1/search", json: #"{"query":"kettle descale","k":2}"#)
            #expect(status == 200)
            let hits = try decode([SearchHit].self, body)
            #expect(hits.map(\.passageID) == expected.map(\.passageID) && hits.first?.path.hasSuffix("kettle.md") == true)
            #expect(try await client.post("/v1/search", json: #"{"query":"quantum"}"#).body == "[]")

            // A lexical index cannot do semantic search: a 400 that says why.
            let semantic = try await client.post("/v1/search", json: #"{"query":"tea","mode":"semantic"}"#)
            #expect(semantic.status == 400)
            #expect(try try ErrorBody.decode(semantic.body).message.contains("encoder"))
            let badMode = try await client.post("/v1/search", json: #"{"query":"tea","mode":"fuzzy"}"#)
            #expect(try badMode.status == 400 && ErrorBody.decode(badMode.body).code == "invalid_mode")
        }
    }

    @Test func malformedRequestsGetOpenAIErrors() async throws {
        let fixture = try ServerFixture()
        defer { fixture.cleanup() }
        try await fixture.withClient { client in
            for (json, words) in [(#"{"query": "#, "invalid JSON"), (#"{"k": 3}"#, "missing field `query`"),
                                  (#"{"query": 7}"#, "`query` should be a string"), ("", "needs a JSON body")] {
                let (status, body) = try await client.post("/v1/search", json: json)
                #expect(status == 400, "\(json)")
                let error = try ErrorBody.decode(body)
                #expect(error.type == "invalid_request_error" && error.message.contains(words), "\(json): \(error.message)")
            }
            let missing = try await client.get("/v1/nothing")
            #expect(try missing.status == 404 && ErrorBody.decode(missing.body).type == "not_found_error")
            let embeddings = try await client.post("/v1/embeddings", json: #"{"input":"x"}"#)
            #expect(try embeddings.status == 400 && ErrorBody.decode(embeddings.body).code == "multi_vector_model")
        }
    }

    @Test func frontDoorChecksOriginHostAndKey() async throws {
        #expect(RequestGuard<BasicRequestContextAlias>.isLoopback(host: "localhost:8080"))
        #expect(RequestGuard<BasicRequestContextAlias>.isLoopback(host: "127.0.0.1"))
        #expect(RequestGuard<BasicRequestContextAlias>.isLoopback(host: "[::1]:9"))
        #expect(!RequestGuard<BasicRequestContextAlias>.isLoopback(host: "evil.example:8080"))
        #expect(!RequestGuard<BasicRequestContextAlias>.isLoopback(host: "localhost.evil.example"))
        #expect(!RequestGuard<BasicRequestContextAlias>.isLoopback(origin: "null"))

        let fixture = try ServerFixture(apiKey: "s3cret")
        defer { fixture.cleanup() }
        try await fixture.withClient { client in
            #expect(try await client.get("/health").status == 200, "health needs no key")
            let anonymous = try await client.get("/v1/status")
            #expect(try anonymous.status == 401 && ErrorBody.decode(anonymous.body).type == "authentication_error")
            #expect(try await client.get("/v1/status", headers: [.authorization: "Bearer wrong"]).status == 401)
            #expect(try await client.get("/v1/status", headers: [.authorization: "Bearer s3cret"]).status == 200)
            let page = try await client.get("/health", headers: [.origin: "https://evil.example"])
            #expect(try page.status == 403 && ErrorBody.decode(page.body).code == "origin_not_allowed")
            #expect(try await client.get("/health", headers: [.origin: "http://localhost:5173"]).status == 200)
        }
    }

    @Test func rerankScoresAreNormalisedMaxSim() async throws {
        let fixture = try ServerFixture(encoded: true)
        defer { fixture.cleanup() }
        let encoder = ServerFixture.encoder
        let documents = ["Bicycles have gears.", "Tea grows on hills.", "The kettle boils water."]
        let query = try encoder.encodeQuery("bicycle gears")
        let expected = try documents.map {
            Double(ColBERTEncoder.maxSim(query: query, document: try encoder.encodeDocument($0))) / Double(query.count)
        }
        struct Reranked: Decodable {
            struct Result: Decodable { let index: Int; let relevance_score: Double; let document: [String: String]? }
            let results: [Result]
        }
        try await fixture.withClient { client in
            let json = #"{"query":"bicycle gears","documents":["Bicycles have gears.","Tea grows on hills.","The kettle boils water."],"top_n":2}"#
            let (status, body) = try await client.post("/v1/rerank", json: json)
            #expect(status == 200, "\(body)")
            let results = try decode(Reranked.self, body).results
            let order = expected.indices.sorted { expected[$0] > expected[$1] }
            #expect(results.map(\.index) == Array(order.prefix(2)))
            for result in results {
                #expect(abs(result.relevance_score - expected[result.index]) < 1e-5)
                #expect(result.document?["text"] == documents[result.index])
            }
            #expect(try await client.post("/v1/rerank", json: #"{"query":"x","documents":[]}"#).status == 400)
        }
    }

    @Test func encodeGivesTheEncodersVectors() async throws {
        let fixture = try ServerFixture(encoded: true)
        defer { fixture.cleanup() }
        let expected = try ServerFixture.encoder.encodeDocument("Green tea is steamed.")
        struct Encoded: Decodable { struct Item: Decodable { let ids: [Int]; let vectors: [[Float]] }; let data: [Item] }
        try await fixture.withClient { client in
            let (status, body) = try await client.post("/v1/encode", json: #"{"input":["Green tea is steamed."],"input_type":"document"}"#)
            #expect(status == 200)
            let item = try #require(try decode(Encoded.self, body).data.first)
            #expect(item.ids == expected.ids)
            #expect(item.vectors.flatMap { $0 } == expected.vectors)
            let query = try decode(Encoded.self, try await client.post("/v1/encode", json: #"{"input":"tea","input_type":"query"}"#).body)
            #expect(query.data.first?.ids.count == ServerFixture.encoder.queryLength)
            let bad = try await client.post("/v1/encode", json: #"{"input":"tea","input_type":"passage"}"#)
            #expect(try bad.status == 400 && ErrorBody.decode(bad.body).code == "invalid_input_type")
        }
    }
}

typealias BasicRequestContextAlias = Hummingbird.BasicRequestContext

/// Index, list and forget documents over HTTP.
@Suite struct DocumentRoutesTests {
    @Test func indexListAndForget() async throws {
        let fixture = try ServerFixture(servesWholeFolder: true)
        defer { fixture.cleanup() }
        let extra = fixture.folder.appendingPathComponent("extra")
        try FileManager.default.createDirectory(at: extra, withIntermediateDirectories: true)
        try Data("Sourdough needs a starter fed with flour and water.\n".utf8).write(to: extra.appendingPathComponent("bread.md"))
        struct Summary: Decodable { let added: Int; let failed: [[String: String]] }
        struct Job: Decodable { let status: String; let summary: Summary }
        struct Listing: Decodable { struct Document: Decodable { let path: String; let modified: String }; let data: [Document] }
        struct Removal: Decodable { let removed: [String]; let unmatched: [String] }
        try await fixture.withClient { client in
            let added = try await client.post("/v1/documents", json: #"{"paths":["\#(extra.path)"],"wait":true}"#)
            #expect(added.status == 200, "\(added.body)")
            let job = try decode(Job.self, added.body)
            #expect(job.status == "succeeded" && job.summary.added == 1)
            let found = try await client.post("/v1/search", json: #"{"query":"sourdough starter"}"#)
            #expect(found.body.contains("bread.md"))

            let listing = try decode(Listing.self, try await client.get("/v1/documents").body)
            #expect(listing.data.count == 4 && listing.data.contains { $0.path.hasSuffix("bread.md") })
            #expect(listing.data.allSatisfy { $0.modified.contains("T") }, "dates are ISO 8601")

            let removal = try await client.execute(uri: "/v1/documents", method: .delete,
                                                   body: ByteBuffer(string: #"{"paths":["\#(extra.path)","\#(fixture.folder.path)/not/indexed"]}"#))
            let removed = try decode(Removal.self, String(buffer: removal.body))
            #expect(removed.removed.count == 1 && removed.removed[0].hasSuffix("bread.md")
                    && removed.unmatched == [fixture.folder.path + "/not/indexed"])
            #expect(try await client.post("/v1/search", json: #"{"query":"sourdough starter"}"#).body == "[]")

            let missing = try await client.post("/v1/documents", json: #"{"paths":["\#(fixture.folder.path)/no/such/folder"]}"#)
            #expect(try missing.status == 400 && ErrorBody.decode(missing.body).code == "no_such_path")
        }
    }
}
