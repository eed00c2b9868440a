import Foundation

/// One file of a repository, as `/api/models/{id}/revision/{rev}?blobs=true` lists it.
public struct HubFile: Sendable, Equatable {
    /// Path inside the repository (`1_Dense/model.safetensors`).
    public var path: String
    public var size: Int64
    /// LFS files: the SHA-256 of the content (the LFS `oid`).
    public var sha256: String?
    /// The git blob id; for a file kept in git (not LFS) this is the content's digest.
    public var gitBlobID: String?

    public init(path: String, size: Int64, sha256: String? = nil, gitBlobID: String? = nil) {
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.gitBlobID = gitBlobID
    }
}

/// A repository at one commit: what the pull downloads from.
public struct HubListing: Sendable, Equatable {
    public var repository: String
    public var commit: String
    public var files: [HubFile]

    /// Decodes the Hub's JSON (`sha`, `siblings[].rfilename/size/blobId/lfs.{sha256,size}`), checking what later
    /// becomes a path or a size: a file name that could leave the model folder is refused, not skipped.
    public init(repository: String, json data: Data) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw HubError.badListing(repository: repository, detail: "not a JSON object")
        }
        guard let commit = object["sha"] as? String, commit.count == 40, commit.allSatisfy(\.isHexDigit) else {
            throw HubError.badListing(repository: repository, detail: "no 40-digit commit in \"sha\"")
        }
        guard let siblings = object["siblings"] as? [[String: Any]] else {
            throw HubError.badListing(repository: repository, detail: "no \"siblings\" array")
        }
        var files: [HubFile] = []
        for sibling in siblings {
            guard let path = sibling["rfilename"] as? String else {
                throw HubError.badListing(repository: repository, detail: "a sibling without \"rfilename\"")
            }
            guard Self.isSafe(path: path) else {
                throw HubError.badListing(repository: repository, detail: "unsafe file name \"\(path)\"")
            }
            let lfs = sibling["lfs"] as? [String: Any]
            let sha256 = (lfs?["sha256"] as? String).map { $0.lowercased() }
            if let sha256, !(sha256.count == 64 && sha256.allSatisfy(\.isHexDigit)) {
                throw HubError.badListing(repository: repository, detail: "\(path): malformed sha256")
            }
            let size = Self.int64(lfs?["size"]) ?? Self.int64(sibling["size"])
            if let size, size < 0 { throw HubError.badListing(repository: repository, detail: "\(path): negative size") }
            let blob = (sibling["blobId"] as? String).map { $0.lowercased() }
            files.append(HubFile(path: path, size: size ?? -1, sha256: sha256,
                                 gitBlobID: blob.flatMap { $0.count == 40 && $0.allSatisfy(\.isHexDigit) ? $0 : nil }))
        }
        self.repository = repository
        self.commit = commit.lowercased()
        self.files = files
    }

    /// A relative path of plain components: no `..`, no absolute path, no empty or hidden-dot tricks, no NUL.
    static func isSafe(path: String) -> Bool {
        guard !path.isEmpty, path.utf8.count <= 1024, !path.hasPrefix("/"), !path.contains("\0"), !path.contains("\\")
        else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { $0 != "" && $0 != "." && $0 != ".." }
    }

    private static func int64(_ value: Any?) -> Int64? {
        switch value {
        case let number as NSNumber: return number.int64Value
        case let int as Int: return Int64(int)
        default: return nil
        }
    }
}
