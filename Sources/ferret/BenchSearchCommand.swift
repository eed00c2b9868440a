import ArgumentParser
import Foundation
import Index
import Kernels
import Search

struct BenchSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Query latency, bytes per token and recall@10 against exhaustive MaxSim on a synthetic index.",
        discussion: """
        Builds a synthetic index (random word vectors + noise + context, see Sources/Search/SyntheticCorpus.swift) of \
        --passages passages of about --tokens token vectors, trains its centroids, then times semantic, hybrid and \
        lexical queries and compares the semantic top-10 with the exact top-10. With --index FILE the index is kept and \
        reused by the next run with the same shape. Build in release mode first. 100k passages take ~5 GB of disk.
        """)

    @Option(name: .long, help: "Synthetic passages.")
    var passages: Int = 100_000

    @Option(name: .long, help: "Mean token vectors per passage (±25 %).")
    var tokens: Int = 200

    @Option(name: .long, help: "Vector dimension.")
    var dimension: Int = 128

    @Option(name: .long, help: "Queries to time (32 vectors each).")
    var queries: Int = 100

    @Option(name: .long, help: ArgumentHelp("Keep the index here (reused when it matches), else a temporary file.", valueName: "file"))
    var index: String?

    @Option(name: .long, help: "Centroids probed per query token.")
    var probes: Int = SearchConfiguration.default.probesPerToken

    @Option(name: .long, help: "Passages re-ranked with exact MaxSim.")
    var candidates: Int = SearchConfiguration.default.rerankCandidates

    @Option(name: .long, help: "Passages kept by the posting-list estimate for the centroid-interaction estimate.")
    var interaction: Int = SearchConfiguration.default.interactionCandidates

    @Option(name: .long, help: "Train exactly this many centroids (default: the index's rule, 2·√tokens clamped).")
    var centroids: Int?

    @Option(name: .long, help: ArgumentHelp("How vectors are stored: f16, f32, residual1, residual2 or residual4 (PLAID codes).",
                                            valueName: "encoding"))
    var vectors: String = "f16"

    @Flag(name: .long, help: "Skip recall (the exhaustive pass over every vector for all queries).")
    var noRecall = false

    @Option(name: .long, help: "Exhaustive single queries to time.")
    var exhaustiveQueries: Int = 3

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    @OptionGroup var threadOptions: ThreadOptions

    func validate() throws {
        if passages < 100 || tokens < 4 || dimension < 8 || queries < 1 || probes < 1 || candidates < 10
            || (centroids ?? 16) < 16 || (centroids ?? 16) > 65536 {
            throw ValidationError("--passages ≥ 100, --tokens ≥ 4, --dimension ≥ 8, --queries ≥ 1, --probes ≥ 1, "
                                  + "--candidates ≥ 10, 16 ≤ --centroids ≤ 65536")
        }
        guard VectorStorage(rawValue: vectors) != nil else {
            throw ValidationError("--vectors is one of f16, f32, residual1, residual2, residual4 (not \(vectors))")
        }
    }

    func run() throws {
        try reportingErrors {
            let threads = threadOptions.apply()
            let temporary = index == nil
            let url = index.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("ferret-bench-\(UUID().uuidString).sqlite")
            defer {
                if temporary {
                    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: url.path + suffix) }
                }
            }
            var options = SearchBenchmark.Options(indexURL: url)
            options.passages = passages
            options.tokens = tokens
            options.dimension = dimension
            options.queries = queries
            options.configuration.probesPerToken = probes
            options.configuration.rerankCandidates = candidates
            options.configuration.interactionCandidates = interaction
            options.measureRecall = !noRecall
            options.vectors = VectorStorage(rawValue: vectors) ?? .dense(.float16)
            options.exhaustiveTimings = max(0, exhaustiveQueries)
            if let centroids {
                options.policy.minimumCentroids = centroids
                options.policy.maximumCentroids = centroids
            }
            let started = Date()
            let report = try SearchBenchmark(options: options).run { Console.note("… " + $0) }
            if json {
                try Console.printJSON(report)
            } else {
                print(describe(report, threads: threads, seconds: Date().timeIntervalSince(started)))
            }
        }
    }

    private func describe(_ r: SearchBenchmark.Report, threads: Int, seconds: Double) -> String {
        func ms(_ latency: SearchBenchmark.Latency) -> String {
            String(format: "p50 %7.1f ms   p95 %7.1f ms   mean %7.1f ms", latency.p50 * 1000, latency.p95 * 1000, latency.mean * 1000)
        }
        return [
            "ferret bench search — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(threads) BLAS threads, "
                + "\(r.passages) passages, \(r.tokens) tokens (\(r.dimension)-d), \(r.queries) queries, k = 10",
            r.reused ? "index       reused" : String(format: "build       %.1f s (insert + %@)", r.buildSeconds, r.maintenance),
            String(format: "size        %.3f GB, %.1f bytes per token all-in (%d for the vector as %@)",
                   Double(r.fileBytes) / 1e9, r.bytesPerToken, r.vectorBytesPerToken, r.vectors),
            "candidates  \(r.centroids) centroids, \(probes) probes per query token, \(interaction) estimated from codes, "
                + "\(candidates) re-ranked exactly",
            "semantic    " + ms(r.semantic),
            "hybrid      " + ms(r.hybrid),
            "lexical     " + ms(r.lexical),
            "exhaustive  " + ms(r.exhaustive),
            r.recallAt10.map { String(format: "recall@10   %.3f against exhaustive MaxSim over the float32 vectors (worst query %.1f)",
                                      $0, r.worstRecall ?? 0) }
                ?? "recall@10   not measured",
            r.storedRecallAt10.map { String(format: "            %.3f for exhaustive MaxSim over the vectors as stored", $0) } ?? "",
            String(format: "total       %.0f s", seconds),
        ].joined(separator: "\n")
    }
}
