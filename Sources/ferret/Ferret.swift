import ArgumentParser

@main
struct Ferret: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferret",
        abstract: "Local retrieval and question answering with LFM2 models, fully offline.",
        subcommands: [
            IndexCommand.self,
            SearchCommand.self,
            StatusCommand.self,
            RemoveCommand.self,
            AskCommand.self,
            ChatCommand.self,
            ServeCommand.self,
            ConfigCommand.self,
            CheckCommand.self,
            TokenizeCommand.self, GenerateCommand.self, EncodeCommand.self, BenchCommand.self,
        ])
}
