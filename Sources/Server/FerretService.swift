import ColBERT
import Foundation
import Generation
import Index
import Ingest
import LFM2
import Retrieval
import Tokenizers

/// What the server serves: one index, optionally its encoder, optionally a generator, loaded once. Model work runs
/// off the event loops on one `ModelQueue` per model (bounded backlog, deadline), index runs are `IndexJobs` on
/// their own queue, and SQLite reads run concurrently beside both, so neither a long answer nor an index run
/// holds up searches.
public final class FerretService: Sendable {
    public let retriever: Retriever
    public let generator: Generator?
    public let generatorName: String?
    /// Default answer length and context for chat completions.
    public let maxTokens: Int
    public let contextTokens: Int
    /// How often a streamed answer sends an SSE `: ping` comment.
    public let pingInterval: Duration
    /// The folders clients may have indexed and may see: `POST /v1/documents` reads nothing outside them, and
    /// documents outside them (indexed earlier from the command line) never appear in lists, searches or answers.
    public let confinement: PathConfinement
    /// Query and document encoding (search, rerank, encode).
    let encoderWork: ModelQueue
    /// Answers and completions.
    let generatorWork: ModelQueue
    let jobs = IndexJobs()
    /// SQLite reads and MaxSim scoring: concurrent (the database pool hands each its own reader).
    let readers = DispatchQueue(label: "ferret.server.readers", attributes: .concurrent)

    /// - Parameter roots: the allowed folders; nil means the folders the index was built from (`IndexDatabase.roots`).
    /// - Parameters:
    ///   - backlog: requests per model waiting or running at most (more get 429).
    ///   - timeout: how long one request may wait and run.
    public init(retriever: Retriever, generator: Generator?, generatorName: String?, maxTokens: Int = 512,
                contextTokens: Int? = nil, pingInterval: Duration = .seconds(10), roots: [String]? = nil,
                backlog: Int = 32, timeout: Duration = .seconds(300)) throws {
        self.pingInterval = pingInterval
        encoderWork = ModelQueue(name: "encoder", capacity: backlog, timeout: timeout)
        generatorWork = ModelQueue(name: "generator", capacity: backlog, timeout: timeout)
        let confinement = PathConfinement(roots: try roots ?? retriever.database.roots())
        self.confinement = confinement
        var retriever = retriever
        retriever.allowsPath = { confinement.contains(indexedPath: $0) }
        self.retriever = retriever
        self.generator = generator
        self.generatorName = generatorName
        self.maxTokens = maxTokens
        self.contextTokens = contextTokens ?? generator.map { min($0.model.config.maxPositions, 8192) } ?? 0
    }

    public var encoder: ColBERTEncoder? { retriever.encoder }
    public var database: IndexDatabase { retriever.database }

    /// Runs a read (SQLite, scoring) off the event loops, concurrently with other reads and with index writes.
    func read<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            readers.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// The encoder, or a 400 that says which endpoint needs one and how to start the server with it.
    func requireEncoder(for endpoint: String) throws -> ColBERTEncoder {
        guard let encoder else {
            throw APIError.invalidRequest("\(endpoint) needs a ColBERT encoder: start `ferret serve --model DIR` with the "
                                          + "encoder the index was built with", code: "no_encoder")
        }
        return encoder
    }
}
