import ArgumentParser
import ColBERT
import Foundation
import Index
import Indexing
import Ingest

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index files and folders (incremental: unchanged files are skipped, deleted ones removed).",
        discussion: """
        Without --model (or `model` in ferret.toml) Ferret uses the default encoder, LiquidAI/LFM2-ColBERT-350M, \
        when it is installed (`ferret models pull`), and builds a lexical-only index (BM25) otherwise; an index built \
        with another encoder needs its --model. Hidden files and .gitignore / .ferretignore matches are \
        skipped. Ctrl-C stops after the current file; what was written stays consistent and the next run continues. \
        --watch keeps running and re-indexes files as they change. Defaults come from ferret.toml (`ferret config`).
        """)

    @Argument(help: "Files or folders to index.")
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("A ColBERT model: a folder or a repository id (default: LiquidAI/LFM2-ColBERT-350M when installed).", valueName: "dir|id"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("The index file (default: indexes/ferret.sqlite in this repo, else the XDG data directory).",
                                            valueName: "file"))
    var index: String?

    @Flag(name: .long, help: "Index hidden files and folders too.")
    var hidden = false

    @Option(name: .long, help: ArgumentHelp("Skip files larger than this (default 20 MB; e.g. 50MB, 1GiB).", valueName: "size"))
    var maxFileSize: String?

    @Flag(name: .long, help: "Keep running and re-index files as they change (Ctrl-C to stop).")
    var watch = false

    @Flag(name: .long, help: "Rebuild a damaged index from the files (the files are the source of truth).")
    var repair = false

    @Flag(name: .long, help: "Print the summary as JSON.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("How a new index stores token vectors: f16 (default, exact), f32, or residual1, "
                                            + "residual2, residual4 (PLAID: centroid code + 1/2/4-bit residual per value, "
                                            + "once the index is large enough to have centroids). An existing index keeps its own.",
                                            valueName: "encoding"))
    var vectors: String?

    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var precisionOptions: PrecisionOptions

    func validate() throws {
        if let maxFileSize, ByteSize.parse(maxFileSize) == nil {
            throw ValidationError("--max-file-size must be a size such as 50MB, 2GiB or a number of bytes")
        }
        if watch && json { throw ValidationError("--watch prints one line per change; it cannot be combined with --json") }
        if let vectors, VectorStorage(rawValue: vectors) == nil {
            throw ValidationError("--vectors is one of f16, f32, residual1, residual2, residual4 (not \(vectors))")
        }
    }

    func run() throws {
        try reportingErrors {
            threadOptions.apply()
            let config = try FerretConfig.current()
            let roots = try paths.map { path -> URL in
                let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
                guard PathBytes.exists(url.path) else { throw ValidationError("\(PathBytes.display(path)) does not exist") }
                return url.standardizedFileURL
            }
            let location = try IndexLocation.resolve(index)
            let model = self.model ?? config.model ?? DefaultModelChoice.encoder(forIndexAt: location)
            let encoder = try model.map { try ModelLoading.encoder($0, precision: precisionOptions.dtype) }
            var identity: EncoderIdentity?
            if let encoder, let model { identity = ModelLoading.identity(of: encoder, argument: model) }
            if repair { try IndexRepair.rebuild(at: location) }
            let database = try IndexDatabase.open(at: location, encoder: identity,
                                                  chunking: Indexer.chunkingSettings(encoder: encoder,
                                                                                     maxPassageTokens: config.chunkTokens),
                                                  vectors: vectors.flatMap(VectorStorage.init(rawValue:)))
            if !repair { try IndexHealth.refuseIfDamaged(database, location: location) }
            if encoder == nil, database.encoder == nil, let note = DefaultModelChoice.lexicalIndexNote() {
                Console.note(note)
            }
            var indexer = Indexer(database: database, encoder: encoder, options: ingestOptions(config, index: location))
            indexer.maxPassageTokens = config.chunkTokens
            let interrupt = InterruptFlag.install()
            let bar = ProgressLine()
            let summary = try indexer.run(roots: roots, shouldStop: { interrupt.isSet }, progress: { bar.update($0) },
                                          maintenance: { bar.message($0) })
            bar.finish()
            if json {
                try Console.printJSON(summary)
            } else {
                print(Self.describe(summary, index: location.path))
            }
            if summary.interrupted { throw ExitCode(130) }
            if watch {
                try IndexWatchLoop(indexer: indexer, roots: roots, interrupt: interrupt).run()
            }
        }
    }

    /// Flags over ferret.toml over defaults; the index's own files are never indexed.
    func ingestOptions(_ config: FerretConfig, index: URL) -> IngestOptions {
        var options = IngestOptions()
        options.includeHidden = hidden || (config.hidden ?? false)
        if let bytes = maxFileSize.flatMap(ByteSize.parse) ?? config.maxFileBytes { options.maxFileBytes = bytes }
        options.include = config.include
        options.exclude = config.exclude
        options.extractorCommands = config.extractors
        let base = index.standardizedFileURL.path, resolved = index.resolvingSymlinksInPath().path
        options.excludedPaths = Set([base, resolved].flatMap { [$0, $0 + "-wal", $0 + "-shm", $0 + "-journal"] })
        return options
    }

    static func describe(_ summary: IndexRunSummary, index: String) -> String {
        var lines = ["indexed in " + String(format: "%.1f", summary.seconds) + "s → " + index]
        lines.append("  added \(summary.added), updated \(summary.updated), removed \(summary.removed), "
                     + "unchanged \(summary.unchanged), skipped \(summary.skipped.count), failed \(summary.failed.count)"
                     + (summary.skippedIntentionally > 0 ? "; \(summary.skippedIntentionally) hidden/ignored" : ""))
        lines.append("  \(summary.passages) passages, \(summary.tokens) tokens" + (summary.lexicalOnly ? " (lexical-only)" : ""))
        if !summary.skipped.isEmpty {
            let groups = summary.skipCounts.map { "\(SkipKindName.describe($0.kind)) \($0.count)" }
            lines.append("  skipped: " + groups.joined(separator: ", ") + " (ferret status lists them)")
        }
        for failure in summary.failed.prefix(20) {
            lines.append("  failed: \(DisplayPath.relative(failure.path)): \(failure.reason)")
        }
        if summary.failed.count > 20 { lines.append("  … and \(summary.failed.count - 20) more (ferret status lists them)") }
        if summary.interrupted { lines.append("  interrupted: run `ferret index` again to finish") }
        return lines.joined(separator: "\n")
    }
}

/// Skip kinds as people say them.
enum SkipKindName {
    static func describe(_ kind: String) -> String {
        switch kind {
        case "unsupportedType": return "unsupported type"
        case "tooLarge": return "too large"
        case "binary": return "binary"
        case "invalidEncoding": return "undecodable"
        case "specialFile": return "not a regular file"
        case "symlinkLoop": return "symlink loop"
        case "brokenSymlink": return "dangling symlink"
        case "duplicate": return "duplicate"
        case "missing": return "missing"
        case "noText": return "no text (encrypted, scanned)"
        case "malformed": return "malformed"
        case "failed": return "failed"
        default: return kind
        }
    }
}
