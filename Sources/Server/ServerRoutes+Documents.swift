import Foundation
import Hummingbird
import Index
import Indexing

/// `GET /v1/documents` (what is indexed), `POST /v1/documents` (index or re-index paths, incrementally, as
/// `ferret index`) and `DELETE /v1/documents` (forget paths, as `ferret remove`). Relative paths are relative to the
/// server's working directory.
extension FerretServer {
    struct PathsBody: Decodable {
        let paths: [String]
    }

    func addDocumentRoutes(to router: Router<BasicRequestContext>) {
        router.get("/v1/documents") { _, _ in
            let documents = try await service.run(on: service.retrievalQueue) {
                try service.database.documentPaths().compactMap { try service.database.storedDocument(path: $0) }
            }
            return JSONResponse.make(DocumentList(data: documents))
        }

        router.post("/v1/documents") { request, _ in
            var request = request
            let body = try await request.decodeJSON(PathsBody.self)
            let roots = try service.existingRoots(body.paths)
            let summary = try await service.run(on: service.indexingQueue) {
                try Indexer(database: service.database, encoder: service.encoder).run(roots: roots)
            }
            return JSONResponse.make(summary)
        }

        router.delete("/v1/documents") { request, _ in
            var request = request
            let body = try await request.decodeJSON(PathsBody.self)
            guard !body.paths.isEmpty else { throw APIError.invalidRequest("`paths` is empty", code: "no_paths") }
            return JSONResponse.make(try await service.run(on: service.indexingQueue) {
                try service.database.forget(matching: body.paths)
            })
        }
    }
}

struct DocumentList: Encodable {
    let object = "list"
    let data: [StoredDocument]
}

extension FerretService {
    /// The paths as URLs, or a 400 naming the first that does not exist.
    func existingRoots(_ paths: [String]) throws -> [URL] {
        guard !paths.isEmpty else { throw APIError.invalidRequest("`paths` is empty", code: "no_paths") }
        return try paths.map { path in
            let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw APIError.invalidRequest("no file or folder at '\(path)' (as seen by the server, from "
                                              + "\(FileManager.default.currentDirectoryPath))", code: "no_such_path")
            }
            return url
        }
    }
}
