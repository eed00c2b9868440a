import ArgumentParser
import ColBERT
import Foundation
import Generation
import Index
import Indexing
import LFM2
import Retrieval
import Server
import Tokenizers

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve search, rerank, token vectors and answers over HTTP (OpenAI-compatible where it applies).",
        discussion: """
        Routes (docs/openapi.json, also at /openapi.json): /v1/search, /v1/rerank, /v1/encode, /v1/chat/completions \
        and /v1/completions (OpenAI-compatible, `stream: true` for server-sent events), /v1/models, /v1/status, \
        /v1/documents, /v1/index and /v1/jobs/{id} (index jobs), /health. Only files under the --root folders \
        (default: the folders the index was built from) can be indexed or seen. On a loopback address (the default) \
        only requests whose Host is this machine are answered; listening elsewhere needs --api-key (or \
        FERRET_API_KEY). Errors are {"error":{"message","type","code"}}.
        """)

    @Option(name: .long, help: ArgumentHelp("The index file (default: indexes/ferret.sqlite in this repo, else XDG).", valueName: "file"))
    var index: String?

    @Option(name: .long, help: ArgumentHelp("The ColBERT model folder the index was built with.", valueName: "dir"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("An LFM2 / LFM2.5 instruct model (folder or .gguf file) that writes answers.", valueName: "path"))
    var generator: String?

    @Option(name: .long, help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0: any free port, printed at start).")
    var port: Int = 8080

    @Option(name: .long, help: ArgumentHelp("Require this bearer token (default: $FERRET_API_KEY).", valueName: "key"))
    var apiKey: String?

    @Option(name: .long, help: ArgumentHelp("A folder clients may index and see (repeatable; default: the folders the "
                                            + "index was built from).", valueName: "dir"))
    var root: [String] = []

    @Flag(name: .long, help: "Allow listening beyond loopback without --api-key (anyone who reaches it can use it).")
    var insecureNoKey = false

    @Option(name: .long, help: ArgumentHelp("A browser origin allowed to call the API, e.g. http://localhost:5173 (repeatable).",
                                            valueName: "origin"))
    var cors: [String] = []

    @Option(name: .long, help: "Requests per model waiting or running at most; more are answered 429 with Retry-After.")
    var backlog: Int = 32

    @Option(name: .long, help: ArgumentHelp("Seconds one request may wait for and use a model.", valueName: "seconds"))
    var timeout: Int = 300

    @Option(name: .long, help: ArgumentHelp("Seconds before a connection that sends and reads nothing is closed.", valueName: "seconds"))
    var idleTimeout: Int = 60

    @Option(name: .long, help: "Default most answer tokens of a chat completion.")
    var maxTokens: Int = 512

    @Flag(name: .customLong("print-openapi"), help: "Print the OpenAPI 3.1 document of the API (docs/openapi.json) and exit.")
    var printOpenAPI = false

    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var precisionOptions: PrecisionOptions

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0…65535") }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if backlog < 1 { throw ValidationError("--backlog must be at least 1") }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
        if idleTimeout < 1 { throw ValidationError("--idle-timeout must be at least 1 second") }
    }

    func run() async throws {
        if printOpenAPI {
            print(FerretServer.openAPIDocument)
            return
        }
        let key = apiKey ?? ProcessInfo.processInfo.environment["FERRET_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let listensBeyondLoopback = !FerretServer.isLoopback(host: host)
        if listensBeyondLoopback && key == nil {
            guard insecureNoKey else {
                Console.error("refusing to listen on \(host) without an API key: anyone who can reach this address could "
                              + "search and read your files. Pass --api-key KEY (or set FERRET_API_KEY), or --insecure-no-key "
                              + "if this network is trusted.")
                throw ExitCode(2)
            }
            Console.note("WARNING: listening on \(host) with NO API key (--insecure-no-key): anyone who can reach this "
                         + "address can search and read the indexed files.")
        }
        let server: FerretServer
        do {
            threadOptions.apply()
            let config = try FerretConfig.current()
            let model = self.model ?? config.model, generator = self.generator ?? config.generator
            let location = try IndexLocation.resolve(index)
            let database: IndexDatabase
            let encoder: ColBERTEncoder?
            if FileManager.default.fileExists(atPath: location.path) {
                database = try IndexDatabase.openExisting(at: location)
                encoder = try ModelLoading.encoder(for: database, explicit: model, precision: precisionOptions.dtype)
            } else {
                // A new, empty index for clients to fill through POST /v1/index.
                encoder = try model.map { try ModelLoading.encoder($0, precision: precisionOptions.dtype) }
                let identity = encoder.flatMap { loaded in model.map { ModelLoading.identity(of: loaded, argument: $0) } }
                try FileManager.default.createDirectory(at: location.deletingLastPathComponent(), withIntermediateDirectories: true)
                database = try IndexDatabase.open(at: location, encoder: identity,
                                                  chunking: Indexer.chunkingSettings(encoder: encoder,
                                                                                     maxPassageTokens: config.chunkTokens))
                Console.note("created an empty index at \(location.path)")
            }
            let retriever = try Retriever(database: database, encoder: encoder, k: 5)
            let loaded = try generator.map { try ModelLoading.generator($0, precision: precisionOptions.dtype) }
            // The model id clients see: the folder's name, or the GGUF file's without its extension.
            let name = generator.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath).standardizedFileURL }
                .map { $0.pathExtension == "gguf" ? $0.deletingPathExtension().lastPathComponent : $0.lastPathComponent }
            let service = try FerretService(retriever: retriever, generator: loaded, generatorName: name, maxTokens: maxTokens,
                                            roots: root.isEmpty ? nil : root, backlog: backlog,
                                            timeout: .seconds(timeout))
            server = FerretServer(service: service, host: host, port: port, apiKey: key, corsOrigins: cors,
                                  idleTimeout: .seconds(idleTimeout))
            Console.note(service.confinement.isEmpty
                ? "note: no folders to serve from yet; POST /v1/documents is refused until the server runs with --root DIR"
                : "serving files under: " + service.confinement.roots.joined(separator: ", "))
        } catch {
            Console.error(String(describing: error))
            throw ExitCode(1)
        }
        let host = self.host
        do {
            try await server.run { port in
                Console.note("ferret serve: listening on http://\(host.contains(":") ? "[\(host)]" : host):\(port)")
            }
        } catch {
            Console.error("the server stopped: \(error)")
            throw ExitCode(1)
        }
    }
}
