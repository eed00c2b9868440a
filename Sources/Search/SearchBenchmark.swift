import Foundation
import Index
import Kernels

/// `ferret bench search`: builds (or reuses) a synthetic index, then measures query latency per mode and recall@10 of
/// the candidate scheme against exhaustive MaxSim. The CLI only parses options and prints the report.
public struct SearchBenchmark {
    public struct Options: Sendable {
        public var passages = 100_000
        /// Tokens per passage vary uniformly in `tokens ± tokens/4` (mean `tokens`).
        public var tokens = 200
        public var dimension = 128
        public var queries = 100
        public var queryTokens = 32
        public var k = 10
        public var seed: UInt64 = 1
        /// Reused when it already holds a synthetic index of the same shape, else built there.
        public var indexURL: URL
        public var policy = CandidatePolicy.default
        /// How the index stores vectors (`ferret index --vectors`).
        public var vectors: VectorStorage = .dense(.float16)
        public var configuration = SearchConfiguration.default
        /// Exhaustive single-query latency is measured on this many queries (seconds each at 100k passages).
        public var exhaustiveTimings = 3
        /// Compute recall@10 against the exhaustive oracle (one pass over every vector; minutes at 100k passages).
        public var measureRecall = true

        public init(indexURL: URL) { self.indexURL = indexURL }
    }

    public struct Latency: Sendable, Codable {
        public var p50: Double
        public var p95: Double
        public var mean: Double

        init(_ seconds: [Double]) {
            let sorted = seconds.sorted()
            func at(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))] }
            p50 = at(0.5)
            p95 = at(0.95)
            mean = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
        }
    }

    public struct Report: Sendable, Codable {
        public var passages: Int
        public var tokens: Int
        public var dimension: Int
        public var reused: Bool
        public var buildSeconds: Double
        public var maintenance: String
        public var fileBytes: Int64
        public var bytesPerToken: Double
        public var vectorBytesPerToken: Int
        public var centroids: Int
        public var queries: Int
        public var semantic: Latency
        public var hybrid: Latency
        public var lexical: Latency
        public var exhaustive: Latency
        /// `meta.vector.encoding` of the index.
        public var vectors: String
        /// Recall@10 of the semantic search against exhaustive MaxSim over the original float32 vectors (nil when
        /// not measured).
        public var recallAt10: Double?
        /// The lowest recall of a single query, to show the spread.
        public var worstRecall: Double?
        /// Recall@10 of exhaustive MaxSim over the vectors as stored (compressed ones decoded) against the same
        /// float32 truth: what compression alone loses, without candidate generation.
        public var storedRecallAt10: Double?
    }

    public let options: Options

    public init(options: Options) { self.options = options }

    public func run(progress: @escaping @Sendable (String) -> Void) throws -> Report {
        let corpus = SyntheticCorpus(dimension: options.dimension, seed: options.seed)
        let encoder = EncoderIdentity(name: "synthetic-\(options.dimension)d", fingerprint: "seed-\(options.seed)",
                                      dimension: options.dimension)
        let (database, reused, buildSeconds, maintenance) = try prepareIndex(corpus: corpus, encoder: encoder, progress: progress)
        try database.checkpoint()
        let status = try database.status()

        var random = SplitMix64(seed: options.seed ^ 0xBEEF)
        let queries = (0..<options.queries).map { _ in
            corpus.query(targeting: Int(random.next() % UInt64(options.passages)), tokens: options.queryTokens)
        }
        let searcher = Searcher(database: database, configuration: options.configuration)
        progress("warming up")
        for query in queries.prefix(5) {
            _ = try searcher.search(SearchRequest(text: query.text, queryVectors: query.vectors, k: options.k, mode: .hybrid))
        }
        var approximate: [[Int64]] = []
        var timings: [SearchMode: [Double]] = [:]
        for mode in [SearchMode.semantic, .hybrid, .lexical] {
            progress("timing \(queries.count) \(mode.rawValue) queries")
            for query in queries {
                let request = SearchRequest(text: query.text, queryVectors: mode == .lexical ? nil : query.vectors,
                                            k: options.k, mode: mode)
                let start = DispatchTime.now().uptimeNanoseconds
                let hits = try searcher.search(request)
                timings[mode, default: []].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                if mode == .semantic { approximate.append(hits.map(\.passageID)) }
            }
        }
        var exhaustiveConfiguration = options.configuration
        exhaustiveConfiguration.exhaustive = true
        let exhaustiveSearcher = Searcher(database: database, configuration: exhaustiveConfiguration)
        progress("timing \(options.exhaustiveTimings) exhaustive queries")
        var exhaustiveTimes: [Double] = []
        for query in queries.prefix(options.exhaustiveTimings) {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try exhaustiveSearcher.search(SearchRequest(text: query.text, queryVectors: query.vectors, k: options.k,
                                                            mode: .semantic))
            exhaustiveTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        var truth: [[(id: Int64, score: Float)]] = []
        var stored: [[(id: Int64, score: Float)]] = []
        if options.measureRecall {
            progress("exact top-\(options.k) of all \(queries.count) queries over the original float32 vectors")
            let lengths = passageLengths()
            truth = ExhaustiveOracle.topK(queries: queries.map(\.vectors), k: options.k) { add in
                // Passage ids are 1… in insertion order: the index was built in one pass into a new file.
                for (p, count) in lengths.enumerated() {
                    let vectors = corpus.passage(p, tokens: count).vectors
                    add(Int64(p + 1), count) { out in vectors.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: $0.count) } }
                }
            }
            progress("exact top-\(options.k) over the vectors as stored (one pass over the index)")
            stored = try ExhaustiveOracle.topK(queries: queries.map(\.vectors), k: options.k, database: database)
        }
        func recall(_ found: [Int64], _ exact: [(id: Int64, score: Float)]) -> Double {
            Double(Set(found).intersection(exact.map(\.id)).count) / Double(max(exact.count, 1))
        }
        let recalls = zip(approximate, truth).map(recall)
        let storedRecalls = zip(stored.map { $0.map(\.id) }, truth).map(recall)
        return Report(
            passages: status.passages, tokens: status.tokens, dimension: options.dimension, reused: reused,
            buildSeconds: buildSeconds, maintenance: maintenance, fileBytes: status.fileBytes,
            bytesPerToken: status.bytesPerToken ?? 0, vectorBytesPerToken: status.vectorBytesPerToken ?? 0,
            centroids: status.candidates.centroids, queries: queries.count,
            semantic: Latency(timings[.semantic] ?? []), hybrid: Latency(timings[.hybrid] ?? []),
            lexical: Latency(timings[.lexical] ?? []), exhaustive: Latency(exhaustiveTimes),
            vectors: status.vectorEncoding,
            recallAt10: recalls.isEmpty ? nil : recalls.reduce(0, +) / Double(recalls.count), worstRecall: recalls.min(),
            storedRecallAt10: storedRecalls.isEmpty ? nil : storedRecalls.reduce(0, +) / Double(storedRecalls.count))
    }

    /// Opens the index at `indexURL`, building it first unless it already holds exactly this synthetic set.
    private func prepareIndex(corpus: SyntheticCorpus, encoder: EncoderIdentity, progress: @escaping @Sendable (String) -> Void) throws
        -> (IndexDatabase, reused: Bool, seconds: Double, maintenance: String) {
        let marker = "synthetic:\(options.passages)x\(options.tokens)x\(options.dimension):seed\(options.seed)"
            + (options.vectors == .dense(.float16) ? "" : ":\(options.vectors)")
        if FileManager.default.fileExists(atPath: options.indexURL.path) {
            let existing = try IndexDatabase.openExisting(at: options.indexURL)
            if existing.encoder == encoder, existing.chunking["synthetic"] == marker,
               try existing.status().passages == options.passages {
                progress("reusing \(options.indexURL.path)")
                let report = try existing.maintain(policy: options.policy)
                return (existing, true, 0, describe(report))
            }
            throw IndexError.database(path: options.indexURL.path, detail: "holds something else than the synthetic set "
                                      + "\(marker); delete it or pass another --index")
        }
        let database = try IndexDatabase.open(at: options.indexURL, encoder: encoder, chunking: ["synthetic": marker],
                                              vectors: options.vectors)
        let started = Date()
        let lengths = passageLengths()
        let perDocument = 10
        var lastReport = Date()
        for first in stride(from: 0, to: options.passages, by: perDocument) {
            let passages = (first..<min(first + perDocument, options.passages)).map { p -> PassageInput in
                let generated = corpus.passage(p, tokens: lengths[p])
                return PassageInput(ordinal: p - first, text: generated.text, byteStart: 0, byteEnd: generated.text.utf8.count,
                                    lineStart: p - first + 1, lineEnd: p - first + 1, vectors: generated.vectors)
            }
            try database.replaceDocument(DocumentInput(path: "synthetic/doc\(first / perDocument).txt",
                                                       contentHash: "\(first)", size: 0, modified: started),
                                         passages: passages)
            if Date().timeIntervalSince(lastReport) > 10 {
                lastReport = Date()
                progress(String(format: "inserted %d of %d passages (%.0f s)", first + passages.count, options.passages,
                                lastReport.timeIntervalSince(started)))
            }
        }
        progress(String(format: "inserted %d passages in %.0f s; training centroids", options.passages,
                        Date().timeIntervalSince(started)))
        let report = try database.maintain(policy: options.policy, progress: progress)
        if options.vectors.residualBits != nil {
            // Training compressed every passage in place; the float16 pages it freed are still in the file.
            progress("vacuuming the pages the float16 vectors left")
            try database.vacuum()
        }
        return (database, false, Date().timeIntervalSince(started), describe(report))
    }

    /// Token count of every synthetic passage, uniform in `tokens ± tokens/4` (deterministic in the seed).
    private func passageLengths() -> [Int] {
        var random = SplitMix64(seed: options.seed ^ 0x70C3)
        let spread = max(options.tokens / 4, 0)
        return (0..<options.passages).map { _ in
            max(options.tokens - spread + Int(random.next() % UInt64(2 * spread + 1)), 1)
        }
    }

    private func describe(_ report: MaintenanceReport) -> String {
        switch report {
        case .upToDate: return "candidate structure up to date"
        case .trained(let centroids, let tokens, let seconds):
            return String(format: "trained %d centroids on %d tokens and assigned them in %.1f s", centroids, tokens, seconds)
        case .compacted(let postings, let seconds):
            return String(format: "compacted %d postings in %.1f s", postings, seconds)
        }
    }
}
