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

    @Option(name: .long, help: ArgumentHelp("An LFM2 / LFM2.5 instruct model: a folder, a .gguf file or a repository id (default: LiquidAI/LFM2.5-1.2B-Instruct when installed; without one, answers are extracted).",
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
            let model = self.model ?? config.model
            let generator = self.generator ?? config.generator ?? DefaultModelChoice.generator()
            let database = try IndexDatabase.openExisting(at: try IndexLocation.resolve(index))
            let encoder = try ModelLoading.encoder(for: database, explicit: model, precision: precisionOptions.dtype)
            let retriever = try Retriever(database: database, encoder: encoder, k: k)
            let generatorValue = try generator.map { try ModelLoading.generator($0, precision: precisionOptions.dtype) }
            let floor = retriever.floor(minScore: minScore)
            let interactive = isatty(FileHandle.standardInput.fileDescriptor) != 0
            var session = ChatSession()
            let followUps = FollowUpQuery(contentWords: LexicalCoverage.contentWords)
            if interactive { Console.note("Ask about your files. /sources, /save FILE, /reset, /quit.") }
            while true {
                if interactive { Console.stream("> ") }
                guard let line = readLine() else { break }
                let question = line.trimmingCharacters(in: .whitespaces)
                if question.isEmpty { continue }
                if question.hasPrefix("/") {
                    if try !command(question, session: &session) { return }
                    continue
                }
                // Follow-ups ("and in winter?") are retrieved with the subject of the questions before them.
                let retrievalQuery = followUps.retrievalQuery(question, previousQuestions: session.questions)
                var answerer = QuestionAnswerer(
                    retrieve: { try retriever.passages(for: $0) },
                    sentenceScorer: { retriever.sentenceScorer(question: retrievalQuery, passages: $0) },
                    generator: generatorValue, floor: floor, maxTokens: maxTokens,
                    contextTokens: generatorValue.map { min($0.model.config.maxPositions, 8192) } ?? 0)
                answerer.support = retriever.citationSupport()
                let outcome: AnswerOutcome
                do {
                    outcome = try answerer.answer(question, retrievalQuery: retrievalQuery, history: session.history,
                                                  onDelta: { Console.stream($0) })
                } catch {
                    // One failed turn (a question longer than the context, a model error) does not end the chat.
                    Console.stream("\n")
                    Console.error(String(describing: error))
                    continue
                }
                Console.stream("\n")
                if outcome.mostly_unsupported { Console.stream(UnsupportedClaim.warning + "\n") }
                if outcome.trimmed_history_turns > 0 {
                    Console.note("note: the \(outcome.trimmed_history_turns) oldest messages no longer fit the context "
                                 + "beside the best passages and were left out")
                    session.history.removeFirst(min(outcome.trimmed_history_turns, session.history.count))
                }
                if !outcome.dropped_passages.isEmpty {
                    Console.note("note: \(outcome.dropped_passages.count) lower-ranked passages did not fit the context")
                }
                session.record(question: question, outcome: outcome)
            }
        }
    }

    /// Runs a `/command`; false to end the chat.
    private func command(_ line: String, session: inout ChatSession) throws -> Bool {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        switch parts[0] {
        case "/quit", "/exit":
            return false
        case "/reset":
            session = ChatSession()
            Console.stream("(conversation forgotten)\n")
        case "/sources":
            Console.stream((session.lastSources.isEmpty ? "(the last answer cites no passage)"
                : session.lastSources.map { "[\($0.n)] \($0.location.map(DisplayPath.relative) ?? "?")  \($0.support.rawValue)" }
                    .joined(separator: "\n")) + "\n")
        case "/save":
            guard parts.count == 2, !parts[1].trimmingCharacters(in: .whitespaces).isEmpty else {
                Console.error("/save needs a file name: /save notes.md")
                return true
            }
            let path = (parts[1].trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
            do {
                try Data(session.markdown().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                Console.stream("(saved \(session.turns.count) turns to \(path))\n")
            } catch {
                Console.error("cannot write \(path): \(error.localizedDescription)")
            }
        default:
            Console.error("unknown command \(parts[0]); /sources, /save FILE, /reset, /quit")
        }
        return true
    }
}

/// What a chat remembers: the turns (for `/save`), the model's history, the last answer's sources.
struct ChatSession {
    struct Turn {
        let question: String
        let answer: String
        let sources: [Citation]
        let abstained: Bool
    }

    var turns: [Turn] = []
    var history: [ChatMessage] = []
    var lastSources: [Citation] = []

    var questions: [String] { turns.map(\.question) }

    mutating func record(question: String, outcome: AnswerOutcome) {
        lastSources = CitationChecker.sources(outcome.citations)
        turns.append(Turn(question: question, answer: outcome.answer, sources: lastSources, abstained: outcome.abstained))
        if !outcome.abstained {
            history.append(ChatMessage(role: "user", content: question))
            history.append(ChatMessage(role: "assistant", content: outcome.answer))
        }
    }

    /// The transcript as Markdown: each question, its answer and its sources.
    func markdown() -> String {
        var lines = ["# Ferret chat", ""]
        for turn in turns {
            lines += ["## \(turn.question)", "", turn.answer, ""]
            if !turn.sources.isEmpty {
                lines.append("Sources:")
                for source in turn.sources {
                    let quote = source.quote.map { " — “\($0)”" } ?? ""
                    lines.append("- [\(source.n)] \(source.location ?? "?")\(quote)")
                }
                lines.append("")
            }
        }
        return lines.joined(separator: "\n")
    }
}
