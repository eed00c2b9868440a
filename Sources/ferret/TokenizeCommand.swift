import ArgumentParser
import Foundation
import Tokenizers

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of TEXT (as Hugging Face `tokenizer.encode(text)`).",
        discussion: "DIR needs only the tokenizer files. Put `--` before a TEXT that starts with `-`.")

    @Option(name: .long, help: ArgumentHelp("A folder with tokenizer.json (and tokenizer_config.json).", valueName: "dir"))
    var model: String

    @Flag(name: .long, help: "Do not add special tokens (no BOS).")
    var noSpecial = false

    @Flag(name: .long, help: "Print {\"ids\":[…]}.")
    var json = false

    @Argument(help: "The text to tokenize.")
    var text: String

    func run() throws {
        try reportingErrors {
            let tokenizer = try ModelLoading.tokenizer(model)
            let ids = tokenizer.encode(text, addSpecialTokens: !noSpecial)
            if json {
                try Console.printJSON(["ids": ids])
            } else {
                print(ids.map(String.init).joined(separator: " "))
            }
        }
    }
}
