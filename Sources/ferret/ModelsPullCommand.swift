import ArgumentParser
import Foundation
import ModelFiles
import ModelHub

extension ModelsCommand {
    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a model from the Hugging Face Hub into Ferret's store.",
            discussion: """
            Only the files Ferret runs are fetched: safetensors weights, configs, tokenizer, chat template and the \
            ColBERT modules, or one GGUF file (`OWNER/NAME:FILE.gguf`). Each file is checked against the Hub's \
            SHA-256 before the model is installed; an interrupted pull resumes where it stopped when run again. \
            Reads HF_ENDPOINT, HF_TOKEN and the proxy variables; FERRET_OFFLINE=1 or HF_HUB_OFFLINE=1 forbid it.
            """)

        @Argument(help: ArgumentHelp("OWNER/NAME, optionally @REVISION and :FILE.gguf.", valueName: "repository"))
        var repository: String

        @Option(name: .long, help: "A branch, tag or commit (default main).")
        var revision: String?

        @Option(name: .long, help: ArgumentHelp("Fetch exactly the files matching this pattern (repeatable).", valueName: "glob"))
        var include: [String] = []

        @Flag(name: .long, help: "Download again even when the installed copy is this commit.")
        var force = false

        func run() async throws {
            guard var id = RepositoryID(repository) else {
                throw ValidationError("\(repository) is not a repository id: OWNER/NAME[@REVISION][:FILE.gguf], e.g. "
                                      + "LiquidAI/LFM2-ColBERT-350M")
            }
            if let revision {
                guard let withRevision = RepositoryID("\(id.owner)/\(id.name)@\(revision)" + (id.file.map { ":" + $0 } ?? ""))
                else { throw ValidationError("--revision \(revision) is not a branch, tag or commit name") }
                id = withRevision
            }
            let bar = PullProgressBar()
            do {
                let result = try await ModelPuller().pull(id, include: include, force: force) { bar.update($0) }
                bar.finish()
                let commit = result.manifest.commit.map { "@" + $0.prefix(12) } ?? ""
                if result.upToDate {
                    print("\(id.owner)/\(id.name)\(commit) is up to date in \(result.folder.path)")
                } else {
                    let size = ByteCount.format(result.manifest.files.reduce(0) { $0 + $1.size })
                    print("pulled \(id.owner)/\(id.name)\(commit): \(result.manifest.files.count) files, \(size), "
                          + "in \(result.folder.path)")
                }
                Self.printNextStep(id: id, folder: result.folder)
            } catch {
                bar.finish()
                Console.error(String(describing: error))
                throw ExitCode(1)
            }
        }

        /// What to run next, from the role the files say the model has.
        static func printNextStep(id: RepositoryID, folder: URL) {
            let plain = "\(id.owner)/\(id.name)" + (id.file.map { ":" + $0 } ?? "")
            let described = id.file.map { InstalledModel.describe(folder.appendingPathComponent($0), id: plain, revision: nil, source: "store") }
                ?? InstalledModel.describe(folder, id: plain, revision: nil, source: "store")
            switch described?.role {
            case .encoder: print("next: ferret index ~/notes --model \(plain)")
            case .generator: print("next: ferret ask \"…\" --generator \(plain)")
            default: break
            }
        }
    }
}

/// `1.23 GB`, `456.7 MB`, `12 kB`.
enum ByteCount {
    static func format(_ bytes: Int64) -> String {
        let value = Double(bytes)
        if value >= 1e9 { return String(format: "%.2f GB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.1f MB", value / 1e6) }
        return String(format: "%.0f kB", value / 1e3)
    }
}

/// The pull's progress on stderr: a bar with bytes, rate and ETA redrawn on a terminal (at most 10 times a second),
/// one line per file otherwise.
final class PullProgressBar: @unchecked Sendable {  // updates come from one delegate queue at a time; the lock orders them
    private let isTerminal = isatty(FileHandle.standardError.fileDescriptor) != 0
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var lastFile = -1
    private var drew = false

    func update(_ progress: PullProgress) {
        lock.withLock {
            if !isTerminal {
                if progress.fileIndex != lastFile {
                    lastFile = progress.fileIndex
                    Console.note("[\(progress.fileIndex + 1)/\(progress.fileCount)] \(progress.file)")
                }
                return
            }
            let now = Date()
            guard now.timeIntervalSince(lastDraw) >= 0.1 || progress.bytes >= progress.total else { return }
            lastDraw = now
            let width = 24
            let fraction = progress.total > 0 ? min(1, Double(progress.bytes) / Double(progress.total)) : 0
            let filled = Int(fraction * Double(width))
            let rate = progress.elapsed > 0 ? Double(progress.downloaded) / progress.elapsed : 0
            let eta = rate > 0 ? String(format: "%.0fs", Double(progress.total - progress.bytes) / rate) : "?"
            let name = progress.file.count > 32 ? "…" + progress.file.suffix(31) : progress.file
            let line = "\r[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "] "
                + "\(ByteCount.format(progress.bytes))/\(ByteCount.format(progress.total)) · \(ByteCount.format(Int64(rate)))/s"
                + " · ETA \(eta) · \(progress.fileIndex + 1)/\(progress.fileCount) \(name)"
            FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
            drew = true
        }
    }

    func finish() {
        lock.withLock {
            if drew { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            drew = false
        }
    }
}
