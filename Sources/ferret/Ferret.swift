import ArgumentParser
import Foundation
import Ingest

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
            MCPCommand.self,
            ConfigCommand.self,
            CheckCommand.self,
            ModelsCommand.self,
            TokenizeCommand.self, GenerateCommand.self, EncodeCommand.self, BenchCommand.self,
        ])
}

/// The entry point: the command line is read from the raw `argv` bytes, so a path argument that is not valid UTF-8
/// (a folder named in Latin-1) reaches the walker intact (`PathBytes`) instead of with U+FFFD in it.
@main
enum FerretMain {
    static func main() async {
        let arguments = (1..<Int(CommandLine.argc)).map { index -> String in
            guard let pointer = CommandLine.unsafeArgv[index] else { return "" }
            return PathBytes.string(fromRaw: UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self),
                                                                 count: strlen(pointer)))
        }
        await Ferret.main(arguments)
    }
}
