import Foundation
import Generation
import Hummingbird
import NIOCore

/// `POST /v1/completions`: OpenAI's raw text completion with the generator. The prompt is tokenized as given (with
/// the tokenizer's BOS), no chat template and no retrieval: for scripts that build their own prompts.
extension FerretServer {
    func addCompletionRoutes(to router: Router<BasicRequestContext>) {
        router.post("/v1/completions") { request, _ in
            var request = request
            let body = try await request.decodeJSON(TextCompletionRequest.self)
            let plan = try service.plan(body)
            let id = "cmpl-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let created = Int(Date().timeIntervalSince1970)
            if body.stream == true { return try service.streamedTextCompletion(plan, id: id, created: created) }
            let gone = StopFlag()
            let result = try await request.body.consumeWithInboundCloseHandler({ _ in
                try await service.generatorWork.run(clientGone: { gone.isSet }) { shouldStop in
                    try service.complete(plan, shouldStop: shouldStop)
                }
            }, onInboundClosed: { gone.set() })
            return JSONResponse.make(TextCompletionResponse(
                id: id, created: created, model: plan.model,
                choices: [.init(text: (plan.echo ? plan.prompt : "") + result.text, finish_reason: result.stop.finishReason)],
                usage: Usage(prompt: result.promptIDs.count, completion: result.ids.count)))
        }
    }
}

struct TextCompletionRequest: Decodable, GenerationFields {
    /// `prompt`: a string, or an array holding one string.
    struct Prompt: Decodable {
        let text: String
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let one = try? container.decode(String.self) {
                text = one
                return
            }
            let many = try container.decode([String].self)
            guard many.count == 1 else {
                throw APIError.invalidRequest("`prompt` must be one string (got \(many.count)); send one request per prompt",
                                              code: "unsupported_parameter")
            }
            text = many[0]
        }
    }

    let model: String?
    let prompt: Prompt
    let max_tokens: Int?
    let stream: Bool?
    let echo: Bool?
    let suffix: String?
    let best_of: Int?
    let temperature: Double?
    let top_p: Double?
    let n: Int?
    let stop: StopField?
    let seed: Int?
    let presence_penalty: Double?
    let frequency_penalty: Double?
    let logprobs: JSONValueCheck?
    let logit_bias: JSONValueCheck?
    let tools: JSONValueCheck?
    let stream_options: StreamOptions?
}

struct TextCompletionResponse: Encodable {
    struct Choice: Encodable {
        var index = 0
        let text: String
        var logprobs: String? = nil
        let finish_reason: String?

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(text, forKey: .text)
            try container.encode(logprobs, forKey: .logprobs)   // null, as OpenAI sends it
            try container.encode(finish_reason, forKey: .finish_reason)
        }

        enum CodingKeys: String, CodingKey { case index, text, logprobs, finish_reason }
    }

    let id: String
    var object = "text_completion"
    let created: Int
    let model: String
    let choices: [Choice]
    var usage: Usage?
}

/// A checked text-completion request.
struct TextCompletionPlan: Sendable {
    let model: String
    let prompt: String
    let promptIDs: [Int]
    let maxTokens: Int
    let options: GenerationOptions
    let echo: Bool
}

extension FerretService {
    func plan(_ body: TextCompletionRequest) throws -> TextCompletionPlan {
        guard let generator, let generatorName else {
            throw APIError.invalidRequest("/v1/completions needs a generator: start `ferret serve --generator MODEL`",
                                          code: "no_generator")
        }
        if body.suffix.map({ !$0.isEmpty }) ?? false {
            throw APIError.invalidRequest("`suffix` is not supported (LFM2 has no fill-in-the-middle)", code: "unsupported_parameter")
        }
        if let bestOf = body.best_of, bestOf != 1 {
            throw APIError.invalidRequest("`best_of` must be 1", code: "unsupported_parameter")
        }
        guard !body.prompt.text.isEmpty else { throw APIError.invalidRequest("`prompt` is empty", code: "empty_prompt") }
        let maxTokens = body.max_tokens ?? 16   // OpenAI's default for this endpoint
        try APILimits.checkMaxTokens(maxTokens)
        let ids = generator.tokenizer.encode(body.prompt.text, addSpecialTokens: true)
        guard ids.count < contextTokens else {
            throw APIError.invalidRequest("the prompt has \(ids.count) tokens; the context holds \(contextTokens)",
                                          code: "context_length_exceeded")
        }
        return TextCompletionPlan(model: generatorName, prompt: body.prompt.text, promptIDs: ids, maxTokens: maxTokens,
                                  options: try body.generationOptions(), echo: body.echo ?? false)
    }

    /// Runs the plan (blocking: call through `generatorWork`).
    func complete(_ plan: TextCompletionPlan, shouldStop: @escaping () -> Bool = { false },
                  onText: (String) -> Void = { _ in }) throws -> GenerationResult {
        try generator!.generate(promptIDs: plan.promptIDs, maxTokens: plan.maxTokens, sampling: plan.options.sampling,
                                capacity: contextTokens, stopStrings: plan.options.stopStrings, shouldStop: shouldStop,
                                onText: onText)
    }

    /// `text_completion` chunks as server-sent events, then (with `include_usage`) a usage chunk and `[DONE]`.
    func streamedTextCompletion(_ plan: TextCompletionPlan, id: String, created: Int) throws -> Response {
        let (events, continuation) = AsyncStream.makeStream(of: String.self)
        let stop = StopFlag()
        continuation.onTermination = { _ in stop.set() }
        @Sendable func chunk(_ text: String, finish: String? = nil, usage: Usage? = nil, choices: Bool = true) -> String {
            ChunkEncoder.event(TextCompletionResponse(id: id, created: created, model: plan.model,
                                                      choices: choices ? [.init(text: text, finish_reason: finish)] : [],
                                                      usage: usage))
        }
        try generatorWork.submit({ shouldStop in
            if plan.echo { continuation.yield(chunk(plan.prompt)) }
            do {
                let result = try self.complete(plan, shouldStop: shouldStop) { continuation.yield(chunk($0)) }
                if result.stop == .cancelled && !stop.isSet { throw ModelQueue.deadlineError(self.generatorWork) }
                continuation.yield(chunk("", finish: result.stop.finishReason))
                if plan.options.includeUsage {
                    continuation.yield(chunk("", usage: Usage(prompt: result.promptIDs.count, completion: result.ids.count),
                                             choices: false))
                }
            } catch {
                let problem = APIError.from(error)
                continuation.yield(ChunkEncoder.event(APIError.Body(error: .init(message: problem.message, type: problem.type,
                                                                                 code: problem.code))))
            }
            continuation.yield("data: [DONE]\n\n")
            continuation.finish()
        }, cancelled: { stop.isSet })
        return ChunkEncoder.eventStream(events)
    }
}
