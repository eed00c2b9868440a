import Foundation
import Hummingbird
import HummingbirdTesting
import Index
import Indexing
import NIOCore
import Retrieval
@testable import Server
import Testing
import TestSupport

/// Nothing outside the server's roots can be read through it: not by path, `..`, or a symbolic link, and documents
/// indexed outside them from the command line never show in lists or searches.
@Suite struct ConfinementTests {
    /// A secret beside the notes (outside the roots) that an attacker would like to read.
    static func writeSecret(in fixture: ServerFixture) throws -> URL {
        let secret = fixture.folder.appendingPathComponent("private/diary.md")
        try FileManager.default.createDirectory(at: secret.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("Zanzibar password hint: the blue umbrella.\n".utf8).write(to: secret)
        return secret
    }

    static func notes(_ fixture: ServerFixture) -> URL { fixture.folder.appendingPathComponent("notes") }

    @Test func pathsOutsideTheRootsAre403AndNotRead() async throws {
        let fixture = try ServerFixture()
        defer { fixture.cleanup() }
        let secret = try Self.writeSecret(in: fixture)
        let notes = Self.notes(fixture)
        #expect(fixture.server.service.confinement.roots == [notes.path], "the default roots are the index's")
        // A link inside the notes to the secret file, and one to its folder.
        try FileManager.default.createSymbolicLink(at: notes.appendingPathComponent("link.md"), withDestinationURL: secret)
        try FileManager.default.createSymbolicLink(at: notes.appendingPathComponent("linked-dir"),
                                                   withDestinationURL: secret.deletingLastPathComponent())
        try await fixture.withClient { client in
            for path in [secret.path, "\(notes.path)/../private/diary.md", "/etc/passwd", "\(notes.path)/link.md",
                         "\(notes.path)/linked-dir/diary.md", "\(notes.path)/linked-dir", "/does/not/exist"] {
                let answer = try await client.post("/v1/documents", json: #"{"paths":["\#(path)"]}"#)
                #expect(answer.status == 403, "\(path): \(answer.body)")
                #expect(try ErrorBody.decode(answer.body).code == "path_not_allowed", "\(path)")
            }
            // Re-indexing the notes folder walks past both links without reading them.
            let run = try await client.post("/v1/documents", json: #"{"paths":["\#(notes.path)"],"wait":true}"#)
            #expect(run.status == 200 && run.body.contains(#""status":"succeeded""#), "\(run.body)")
            #expect(run.body.contains("outsideRoots"), "the links are reported as skipped: \(run.body)")
            #expect(try await client.post("/v1/search", json: #"{"query":"Zanzibar umbrella"}"#).body == "[]")
            let listing = try await client.get("/v1/documents")
            #expect(!listing.body.contains("diary") && !listing.body.contains("link.md"), "\(listing.body)")
            // Forgetting is confined too.
            let forget = try await client.execute(uri: "/v1/documents", method: .delete,
                                                  body: ByteBuffer(string: #"{"paths":["/etc"]}"#))
            #expect(forget.status == .forbidden)
        }
    }

    @Test func documentsIndexedOutsideTheRootsStayHidden() async throws {
        let fixture = try ServerFixture()
        defer { fixture.cleanup() }
        let secret = try Self.writeSecret(in: fixture)
        // Indexed from the command line (no confinement there), then served with only the notes as root.
        _ = try Indexer(database: fixture.server.service.database, encoder: nil).run(roots: [secret.deletingLastPathComponent()])
        let service = try FerretService(retriever: try Retriever(database: fixture.server.service.database, encoder: nil, k: 5),
                                        generator: nil, generatorName: nil, roots: [Self.notes(fixture).path])
        let server = FerretServer(service: service)
        try await Application(router: server.makeRouter()).test(.router) { client in
            #expect(try await client.post("/v1/search", json: #"{"query":"Zanzibar umbrella"}"#).body == "[]")
            #expect(try await client.post("/v1/search", json: #"{"query":"kettle"}"#).body.contains("kettle"))
            #expect(!(try await client.get("/v1/documents").body.contains("diary")))
            let chat = try await client.post("/v1/chat/completions",
                                             json: #"{"messages":[{"role":"user","content":"What is the Zanzibar password hint?"}]}"#)
            #expect(chat.status == 200 && !chat.body.contains("umbrella"), "\(chat.body)")
        }
    }

    @Test func anEmptyIndexServesNoFoldersUntilGivenARoot() async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try IndexDatabase.open(at: folder.appendingPathComponent("i.sqlite"), encoder: nil)
        let service = try FerretService(retriever: try Retriever(database: database, encoder: nil, k: 5), generator: nil,
                                        generatorName: nil)
        #expect(service.confinement.isEmpty)
        try await Application(router: FerretServer(service: service).makeRouter()).test(.router) { client in
            let answer = try await client.post("/v1/documents", json: #"{"paths":["\#(folder.path)"]}"#)
            #expect(try answer.status == 403 && ErrorBody.decode(answer.body).message.contains("--root"), "\(answer.body)")
        }
    }

    @Test func keysCompareInConstantTimeAndCORSIsOptIn() async throws {
        #expect(RequestGuard<BasicRequestContextAlias>.constantTimeEquals("Bearer abc", "Bearer abc"))
        #expect(!RequestGuard<BasicRequestContextAlias>.constantTimeEquals("Bearer abd", "Bearer abc"))
        #expect(!RequestGuard<BasicRequestContextAlias>.constantTimeEquals("Bearer ab", "Bearer abc"))
        #expect(!RequestGuard<BasicRequestContextAlias>.constantTimeEquals("", "Bearer abc"))

        let fixture = try ServerFixture(apiKey: "k3y", corsOrigins: ["https://app.example"])
        defer { fixture.cleanup() }
        try await fixture.withClient { client in
            let allowed = try await client.execute(uri: "/v1/status", method: .get,
                                                   headers: [.origin: "https://app.example", .authorization: "Bearer k3y"])
            #expect(allowed.status == .ok && allowed.headers[.accessControlAllowOrigin] == "https://app.example")
            let preflight = try await client.execute(uri: "/v1/search", method: .options, headers: [.origin: "https://app.example"])
            #expect(preflight.status == .noContent && preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            let other = try await client.execute(uri: "/v1/status", method: .get,
                                                 headers: [.origin: "https://evil.example", .authorization: "Bearer k3y"])
            #expect(other.status == .forbidden && other.headers[.accessControlAllowOrigin] == nil)
            // A wrong key that shares the right one's prefix is refused like any other.
            #expect(try await client.get("/v1/status", headers: [.authorization: "Bearer k3"]).status == 401)
            #expect(try await client.get("/v1/status", headers: [.authorization: "Bearer k3yy"]).status == 401)
        }
    }

    @Test func anOversizedBodyIsRefused() async throws {
        let fixture = try ServerFixture()
        defer { fixture.cleanup() }
        try await fixture.withClient { client in
            let huge = #"{"query":""# + String(repeating: "a", count: 9_000_000) + #""}"#
            let answer = try await client.post("/v1/search", json: huge)
            #expect(answer.status == 413, "\(answer.status)")
            #expect(try ErrorBody.decode(answer.body).type == "invalid_request_error")
        }
    }
}
