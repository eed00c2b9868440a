import Foundation
import Generation
import Tokenizers

/// What `ferret ask` prints as JSON, and what `chat` keeps between turns.
public struct AnswerOutcome: Sendable, Codable {
    public struct Timings: Sendable, Codable {
        public var retrieve_ms: Double = 0
        public var prompt_tokens: Int = 0
        public var prefill_tok_s: Double = 0
        public var decode_tok_s: Double = 0

        public init() {}
    }

    public var answer: String
    public var citations: [Citation]
    /// The passages given to the model (or used for the extract), numbered from 1 in this order.
    public var passages: [RetrievedPassage]
    public var abstained: Bool
    /// True when no generator was available and the answer is extracted sentences.
    public var extracted: Bool
    public var dropped_passages: [Int64]
    public var truncated_passages: [Int64]
    public var trimmed_history_turns: Int
    public var timings: Timings

    public init(answer: String, citations: [Citation] = [], passages: [RetrievedPassage] = [], abstained: Bool = false,
                extracted: Bool = false, dropped_passages: [Int64] = [], truncated_passages: [Int64] = [],
                trimmed_history_turns: Int = 0, timings: Timings = Timings()) {
        self.answer = answer
        self.citations = citations
        self.passages = passages
        self.abstained = abstained
        self.extracted = extracted
        self.dropped_passages = dropped_passages
        self.truncated_passages = truncated_passages
        self.trimmed_history_turns = trimmed_history_turns
        self.timings = timings
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
    /// Polled once per generated token; true stops the answer where it is (a client went away).
    public var shouldStop: () -> Bool = { false }
    /// The caller's own instructions (an API client's system message), appended to Ferret's rules in the system turn,
    /// never replacing them.
    public var extraInstructions: String?

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
    public func answer(_ question: String, retrievalQuery: String? = nil, history: [ChatMessage] = [],
                       onDelta: (String) -> Void = { _ in }) throws -> AnswerOutcome {
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
                                                  scorer: sentenceScorer(kept))
            outcome.answer = extract.text
            outcome.citations = extract.citations
            outcome.passages = kept
            onDelta(extract.text)
            return outcome
        }
        guard let source = generator.tokenizer.chatTemplateSource else { throw GenerationError.noChatTemplate }
        var builder = PromptBuilder(tokenizer: generator.tokenizer, template: try ChatTemplate(source: source))
        builder.layout = builder.layout.withInstructions(extraInstructions)
        let prompt = try builder.build(question: question, passages: kept,
                                       budget: PromptBudget(contextTokens: contextTokens, maxAnswerTokens: maxTokens),
                                       history: history)
        let result = try generator.generate(promptIDs: prompt.promptIDs, maxTokens: maxTokens, sampling: sampling,
                                            capacity: contextTokens, shouldStop: shouldStop, onText: onDelta)
        outcome.answer = result.text
        outcome.passages = prompt.included
        outcome.citations = CitationChecker.check(answer: result.text, passages: prompt.included)
        outcome.dropped_passages = prompt.dropped
        outcome.truncated_passages = prompt.truncated
        outcome.trimmed_history_turns = prompt.trimmedHistory
        outcome.timings.prompt_tokens = prompt.promptTokens
        outcome.timings.prefill_tok_s = result.prefillTokensPerSecond
        outcome.timings.decode_tok_s = result.decodeTokensPerSecond
        return outcome
    }
}
