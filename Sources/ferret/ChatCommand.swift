import ArgumentParser
import ColBERT
import Foundation
import Generation
import Index
import LFM2
import RAG
import Retrieval
import Tokenizers

struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Ask follow-up questions about your files in one session (works with piped input too).",
        discussion: """
        Each question re-retrieves with the previous question in mind. Commands: /sources (the last answer's \
        sources), /reset (forget the conversation), /quit. Older turns are dropped when the context is full, and \
        Ferret says so.
        """)

    @Option(name: .long, help: ArgumentHelp("The index file.", valueName: "file"))
    var index: String?

    @Option(name: .long, help: ArgumentHelp("The ColBERT model folder the index was built with.", valueName: "dir"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("An LFM2 / LFM2.5 instruct model: a Hugging Face folder or a .gguf file (without one, answers are extracted).",
                                            valueName: "path"))
    var generator: String?

    @Option(name: .short, help: "Passages to retrieve per question.")
    var k: Int = 5

    @Option(name: .long, help: "Most answer tokens.")
    var maxTokens: Int = 512

    @Option(name: .long, help: "Relevance floor below which Ferret abstains.")
    var minScore: Double?

    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var precisionOptions: PrecisionOptions

    func run() throws {
        try reportingErrors {
            threadOptions.apply()
            let config = try FerretConfig.current()
            let model = self.model ?? config.model, generator = self.generator ?? config.generator
            let database = try IndexDatabase.openExisting(at: try IndexLocation.resolve(index))
            let encoder = try model.map { try ModelLoading.encoder($0, precision: precisionOptions.dtype) }
            let retriever = try Retriever(database: database, encoder: encoder, k: k)
            let generatorValue = try generator.map { try ModelLoading.generator($0, precision: precisionOptions.dtype) }
            let floor = retriever.floor(minScore: minScore)
            let interactive = isatty(FileHandle.standardInput.fileDescriptor) != 0
            var history: [ChatMessage] = []
            var lastSources: [Citation] = []
            var previousQuestion: String?
            if interactive { Console.note("Ask about your files. /sources, /reset, /quit.") }
            while true {
                if interactive { Console.stream("> ") }
                guard let line = readLine() else { break }
                let question = line.trimmingCharacters(in: .whitespaces)
                if question.isEmpty { continue }
                switch question {
                case "/quit", "/exit": return
                case "/reset":
                    history = []; lastSources = []; previousQuestion = nil
                    Console.stream("(conversation forgotten)\n")
                    continue
                case "/sources":
                    Console.stream((lastSources.isEmpty ? "(no sources yet)"
                        : lastSources.map { "[\($0.n)] \($0.location.map(DisplayPath.relative) ?? "?")  \($0.support.rawValue)" }.joined(separator: "\n")) + "\n")
                    continue
                default: break
                }
                var answerer = QuestionAnswerer(
                    retrieve: { try retriever.passages(for: $0) },
                    sentenceScorer: { retriever.sentenceScorer(question: question, passages: $0) },
                    generator: generatorValue, floor: floor, maxTokens: maxTokens,
                    contextTokens: generatorValue.map { min($0.model.config.maxPositions, 8192) } ?? 0)
                answerer.support = retriever.citationSupport()
                // Follow-ups ("and in winter?") retrieve better with the previous question beside them.
                let retrievalQuery = previousQuestion.map { $0 + "\n" + question } ?? question
                let outcome = try answerer.answer(question, retrievalQuery: retrievalQuery, history: history,
                                                  onDelta: { Console.stream($0) })
                Console.stream("\n")
                if outcome.mostly_unsupported { Console.stream(UnsupportedClaim.warning + "\n") }
                if outcome.trimmed_history_turns > 0 {
                    Console.note("note: the \(outcome.trimmed_history_turns) oldest turns no longer fit the context and were left out")
                    history.removeFirst(min(outcome.trimmed_history_turns, history.count))
                }
                lastSources = CitationChecker.sources(outcome.citations)
                if !outcome.abstained {
                    history.append(ChatMessage(role: "user", content: question))
                    history.append(ChatMessage(role: "assistant", content: outcome.answer))
                }
                previousQuestion = question
            }
        }
    }
}
