import ColBERT
import Foundation
import Generation
import Hummingbird
import HummingbirdTesting
import Index
import Indexing
import LFM2
import NIOCore
import Retrieval
import Server
import TestSupport
import Tokenizers

/// A small index of the three `SampleNotes` (lexical, or encoded with the tiny ColBERT) behind a `FerretServer`, driven through
/// Hummingbird's in-process router client: no socket, no port.
struct ServerFixture {
    static let encoder = try! ColBERTEncoder.load(directory: Fixtures.url("colbert-causal-tiny"))
    static let generator: Generator = {
        let folder = Fixtures.url("lfm2-tiny")
        return Generator(model: try! LFM2Model.load(directory: folder), tokenizer: try! Tokenizer.load(directory: folder))
    }()

    let folder: URL
    let server: FerretServer

    /// - Parameter servesWholeFolder: the server's root is the fixture's folder (not only the notes it indexed), so
    ///   files added beside the notes may be indexed through the API.
    init(encoded: Bool = false, generator: Bool = false, apiKey: String? = nil, pingInterval: Duration = .seconds(10),
         servesWholeFolder: Bool = false, corsOrigins: [String] = [], backlog: Int = 32, timeout: Duration = .seconds(300)) throws {
        folder = try Fixtures.temporaryDirectory()
        let notes = try SampleNotes.write(under: folder)
        let encoder = encoded ? Self.encoder : nil
        let identity = encoder.map { EncoderIdentity(name: $0.name, fingerprint: $0.fingerprint, dimension: $0.dimension) }
        let database = try IndexDatabase.open(at: folder.appendingPathComponent("i.sqlite"), encoder: identity)
        _ = try Indexer(database: database, encoder: encoder).run(roots: [notes])
        let service = try FerretService(retriever: try Retriever(database: database, encoder: encoder, k: 5),
                                        generator: generator ? Self.generator : nil,
                                        generatorName: generator ? "lfm2-tiny" : nil, maxTokens: 8, pingInterval: pingInterval,
                                        roots: servesWholeFolder ? [folder.path] : nil, backlog: backlog, timeout: timeout)
        server = FerretServer(service: service, apiKey: apiKey, corsOrigins: corsOrigins)
    }

    func cleanup() { try? FileManager.default.removeItem(at: folder) }

    /// Runs `body` with a client of the server's router.
    func withClient<T>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await Application(router: server.makeRouter()).test(.router, body)
    }
}

extension TestClientProtocol {
    /// POSTs `json` and returns status and body.
    func post(_ uri: String, json: String, headers: HTTPFields = [:]) async throws -> (status: Int, body: String) {
        let response = try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json))
        return (response.status.code, String(buffer: response.body))
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> (status: Int, body: String) {
        let response = try await execute(uri: uri, method: .get, headers: headers)
        return (response.status.code, String(buffer: response.body))
    }
}

/// The OpenAI error shape every failure has.
struct ErrorBody: Decodable {
    struct Detail: Decodable { let message: String; let type: String; let code: String? }
    let error: Detail

    static func decode(_ text: String) throws -> Detail {
        try JSONDecoder().decode(ErrorBody.self, from: Data(text.utf8)).error
    }
}

func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(text.utf8))
}
