import Foundation

/// What `ferret status` prints. JSON keys are snake_case and stable (`schema_version` says which layout).
public struct IndexStatus: Sendable, Equatable, Codable {
    public struct Skipped: Sendable, Equatable, Codable {
        public var path: String
        public var reason: String
        /// What kind of skip (`binary`, `symlinkLoop`, `unsupportedType`…) or `failed` for a real read or extraction
        /// error; nil for entries recorded before kinds were kept.
        public var kind: String?

        public init(path: String, reason: String, kind: String? = nil) {
            self.path = path
            self.reason = reason
            self.kind = kind
        }

        /// A real error (the file should have been read), as opposed to a skip with a reason.
        public var isFailure: Bool { kind == nil || kind == Self.failedKind }
        public static let failedKind = "failed"
    }

    /// How semantic candidates are found (see docs/INDEX.md, "Candidate generation").
    public struct Candidates: Sendable, Equatable, Codable {
        /// `exhaustive` (every vector scored: small or lexical-only index) or `centroids`.
        public var scheme: String
        public var centroids: Int
        /// Token count when the centroids were trained; they are re-trained once the index has 4× as many.
        public var trainedOnTokens: Int
        /// Postings not yet folded into the per-centroid lists, and deleted passages still listed there.
        public var pendingPostings: Int
        public var tombstones: Int

        enum CodingKeys: String, CodingKey {
            case scheme, centroids, tombstones
            case trainedOnTokens = "trained_on_tokens", pendingPostings = "pending_postings"
        }
    }

    public var schemaVersion: Int
    public var path: String
    public var documents: Int
    public var passages: Int
    /// Token vectors stored.
    public var tokens: Int
    /// Whole file (database + WAL) divided by tokens: what a token really costs on disk. Nil without tokens.
    public var bytesPerToken: Double?
    /// Bytes of one stored vector (`dimension × encoding width`).
    public var vectorBytesPerToken: Int?
    public var encoder: EncoderIdentity?
    /// `float16` or `float32`.
    public var vectorEncoding: String
    public var chunking: [String: String]
    public var candidates: Candidates
    public var fileBytes: Int64
    public var lastRun: RunSummary?
    public var skipped: [Skipped]
    /// SQLite's quick check: `["ok"]`, or the problems found; nil when not checked.
    public var health: [String]?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", path, documents, passages, tokens
        case bytesPerToken = "bytes_per_token", vectorBytesPerToken = "vector_bytes_per_token"
        case encoder, vectorEncoding = "vector_encoding", chunking, candidates, fileBytes = "file_bytes"
        case lastRun = "last_run", skipped, health
    }
}
