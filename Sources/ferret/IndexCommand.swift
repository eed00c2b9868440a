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
        Without --model the index is lexical-only (BM25). Hidden files and .gitignore / .ferretignore matches are \
        skipped. Ctrl-C stops after the current file; what was written stays consistent and the next run continues.
        """)

    @Argument(help: "Files or folders to index.")
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("A ColBERT model folder (LFM2-ColBERT-350M, LFM2.5-ColBERT-350M).", valueName: "dir"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("The index file (default: indexes/ferret.sqlite in this repo, else the XDG data directory).",
                                            valueName: "file"))
    var index: String?

    @Flag(name: .long, help: "Index hidden files and folders too.")
    var hidden = false

    @Flag(name: .long, help: "Print the summary as JSON.")
    var json = false

    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var precisionOptions: PrecisionOptions

    func run() throws {
        try reportingErrors {
            threadOptions.apply()
            let roots = try paths.map { path -> URL in
                let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
                guard FileManager.default.fileExists(atPath: url.path) else {
                    throw ValidationError("\(path) does not exist")
                }
                return url.standardizedFileURL
            }
            let encoder = try model.map { try ModelLoading.encoder($0, precision: precisionOptions.dtype) }
            let identity = encoder.map { EncoderIdentity(name: $0.name, fingerprint: $0.fingerprint, dimension: $0.dimension) }
            let location = try IndexLocation.resolve(index)
            let database = try IndexDatabase.open(at: location, encoder: identity,
                                                  chunking: Indexer.chunkingSettings(encoder: encoder))
            if encoder == nil, database.encoder == nil {
                Console.note("note: no --model given; the index is lexical-only (BM25). Pass a ColBERT folder for semantic search.")
            }
            var options = IngestOptions()
            options.includeHidden = hidden
            let indexer = Indexer(database: database, encoder: encoder, options: options)
            let interrupt = InterruptFlag.install()
            let bar = ProgressLine()
            let summary = try indexer.run(roots: roots, shouldStop: { interrupt.isSet }, progress: { bar.update($0) })
            bar.finish()
            if json {
                try Console.printJSON(summary)
            } else {
                print(Self.describe(summary, index: location.path))
            }
            if summary.interrupted { throw ExitCode(130) }
        }
    }

    static func describe(_ summary: IndexRunSummary, index: String) -> String {
        var lines = [String(format: "indexed in %.1fs → %@", summary.seconds, index)]
        lines[0] = "indexed in " + String(format: "%.1f", summary.seconds) + "s → " + index
        lines.append("  added \(summary.added), updated \(summary.updated), removed \(summary.removed), "
                     + "unchanged \(summary.unchanged), failed \(summary.failed.count)"
                     + (summary.skippedIntentionally > 0 ? ", skipped \(summary.skippedIntentionally) hidden/ignored" : ""))
        lines.append("  \(summary.passages) passages, \(summary.tokens) tokens" + (summary.lexicalOnly ? " (lexical-only)" : ""))
        for failure in summary.failed.prefix(20) { lines.append("  failed: \(failure.path): \(failure.reason)") }
        if summary.failed.count > 20 { lines.append("  … and \(summary.failed.count - 20) more (ferret status lists them)") }
        if summary.interrupted { lines.append("  interrupted: run `ferret index` again to finish") }
        return lines.joined(separator: "\n")
    }
}
