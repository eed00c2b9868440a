import ArgumentParser
import Foundation
import Index
import MCPServer
import Retrieval

struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the index to editors and agents over the Model Context Protocol (stdio).",
        discussion: """
        Speaks MCP's JSON-RPC on stdin/stdout (one message per line) until stdin closes; notes and errors go to \
        stderr only. Tools: search {query, k?, mode?, path?}, ask {question, k?} (an answer with verified \
        citations, or an abstention; generated with --generator, extracted without), get_document {path, \
        start_line?, end_line?} (the stored text of an indexed document; nothing outside the index), status. \
        An MCP client starts it with, for example: \
        {"mcpServers": {"ferret": {"command": "ferret", "args": ["mcp", "--index", "/path/to/index.sqlite"]}}}
        """)

    @Option(name: .long, help: ArgumentHelp("The index file (default: indexes/ferret.sqlite in this repo, else XDG).", valueName: "file"))
    var index: String?

    @Option(name: .long, help: ArgumentHelp("The ColBERT model folder the index was built with (default: the one the index remembers).", valueName: "dir"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("An LFM2 / LFM2.5 instruct model (folder or .gguf file) that writes the answers of `ask`.", valueName: "path"))
    var generator: String?

    @Option(name: .long, help: "Most answer tokens of `ask` with a generator.")
    var maxTokens: Int = 512

    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var precisionOptions: PrecisionOptions

    func validate() throws {
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
    }

    func run() async throws {
        let server: FerretMCPServer
        do {
            threadOptions.apply()
            let config = try FerretConfig.current()
            let model = self.model ?? config.model, generator = self.generator ?? config.generator
            let database = try IndexDatabase.openExisting(at: try IndexLocation.resolve(index))
            let encoder = try ModelLoading.encoder(for: database, explicit: model, precision: precisionOptions.dtype)
            let retriever = try Retriever(database: database, encoder: encoder, k: 5)
            let loaded = try generator.map { try ModelLoading.generator($0, precision: precisionOptions.dtype) }
            server = FerretMCPServer(retriever: retriever, generator: loaded, maxTokens: maxTokens)
            Console.note("ferret mcp: serving \(database.url.path) on stdio ("
                         + (encoder.map { "encoder \($0.name)" } ?? "lexical search") + ", "
                         + (loaded == nil ? "extractive answers" : "generated answers") + ")")
        } catch {
            Console.error(String(describing: error))
            throw ExitCode(1)
        }
        do {
            try await server.runOverStandardIO()
        } catch {
            Console.error("the MCP session stopped: \(error)")
            throw ExitCode(1)
        }
    }
}
