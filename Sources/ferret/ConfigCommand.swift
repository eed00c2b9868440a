import ArgumentParser
import Foundation

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show where ferret.toml is read from and what it sets.",
        discussion: """
        Ferret reads ferret.toml from $FERRET_CONFIG, else the working directory, else \
        $XDG_CONFIG_HOME/ferret/ (default ~/.config/ferret/). Command-line flags win over it.
        """,
        subcommands: [Path.self, Show.self],
        defaultSubcommand: Show.self)

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the configuration file in use (or where one is looked for).")

        func run() throws {
            try reportingErrors {
                let config = try FerretConfig.load()
                if let file = config.file {
                    print(file.path)
                } else {
                    print("no configuration file; looked for:")
                    for url in FerretConfig.searchPaths() { print("  " + url.path) }
                    throw ExitCode(1)
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the configuration in force, as TOML.")

        func run() throws {
            try reportingErrors { print(try FerretConfig.load().rendered) }
        }
    }
}
