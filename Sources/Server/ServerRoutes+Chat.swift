import Foundation
import Generation
import Hummingbird
import NIOCore
import RAG
import Retrieval
import Tokenizers

/// `POST /v1/chat/completions`: an answer from the index with verified citations (or, with
/// `"retrieval": {"enabled": false}`, plain chat with the generator), whole or streamed as server-sent events.
extension FerretServer {
    func addChatRoutes(to router: Router<BasicRequestContext>) {
        router.post("/v1/chat/completions") { request, _ in
            var request = request
            let body = try await request.decodeJSON(ChatCompletionRequest.self)
            let plan = try service.plan(body)
            let id = "chatcmpl-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let created = Int(Date().timeIntervalSince1970)
            if body.stream == true {
                return try service.streamedCompletion(plan, id: id, created: created)
            }
            // A client that hangs up stops its answer (in the queue or mid-generation).
            let gone = StopFlag()
            let outcome = try await request.body.consumeWithInboundCloseHandler({ _ in
                try await service.generatorWork.run(clientGone: { gone.isSet }) { shouldStop in
                    try service.answer(plan, shouldStop: shouldStop)
                }
            }, onInboundClosed: { gone.set() })
            return JSONResponse.make(ChatCompletionResponse(
                id: id, object: "chat.completion", created: created, model: plan.model,
                choices: [.init(message: .init(content: outcome.answer,
                                               annotations: ChatCompletionResponse.annotations(answer: outcome.answer,
                                                                                               citations: outcome.citations)),
                                finish_reason: outcome.finishReason, sources: CitationChecker.sources(outcome.citations))],
                usage: outcome.usage, ferret: ChatCompletionResponse.details(outcome)))
        }
    }
}

/// A checked chat request, ready to run.
struct ChatPlan: Sendable {
    let model: String
    let question: String
    let retrievalQuery: String
    let history: [ChatMessage]
    let messages: [ChatMessage]
    let retrieve: Bool
    let k: Int
    let minScore: Double?
    let maxTokens: Int
    let sampling: SamplingParameters
    let stopStrings: [String]
    let includeUsage: Bool
    /// The client's system messages, kept after Ferret's own rules.
    let instructions: String?
}

extension AnswerOutcome {
    var usage: Usage { Usage(prompt: timings.prompt_tokens, completion: timings.completion_tokens) }
    var finishReason: String { stop?.finishReason ?? "stop" }
}

/// A flag the HTTP side sets when the client goes away; generation polls it.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

extension FerretService {
    func plan(_ body: ChatCompletionRequest) throws -> ChatPlan {
        guard let last = body.messages.last(where: { $0.role == "user" }), !last.content.isEmpty else {
            throw APIError.invalidRequest("`messages` needs a user message with text", code: "no_question")
        }
        let retrieve = body.retrieval?.enabled ?? true
        if !retrieve && generator == nil {
            throw APIError.invalidRequest("chat without retrieval needs a generator: start `ferret serve --generator DIR`",
                                          code: "no_generator")
        }
        let maxTokens = body.answerTokens ?? self.maxTokens
        try APILimits.checkMaxTokens(maxTokens)
        let options = try body.generationOptions()
        let k = body.retrieval?.top_k ?? 5
        guard APILimits.answerTopK.contains(k) else {
            throw APIError.invalidRequest("`retrieval.top_k` must be 1…\(APILimits.answerTopK.upperBound)", code: "invalid_top_k")
        }
        try APILimits.checkQuery(last.content, field: "the last user message")

        // The conversation before the question; the RAG prompt brings its own system turn.
        let turns = body.messages.map { ChatMessage(role: $0.role, content: $0.content) }
        let before = turns.prefix(upTo: body.messages.lastIndex { $0.role == "user" }!)
        let history = before.filter { $0.role == "user" || $0.role == "assistant" }
        let previousQuestions = history.filter { $0.role == "user" }.map(\.content)
        let system = turns.filter { $0.role == "system" }.map(\.content).joined(separator: "\n\n")
        let followUps = FollowUpQuery(contentWords: LexicalCoverage.contentWords)
        return ChatPlan(model: generatorName ?? encoder?.name ?? "ferret-extractive", question: last.content,
                        retrievalQuery: followUps.retrievalQuery(last.content, previousQuestions: previousQuestions),
                        history: Array(history), messages: turns, retrieve: retrieve, k: k,
                        minScore: body.retrieval?.min_score, maxTokens: maxTokens,
                        sampling: options.sampling, stopStrings: options.stopStrings, includeUsage: options.includeUsage,
                        instructions: system.isEmpty ? nil : system)
    }

    /// Runs the plan (blocking: call through `generatorWork`).
    func answer(_ plan: ChatPlan, shouldStop: @escaping () -> Bool = { false },
                onDelta: (String) -> Void = { _ in }) throws -> AnswerOutcome {
        guard plan.retrieve else {
            let generator = generator!
            let ids = try generator.chatPromptIDs(plan.messages)
            let result = try generator.generate(promptIDs: ids, maxTokens: plan.maxTokens, sampling: plan.sampling,
                                                capacity: contextTokens, stopStrings: plan.stopStrings,
                                                shouldStop: shouldStop, onText: onDelta)
            var timings = AnswerOutcome.Timings()
            timings.prompt_tokens = ids.count
            timings.completion_tokens = result.ids.count
            timings.prefill_tok_s = result.prefillTokensPerSecond
            timings.decode_tok_s = result.decodeTokensPerSecond
            var outcome = AnswerOutcome(answer: result.text, timings: timings)
            outcome.stop = result.stop
            return outcome
        }
        var retriever = self.retriever
        retriever.k = plan.k
        var answerer = QuestionAnswerer(
            retrieve: { try retriever.passages(for: $0) },
            sentenceScorer: { retriever.sentenceScorer(question: plan.retrievalQuery, passages: $0) },
            generator: generator, floor: retriever.floor(minScore: plan.minScore), maxTokens: plan.maxTokens,
            contextTokens: contextTokens, sampling: plan.sampling)
        answerer.shouldStop = shouldStop
        answerer.extraInstructions = plan.instructions
        answerer.stopStrings = plan.stopStrings
        answerer.support = retriever.citationSupport()
        return try answerer.answer(plan.question, retrievalQuery: plan.retrievalQuery, history: plan.history,
                                   onDelta: onDelta)
    }

    /// Server-sent events: a role chunk, one chunk per piece of text, a final chunk with the finish reason, sources
    /// and details, then `data: [DONE]`. An error after the stream began arrives as a `data: {"error":…}` event;
    /// `: ping` comments come every `pingInterval` until the end.
    func streamedCompletion(_ plan: ChatPlan, id: String, created: Int) throws -> Response {
        let (events, continuation) = AsyncStream.makeStream(of: String.self)
        let stop = StopFlag()
        continuation.onTermination = { _ in stop.set() }
        let encoder = ChunkEncoder(id: id, created: created, model: plan.model)
        // SSE comments keep proxies and clients from timing out while the answer waits in the queue or in prefill.
        let finished = StopFlag()
        Task {
            while !finished.isSet && !stop.isSet {
                try? await Task.sleep(for: pingInterval)
                if !finished.isSet { continuation.yield(": ping\n\n") }
            }
        }
        try generatorWork.submit({ shouldStop in
            continuation.yield(encoder.chunk(.init(role: "assistant", content: "")))
            do {
                let outcome = try self.answer(plan, shouldStop: shouldStop) { piece in
                    continuation.yield(encoder.chunk(.init(content: piece)))
                }
                // Stopped while the client is still there: the deadline passed.
                if outcome.stop == .cancelled && !stop.isSet { throw ModelQueue.deadlineError(self.generatorWork) }
                continuation.yield(encoder.chunk(.init(), finish: outcome.finishReason,
                                                 sources: CitationChecker.sources(outcome.citations),
                                                 details: ChatCompletionResponse.details(outcome)))
                if plan.includeUsage { continuation.yield(encoder.usageChunk(outcome.usage)) }
            } catch {
                let problem = APIError.from(error)
                continuation.yield(ChunkEncoder.event(APIError.Body(error: .init(message: problem.message, type: problem.type,
                                                                                 code: problem.code))))
            }
            continuation.yield("data: [DONE]\n\n")
            finished.set()
            continuation.finish()
        }, cancelled: { stop.isSet })
        return ChunkEncoder.eventStream(events)
    }
}

/// Server-sent `chat.completion.chunk` events of one completion.
struct ChunkEncoder: Sendable {
    let id: String
    let created: Int
    let model: String

    func chunk(_ delta: ChatCompletionResponse.Delta, finish: String? = nil, sources: [Citation]? = nil,
               details: ChatCompletionResponse.Details? = nil) -> String {
        Self.event(ChatCompletionResponse(id: id, object: "chat.completion.chunk", created: created, model: model,
                                          choices: [.init(delta: delta, finish_reason: finish, sources: sources)],
                                          ferret: details))
    }

    /// A `text/event-stream` response that sends each event as it is produced (chat and text completions).
    static func eventStream(_ events: AsyncStream<String>) -> Response {
        Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                 body: ResponseBody { writer in
                     for await text in events { try await writer.write(ByteBuffer(string: text)) }
                     try await writer.finish(nil)
                 })
    }

    /// `stream_options.include_usage`: a last chunk with no choices and the token counts.
    func usageChunk(_ usage: Usage) -> String {
        Self.event(ChatCompletionResponse(id: id, object: "chat.completion.chunk", created: created, model: model,
                                          choices: [], usage: usage))
    }

    static func event<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return "data: " + String(decoding: data, as: UTF8.self) + "\n\n"
    }
}
