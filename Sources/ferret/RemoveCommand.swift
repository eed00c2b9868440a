import ArgumentParser
import Foundation
import Index

struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove documents from the index (a folder removes everything indexed under it).",
        discussion: "The files themselves are not touched. Exit status 1 when a PATH matched nothing in the index.")

    @Argument(help: "Files or folders, as indexed.")
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("The index file (default: indexes/ferret.sqlite in this repo, else the XDG data directory).",
                                            valueName: "file"))
    var index: String?

    func run() throws {
        try reportingErrors {
            let database = try IndexDatabase.openExisting(at: try IndexLocation.resolve(index))
            let indexed = try database.documentPaths()
            var doomed: [String] = []
            var unmatched: [String] = []
            for argument in paths {
                let matches = Self.documents(matching: argument, in: indexed)
                if matches.isEmpty { unmatched.append(argument) }
                doomed += matches
            }
            let unique = Array(Set(doomed)).sorted()
            let removed = try database.removeDocuments(paths: unique)
            for path in unique { try database.clearSkipped(path: path) }
            try database.maintain()
            print("removed \(removed) document\(removed == 1 ? "" : "s")")
            for argument in unmatched { Console.note("not in the index: \(argument)") }
            if !unmatched.isEmpty { throw ExitCode(1) }
        }
    }

    /// Indexed paths equal to `argument` (as given or made absolute) or under it when it names a folder.
    static func documents(matching argument: String, in indexed: [String]) -> [String] {
        let absolute = URL(fileURLWithPath: (argument as NSString).expandingTildeInPath).standardizedFileURL
        let candidates = Set([argument, absolute.path, absolute.resolvingSymlinksInPath().path])
        return indexed.filter { path in
            candidates.contains(path) || candidates.contains { path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
        }
    }
}
