import Foundation
import Generation
import Tokenizers

/// What `ferret ask` prints as JSON, and what `chat` keeps between turns.
public struct AnswerOutcome: Sendable, Codable {
    public struct Timings: Sendable, Codable {
        public var retrieve_ms: Double = 0
        public var prompt_tokens: Int = 0
        /// Tokens the generator wrote (0 for an extracted answer or an abstention).
        public var completion_tokens: Int = 0
        public var prefill_tok_s: Double = 0
        public var decode_tok_s: Double = 0

        public init() {}
    }

    public var answer: String
    public var citations: [Citation]
    /// The claims whose citations are all `unsupported`.
    public var unsupported: [UnsupportedClaim]
    /// More than half of the cited claims are unsupported (`UnsupportedClaim.mostlyUnsupported`).
    public var mostly_unsupported: Bool
    /// The passages given to the model (or used for the extract), numbered from 1 in this order.
    public var passages: [RetrievedPassage]
    public var abstained: Bool
    /// True when no generator was available and the answer is extracted sentences.
    public var extracted: Bool
    public var dropped_passages: [Int64]
    public var truncated_passages: [Int64]
    public var trimmed_history_turns: Int
    public var timings: Timings
    /// Why the generator stopped; nil when no generator wrote the answer.
    public var stop: StopReason?

    public init(answer: String, citations: [Citation] = [], passages: [RetrievedPassage] = [], abstained: Bool = false,
                extracted: Bool = false, dropped_passages: [Int64] = [], truncated_passages: [Int64] = [],
                trimmed_history_turns: Int = 0, timings: Timings = Timings()) {
        self.answer = answer
        self.citations = citations
        self.unsupported = UnsupportedClaim.list(citations)
        self.mostly_unsupported = UnsupportedClaim.mostlyUnsupported(citations)
        self.passages = passages
        self.abstained = abstained
        self.extracted = extracted
        self.dropped_passages = dropped_passages
        self.truncated_passages = truncated_passages
        self.trimmed_history_turns = trimmed_history_turns
        self.timings = timings
    }
}

extension AnswerOutcome {
    /// Sets the citations and what follows from them (`unsupported`, `mostly_unsupported`).
    public mutating func setCitations(_ citations: [Citation]) {
        self.citations = citations
        unsupported = UnsupportedClaim.list(citations)
        mostly_unsupported = UnsupportedClaim.mostlyUnsupported(citations)
    }
}

/// Answers a question from retrieved passages: abstains below the relevance floor, otherwise generates with the
/// chat template inside the context budget and checks every citation, or — without a generator — extracts the best
/// sentences. Retrieval and sentence scoring are injected, so this module depends on neither the index nor search.
public struct QuestionAnswerer {
    public var retrieve: (String) throws -> [RetrievedPassage]
    /// Makes the sentence scorer for the extractive answer from the passages it will pick from (MaxSim alignment, or
    /// word overlap weighted by rarity among those passages).
    public var sentenceScorer: ([RetrievedPassage]) -> (String) -> Double
    public var generator: Generator?
    public var floor: RelevanceFloor
    public var maxTokens: Int
    public var contextTokens: Int
    public var sampling: SamplingParameters
    public var extractedSentences = 4
    /// How each citation is checked against its passage (the CLI and server plug in MaxSim alignment).
    public var support = CitationSupport()
    /// Polled once per generated token; true stops the answer where it is (a client went away).
    public var shouldStop: () -> Bool = { false }
    /// The caller's own instructions (an API client's system message), appended to Ferret's rules in the system turn,
    /// never replacing them.
    public var extraInstructions: String?
    /// Strings that end the answer (OpenAI's `stop`).
    public var stopStrings: [String] = []

    public init(retrieve: @escaping (String) throws -> [RetrievedPassage],
                sentenceScorer: @escaping ([RetrievedPassage]) -> (String) -> Double,
                generator: Generator?, floor: RelevanceFloor, maxTokens: Int, contextTokens: Int,
                sampling: SamplingParameters = .greedy) {
        self.retrieve = retrieve
        self.sentenceScorer = sentenceScorer
        self.generator = generator
        self.floor = floor
        self.maxTokens = maxTokens
        self.contextTokens = contextTokens
        self.sampling = sampling
    }

    /// `retrievalQuery` lets a chat re-retrieve with the conversation in mind while the prompt keeps the question.
    /// `onSentence` gets each answer sentence with its checked citations as soon as the sentence is complete (after
    /// the `onDelta` that completed it; the extractive answer's all come after its one delta).
    public func answer(_ question: String, retrievalQuery: String? = nil, history: [ChatMessage] = [],
                       onDelta: (String) -> Void = { _ in },
                       onSentence: (CheckedSentence) -> Void = { _ in }) throws -> AnswerOutcome {
        let start = DispatchTime.now()
        let retrieved = try retrieve(retrievalQuery ?? question)
        var outcome = AnswerOutcome(answer: "", citations: [], passages: [], abstained: false, extracted: generator == nil,
                                    dropped_passages: [], truncated_passages: [], trimmed_history_turns: 0, timings: .init())
        outcome.timings.retrieve_ms = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
        let kept: [RetrievedPassage]
        switch floor.decide(retrieved) {
        case .abstain(let best, let closest):
            outcome.abstained = true
            outcome.answer = floor.abstentionMessage(bestScore: best, closest: closest)
            onDelta(outcome.answer)
            return outcome
        case .answer(let passages):
            kept = passages
        }
        guard let generator else {
            let extract = ExtractiveAnswer.answer(question: question, passages: kept, maxSentences: extractedSentences,
                                                  support: support, scorer: sentenceScorer(kept))
            outcome.answer = extract.text
            outcome.setCitations(extract.citations)
            outcome.passages = kept
            onDelta(extract.text)
            extract.sentences.forEach(onSentence)
            return outcome
        }
        guard let source = generator.tokenizer.chatTemplateSource else { throw GenerationError.noChatTemplate }
        var builder = PromptBuilder(tokenizer: generator.tokenizer, template: try ChatTemplate(source: source))
        builder.layout = builder.layout.withInstructions(extraInstructions)
        let prompt = try builder.build(question: question, passages: kept,
                                       budget: PromptBudget(contextTokens: contextTokens, maxAnswerTokens: maxTokens),
                                       history: history)
        let checker = StreamingCitationChecker(passages: prompt.included, support: support)
        let result = try generator.generate(promptIDs: prompt.promptIDs, maxTokens: maxTokens, sampling: sampling,
                                            capacity: contextTokens, stopStrings: stopStrings,
                                            shouldStop: shouldStop) { piece in
            onDelta(piece)
            checker.append(piece).forEach(onSentence)
        }
        checker.finish().forEach(onSentence)
        outcome.answer = result.text
        outcome.passages = prompt.included
        outcome.setCitations(checker.citations)
        outcome.dropped_passages = prompt.dropped
        outcome.truncated_passages = prompt.truncated
        outcome.trimmed_history_turns = prompt.trimmedHistory
        outcome.timings.prompt_tokens = prompt.promptTokens
        outcome.timings.completion_tokens = result.ids.count
        outcome.stop = result.stop
        outcome.timings.prefill_tok_s = result.prefillTokensPerSecond
        outcome.timings.decode_tok_s = result.decodeTokensPerSecond
        return outcome
    }
}
