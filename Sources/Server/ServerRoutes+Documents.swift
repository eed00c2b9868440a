import Foundation
import Hummingbird
import Index
import Indexing
import Ingest

/// `GET /v1/documents` (what is indexed), `POST /v1/documents` (index or re-index paths, incrementally, as
/// `ferret index`) and `DELETE /v1/documents` (forget paths, as `ferret remove`). Relative paths are relative to the
/// server's working directory. Everything is confined to the service's roots: a path outside (after `..` and
/// symbolic links) answers 403 `path_not_allowed` and is not read, and documents outside are not listed.
extension FerretServer {
    struct PathsBody: Decodable {
        let paths: [String]
    }

    func addDocumentRoutes(to router: Router<BasicRequestContext>) {
        router.get("/v1/documents") { _, _ in
            let documents = try await service.run(on: service.retrievalQueue) {
                try service.database.documentPaths().filter { service.confinement.contains(indexedPath: $0) }
                    .compactMap { try service.database.storedDocument(path: $0) }
            }
            return JSONResponse.make(DocumentList(data: documents))
        }

        router.post("/v1/documents") { request, _ in
            var request = request
            let body = try await request.decodeJSON(PathsBody.self)
            let roots = try service.existingRoots(body.paths)
            let summary = try await service.run(on: service.indexingQueue) {
                var options = IngestOptions()
                options.confinement = service.confinement
                return try Indexer(database: service.database, encoder: service.encoder, options: options).run(roots: roots)
            }
            return JSONResponse.make(summary)
        }

        router.delete("/v1/documents") { request, _ in
            var request = request
            let body = try await request.decodeJSON(PathsBody.self)
            guard !body.paths.isEmpty else { throw APIError.invalidRequest("`paths` is empty", code: "no_paths") }
            let paths = try body.paths.map { try service.allowedPath($0) }
            return JSONResponse.make(try await service.run(on: service.indexingQueue) {
                try service.database.forget(matching: paths)
            })
        }
    }
}

struct DocumentList: Encodable {
    let object = "list"
    let data: [StoredDocument]
}

extension FerretService {
    /// `path` made absolute when it lies inside the roots; a 403 `path_not_allowed` otherwise (checked before
    /// anything is read, so the answer is the same whether or not something exists there).
    func allowedPath(_ path: String) throws -> String {
        guard let allowed = confinement.allowed(path) else {
            let roots = confinement.isEmpty ? "none: start `ferret serve --root DIR`"
                : confinement.roots.joined(separator: ", ")
            throw APIError(.forbidden, type: "permission_error", code: "path_not_allowed",
                           "'\(path)' is outside the folders this server may read (\(roots))")
        }
        return allowed
    }

    /// The paths as URLs, or a 403 for the first outside the roots, or a 400 naming the first that does not exist.
    func existingRoots(_ paths: [String]) throws -> [URL] {
        guard !paths.isEmpty else { throw APIError.invalidRequest("`paths` is empty", code: "no_paths") }
        let allowed = try paths.map { try allowedPath($0) }
        return try zip(paths, allowed).map { path, absolute in
            let url = URL(fileURLWithPath: absolute)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw APIError.invalidRequest("no file or folder at '\(path)' (as seen by the server, from "
                                              + "\(FileManager.default.currentDirectoryPath))", code: "no_such_path")
            }
            return url
        }
    }
}
