import ArgumentParser
import Foundation
import Index

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "What the index holds: documents, passages, tokens, size, encoder, last run, skipped files.")

    @Option(name: .long, help: ArgumentHelp("The index file (default: indexes/ferret.sqlite in this repo, else the XDG data directory).",
                                            valueName: "file"))
    var index: String?

    @Flag(name: .long, help: "Print the status as JSON (snake_case keys, schema_version included).")
    var json = false

    func run() throws {
        try reportingErrors {
            let database = try IndexDatabase.openExisting(at: try IndexLocation.resolve(index))
            var status = try database.status()
            status.health = try database.quickCheck()
            if json {
                try Console.printJSON(status)
            } else {
                print(Self.describe(status))
            }
        }
    }

    static func describe(_ status: IndexStatus) -> String {
        let count = { (n: Int) in n.formatted(.number.grouping(.automatic)) }
        var lines = ["index       \(status.path) (\(megabytes(status.fileBytes)))"]
        lines.append("documents   \(count(status.documents)), passages \(count(status.passages))"
                     + (status.encoder == nil ? "" : ", tokens \(count(status.tokens)) (one vector each)"))
        if let encoder = status.encoder {
            lines.append("encoder     \(encoder.name) (fingerprint \(encoder.fingerprint), \(encoder.dimension)-d, "
                         + "vectors \(status.vectorEncoding))")
        } else {
            lines.append("encoder     none: lexical-only index (BM25)")
        }
        if let perToken = status.bytesPerToken {
            lines.append(String(format: "size        %.1f bytes per token all-in", perToken)
                         + (status.vectorBytesPerToken.map { " (\($0) for the vector itself)" } ?? ""))
        }
        let candidates = status.candidates
        if candidates.scheme == "centroids" {
            lines.append("candidates  \(count(candidates.centroids)) centroids trained on \(count(candidates.trainedOnTokens)) "
                         + "tokens; \(count(candidates.pendingPostings)) pending postings, \(count(candidates.tombstones)) tombstones")
        } else if status.encoder != nil {
            lines.append("candidates  exhaustive (centroids are trained once the index holds 262,144 tokens)")
        }
        if let run = status.lastRun {
            let formatter = ISO8601DateFormatter()
            lines.append("last run    \(formatter.string(from: run.finished)) "
                         + String(format: "(%.1f s): ", run.finished.timeIntervalSince(run.started))
                         + "added \(run.added), updated \(run.updated), removed \(run.removed), "
                         + "unchanged \(run.unchanged), failed \(run.failed)")
        } else {
            lines.append("last run    never")
        }
        if let health = status.health {
            lines.append(health == ["ok"] ? "health      ok (SQLite quick check)"
                         : "health      DAMAGED: \(IndexHealth.summary(health)); rebuild with `ferret index FOLDER… --repair`")
        }
        let failures = status.skipped.filter(\.isFailure)
        let skips = status.skipped.filter { !$0.isFailure }
        if skips.isEmpty {
            lines.append("skipped     none")
        } else {
            let groups = Dictionary(grouping: skips) { $0.kind ?? "" }
                .sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
            lines.append("skipped     \(skips.count) files: "
                         + groups.map { "\(SkipKindName.describe($0.key)) \($0.value.count)" }.joined(separator: ", "))
            for (kind, entries) in groups {
                lines.append("  \(SkipKindName.describe(kind)) (\(entries.count)):")
                for entry in entries.prefix(10) { lines.append("    \(DisplayPath.relative(entry.path)): \(entry.reason)") }
                if entries.count > 10 { lines.append("    … and \(entries.count - 10) more (--json lists all)") }
            }
        }
        if failures.isEmpty {
            lines.append("failed      none")
        } else {
            lines.append("failed      \(failures.count) files:")
            for failure in failures { lines.append("  \(DisplayPath.relative(failure.path)): \(failure.reason)") }
        }
        return lines.joined(separator: "\n")
    }

    private static func megabytes(_ bytes: Int64) -> String {
        bytes < 1 << 20 ? "\(bytes / 1024) KiB" : String(format: "%.1f MiB", Double(bytes) / Double(1 << 20))
    }
}
