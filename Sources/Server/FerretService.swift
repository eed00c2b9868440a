import ColBERT
import Foundation
import Generation
import Index
import Ingest
import LFM2
import Retrieval
import Tokenizers

/// What the server serves: one index, optionally its encoder, optionally a generator, loaded once. Model work runs
/// on serial queues off the event loops: one for retrieval and encoding, one for generation, one for index
/// writes, so a long answer or an index run does not hold up searches.
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
    let retrievalQueue = DispatchQueue(label: "ferret.server.retrieval")
    let generationQueue = DispatchQueue(label: "ferret.server.generation")
    /// Index runs and removals, one at a time; searches go on meanwhile (SQLite WAL: readers see the last commit).
    let indexingQueue = DispatchQueue(label: "ferret.server.indexing")

    /// - Parameter roots: the allowed folders; nil means the folders the index was built from (`IndexDatabase.roots`).
    public init(retriever: Retriever, generator: Generator?, generatorName: String?, maxTokens: Int = 512,
                contextTokens: Int? = nil, pingInterval: Duration = .seconds(10), roots: [String]? = nil) throws {
        self.pingInterval = pingInterval
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

    /// Runs `body` on `queue` and waits for it without blocking the caller's thread.
    func run<T: Sendable>(on queue: DispatchQueue, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
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
