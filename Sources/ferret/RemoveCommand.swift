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
            let removal = try database.forget(matching: paths)
            let removed = removal.removed.count
            print("removed \(removed) document\(removed == 1 ? "" : "s")")
            for argument in removal.unmatched { Console.note("not in the index: \(argument)") }
            if !removal.unmatched.isEmpty { throw ExitCode(1) }
        }
    }
}
