import ArgumentParser
import Foundation
import Index

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the index file for damage (SQLite's full integrity check and the full-text index's).",
        discussion: "Exit status 0 when sound, 1 when damaged (then `ferret index FOLDER… --repair` rebuilds it).")

    @Option(name: .long, help: ArgumentHelp("The index file (default: indexes/ferret.sqlite in this repo, else the XDG data directory).",
                                            valueName: "file"))
    var index: String?

    func run() throws {
        try reportingErrors {
            let location = try IndexLocation.resolve(index)
            let problems = try IndexDatabase.openExisting(at: location).integrityCheck()
            if problems == ["ok"] {
                print("ok: \(location.path) is sound")
                return
            }
            print("damaged: \(location.path)")
            for problem in problems { print("  " + problem) }
            print("rebuild it from the files with `ferret index FOLDER… --repair --index \(location.path)`")
            throw ExitCode(1)
        }
    }
}
