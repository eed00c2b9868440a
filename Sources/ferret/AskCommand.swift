import ArgumentParser
import ColBERT
import Foundation
import Generation
import Index
import LFM2
import RAG
import Retrieval
import Search
import Tokenizers

struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question from your indexed files, with [n] citations checked against the passages.",
        discussion: """
        Retrieval is hybrid with --model (the ColBERT folder the index was built with), lexical without. With \
        --generator (an LFM2 / LFM2.5 instruct folder, .gguf file or repository id; default: LiquidAI/LFM2.5-1.2B-Instruct \
        when installed) the answer is generated and streamed; without one Ferret extracts the best-matching sentences. When no passage clears the relevance floor Ferret says it found \
        nothing and exits with status 1. The floor (--min-score) is the mean best cosine per query token (0.5 by \
        default) with --model, and the BM25 score (any match by default) without. Each cited sentence is checked \
        against the text of its passage (quoted, supported, weak or unsupported; see docs/RAG.md): the Sources block \
        shows the supporting words, and on a terminal an unsupported claim's marker turns red as [n?].
        """)

    @Argument(help: "The question.")
    var question: String

    @Option(name: .long, help: ArgumentHelp("The index file (default: indexes/ferret.sqlite in this repo, else XDG).", valueName: "file"))
    var index: String?

    @Option(name: .long, help: ArgumentHelp("The ColBERT model folder the index was built with.", valueName: "dir"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("An LFM2 / LFM2.5 instruct model (folder or .gguf file) that writes the answer.", valueName: "path"))
    var generator: String?

    @Option(name: .short, help: "Passages to retrieve.")
    var k: Int = 5

    @Option(name: .long, help: "Most answer tokens.")
    var maxTokens: Int = 512

    @Option(name: .long, help: "Sampling temperature; 0 (default) is greedy, as the LFM2 RAG card recommends.")
    var temperature: Float = 0

    @Option(name: .long, help: "Context size in tokens (default: the generator's limit, at most 8192).")
    var context: Int?

    @Option(name: .long, help: "Relevance floor below which Ferret abstains.")
    var minScore: Double?

    @Flag(name: .long, help: "Print one JSON object at the end.")
    var json = false

    @Flag(name: .long, help: "Stream JSON lines: delta, citation and source (as each sentence completes), done.")
    var jsonl = false

    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var precisionOptions: PrecisionOptions

    func validate() throws {
        if k < 1 { throw ValidationError("-k must be at least 1") }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if json && jsonl { throw ValidationError("give at most one of --json and --jsonl") }
        if temperature < 0 { throw ValidationError("--temperature must be ≥ 0") }
    }

    func run() throws {
        var abstained = false
        try reportingErrors {
            threadOptions.apply()
            let config = try FerretConfig.current()
            let model = self.model ?? config.model
            let generator = self.generator ?? config.generator ?? DefaultModelChoice.generator()
            let database = try IndexDatabase.openExisting(at: try IndexLocation.resolve(index))
            let encoder = try ModelLoading.encoder(for: database, explicit: model, precision: precisionOptions.dtype)
            let retriever = try Retriever(database: database, encoder: encoder, k: k)
            var answerer = QuestionAnswerer(
                retrieve: { question in
                    let passages = try retriever.passages(for: question)
                    // The encoder's pages leave memory before the generator's arrive (peak RSS of one model, not two).
                    if generator != nil { encoder?.releaseResidentWeights() }
                    return passages
                },
                sentenceScorer: { retriever.sentenceScorer(question: question, passages: $0) },
                generator: try loadGenerator(generator), floor: retriever.floor(minScore: minScore),
                maxTokens: maxTokens, contextTokens: 0, sampling: SamplingParameters(temperature: temperature))
            if let generator = answerer.generator {
                answerer.contextTokens = context ?? min(generator.model.config.maxPositions, 8192)
            }
            answerer.support = retriever.citationSupport()
            let events = AskEventWriter(mode: json ? .silent : jsonl ? .jsonLines : .text(TerminalStyle.forStandardOutput()))
            let outcome = try answerer.answer(question, onDelta: { events.delta($0) }, onSentence: { events.sentence($0) })
            events.finish(outcome)
            abstained = outcome.abstained
        }
        if abstained { throw ExitCode(1) }
    }

    private func loadGenerator(_ generator: String?) throws -> Generator? {
        guard let generator else { return nil }
        return try ModelLoading.generator(generator, precision: precisionOptions.dtype)
    }
}
