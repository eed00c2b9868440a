import ArgumentParser
import Foundation
import ModelFiles

extension ModelsCommand {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-hash installed models' files against their recorded digests; exit status 1 if any differs.",
            discussion: """
            A model in Ferret's store is checked against the .ferret-model.json written by `pull` or `import` \
            (every file's size and SHA-256 or git blob id); a Hugging Face cache snapshot against its blobs, which \
            are named by their digest. A store folder without a manifest is listed as unverified.
            """)

        @Argument(help: ArgumentHelp("Only this model (OWNER/NAME, or OWNER/NAME@REVISION for one cache snapshot).",
                                     valueName: "id"))
        var id: String?

        @Flag(name: .long, help: "Print the results as JSON.")
        var json = false

        func validate() throws {
            if let id, RepositoryID(id) == nil { throw ValidationError("\(id) is not a repository id (OWNER/NAME)") }
        }

        func run() throws {
            var damaged = false
            try reportingErrors {
                let store = ModelStore()
                let results = try store.verify(id.flatMap(RepositoryID.init))
                damaged = results.contains { $0.status == .damaged }
                if json {
                    try Console.printJSON(results)
                    return
                }
                if results.isEmpty { print("no models in \(store.storeFolder.path) or \(store.hubCache.path)") }
                for result in results { print(Self.describe(result)) }
                let count = { (status: ModelVerification.Status) in results.filter { $0.status == status }.count }
                print("\(results.count) model\(results.count == 1 ? "" : "s"): \(count(.ok)) ok, \(count(.damaged)) damaged, "
                      + "\(count(.unverified)) unverified")
            }
            if damaged { throw ExitCode(1) }
        }

        static func describe(_ result: ModelVerification) -> String {
            let name = result.id + (result.source == "huggingface" ? result.revision.map { "@" + $0.prefix(12) } ?? "" : "")
            let files = "\(result.checked) file\(result.checked == 1 ? "" : "s")"
            switch result.status {
            case .ok:
                let skipped = result.unverifiable.isEmpty ? "" : " (\(result.unverifiable.count) without a digest to check)"
                return "ok         \(name)  \(files)\(skipped)  [\(result.source)] \(result.path)"
            case .unverified:
                let why = result.source == "store" ? "no \(ModelManifest.fileName) (not installed by `ferret models pull` or `import`)"
                    : "no blob named by its digest"
                return "unverified \(name)  \(why)  [\(result.source)] \(result.path)"
            case .damaged:
                var lines = ["DAMAGED    \(name)  \(result.problems.count) of \(files) bad  [\(result.source)] \(result.path)"]
                for problem in result.problems { lines.append("    " + describe(problem)) }
                lines.append("    reinstall it: `\(RepositoryID(result.id).map { $0.pullCommand } ?? "ferret models pull " + result.id)`"
                             + " or `ferret models import FOLDER --as \(result.id) --force`")
                return lines.joined(separator: "\n")
            }
        }

        static func describe(_ problem: ModelVerification.Problem) -> String {
            switch problem.kind {
            case .missing: return "\(problem.path): missing"
            case .wrongSize: return "\(problem.path): \(problem.actual ?? "?") bytes, expected \(problem.expected ?? "?")"
            case .wrongDigest: return "\(problem.path): digest \(problem.actual ?? "?"), expected \(problem.expected ?? "?")"
            case .unreadable: return "\(problem.path): cannot be read (\(problem.actual ?? "unknown error"))"
            case .invalidPath: return "\(problem.path): names a path outside the model folder (the manifest is damaged)"
            }
        }
    }
}
