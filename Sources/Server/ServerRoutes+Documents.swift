import Foundation
import Hummingbird
import Index
import Indexing
import Ingest

/// `GET /v1/documents` (what is indexed), `POST /v1/index` or `/v1/documents` (an index job over paths, as
/// `ferret index`: 202 and `GET /v1/jobs/{id}` to follow it, `DELETE` to cancel), `DELETE /v1/documents` (forget
/// paths, as `ferret remove`). Relative paths are relative to the
/// server's working directory. Everything is confined to the service's roots: a path outside (after `..` and
/// symbolic links) answers 403 `path_not_allowed` and is not read, and documents outside are not listed.
extension FerretServer {
    struct PathsBody: Decodable {
        let paths: [String]
    }

    /// `POST /v1/index` and `POST /v1/documents`: paths to index (default: every root), and whether to wait for the
    /// run to finish (otherwise 202 with the job to poll).
    struct IndexBody: Decodable {
        let paths: [String]?
        let wait: Bool?
    }

    func addDocumentRoutes(to router: Router<BasicRequestContext>) {
        router.get("/v1/documents") { _, _ in
            let documents = try await service.read {
                try service.database.documentPaths().filter { service.confinement.contains(indexedPath: $0) }
                    .compactMap { try service.database.storedDocument(path: $0) }
            }
            return JSONResponse.make(DocumentList(data: documents))
        }

        let startIndexing: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var request = request
            let body = try await request.decodeJSON(IndexBody.self)
            if body.paths == nil && service.confinement.isEmpty { _ = try service.allowedPath(".") }   // 403: no roots
            let roots = try service.existingRoots(body.paths ?? service.confinement.roots)
            let job = try service.jobs.start(roots: roots.map(\.path), database: service.database, encoder: service.encoder,
                                             confinement: service.confinement)
            if body.wait == true, let finished = try await service.jobs.finished(job.id) {
                return JSONResponse.make(finished)
            }
            var response = JSONResponse.make(job, status: .accepted)
            response.headers[.location] = "/v1/jobs/\(job.id)"
            return response
        }
        router.post("/v1/index", use: startIndexing)
        router.post("/v1/documents", use: startIndexing)

        router.delete("/v1/documents") { request, _ in
            var request = request
            let body = try await request.decodeJSON(PathsBody.self)
            try APILimits.checkPaths(body.paths)
            let paths = try body.paths.map { try service.allowedPath($0) }
            // A short write of its own: SQLite serialises it with a running job's per-file transactions.
            return JSONResponse.make(try await service.read { try service.database.forget(matching: paths) })
        }

        router.get("/v1/jobs") { _, _ in JSONResponse.make(JobList(data: service.jobs.list())) }

        router.get("/v1/jobs/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let job = service.jobs.job(id) else { throw Self.noSuchJob(id) }
            return JSONResponse.make(job)
        }

        router.delete("/v1/jobs/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let job = service.jobs.cancel(id) else { throw Self.noSuchJob(id) }
            return JSONResponse.make(job)
        }
    }

    static func noSuchJob(_ id: String) -> APIError {
        APIError(.notFound, type: "not_found_error", code: "no_such_job", "no index job '\(id)' (finished jobs are kept for a while)")
    }
}

struct JobList: Encodable {
    let object = "list"
    let data: [IndexJob]
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
        try APILimits.checkPaths(paths)
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
