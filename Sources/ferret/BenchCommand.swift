import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Ferret's speed (build with `swift build -c release` first).",
        subcommands: [BenchModelCommand.self, BenchEncodeCommand.self, BenchTokenizerCommand.self, BenchSearchCommand.self,
                      BenchAnswersCommand.self])
}
