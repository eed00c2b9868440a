import Foundation
import LFM2
import Tokenizers

/// What one generation produced.
public struct GenerationResult: Sendable {
    public var promptIDs: [Int]
    /// Generated ids, the stop token excluded.
    public var ids: [Int]
    public var text: String
    public var stop: StopReason
    public var prefillSeconds: Double
    public var decodeSeconds: Double

    public var prefillTokensPerSecond: Double { prefillSeconds > 0 ? Double(promptIDs.count) / prefillSeconds : 0 }
    /// Decode rate over the tokens after the first (the first comes out of the prefill).
    public var decodeTokensPerSecond: Double { decodeSeconds > 0 ? Double(max(ids.count - 1, 0)) / decodeSeconds : 0 }
}

/// Runs a causal LFM2 model token by token, streaming decoded text. Composes the model, the tokenizer and a sampler;
/// owns nothing shared.
public struct Generator: Sendable {
    public let model: LFM2Model
    public let tokenizer: Tokenizer

    public init(model: LFM2Model, tokenizer: Tokenizer) {
        self.model = model
        self.tokenizer = tokenizer
    }

    /// Ids that end generation: the config's eos ids, the tokenizer's eos and `<|im_end|>`.
    public var stopIDs: Set<Int> {
        var ids = Set(model.config.eosTokenIDs)
        if let eos = tokenizer.eosTokenID { ids.insert(eos) }
        if let imEnd = tokenizer.id(forToken: "<|im_end|>") { ids.insert(imEnd) }
        return ids
    }

    /// Ids of a chat rendered through the tokenizer's template. The template already writes `<|startoftext|>`, so the
    /// rendered text is encoded without adding special tokens (spec gotcha 7: no second BOS).
    public func chatPromptIDs(_ messages: [ChatMessage]) throws -> [Int] {
        guard let source = tokenizer.chatTemplateSource else { throw GenerationError.noChatTemplate }
        let template = try ChatTemplate(source: source)
        let text = try template.render(messages: messages, addGenerationPrompt: true,
                                       bosToken: tokenizer.bosToken, eosToken: tokenizer.eosToken)
        return tokenizer.encode(text, addSpecialTokens: false)
    }

    /// Generates up to `maxTokens` tokens after `promptIDs`; `onText` receives text as soon as it forms whole
    /// characters. Stops at a stop id, at `maxTokens`, when the sequence's capacity is full, at one of the
    /// `stopStrings` (which is not part of the text), or when `shouldStop` (polled once per token) says so.
    public func generate(promptIDs: [Int], maxTokens: Int, sampling: SamplingParameters = .greedy,
                         capacity: Int? = nil, stopStrings: [String] = [], shouldStop: () -> Bool = { false },
                         onText: (String) -> Void = { _ in }) throws -> GenerationResult {
        guard !promptIDs.isEmpty else { throw GenerationError.emptyPrompt }
        let limit = min(capacity ?? (promptIDs.count + maxTokens), model.config.maxPositions)
        guard promptIDs.count < limit || (maxTokens == 0 && promptIDs.count <= limit) else {
            throw ModelError.contextOverflow(tokens: promptIDs.count + min(maxTokens, 1), limit: min(limit, model.config.maxPositions))
        }
        let state = model.makeSequence(capacity: limit)
        var sampler = Sampler(parameters: sampling, vocabularyLimit: min(tokenizer.count, model.logitCount))
        sampler.observe(promptIDs)
        var decoder = tokenizer.makeStreamingDecoder(skipSpecialTokens: false)
        let stops = stopIDs
        var logits = [Float](repeating: 0, count: model.logitCount)
        var result = GenerationResult(promptIDs: promptIDs, ids: [], text: "", stop: .length,
                                      prefillSeconds: 0, decodeSeconds: 0)
        guard maxTokens > 0 else { return result }

        let prefillStart = DispatchTime.now()
        try logits.withUnsafeMutableBufferPointer { try model.prefill(promptIDs, state: state, logits: $0.baseAddress!) }
        result.prefillSeconds = Self.seconds(since: prefillStart)

        var stopSequences = StopSequences(stopStrings)
        func emit(_ text: String) {
            let released = stopSequences.isEmpty ? text : stopSequences.append(text)
            if !released.isEmpty { result.text += released; onText(released) }
        }
        let decodeStart = DispatchTime.now()
        while true {
            let next = logits.withUnsafeMutableBufferPointer { sampler.next(logits: $0.baseAddress!) }
            if stops.contains(next) { result.stop = .eos; break }
            result.ids.append(next)
            emit(decoder.append(next))
            if stopSequences.matched { result.stop = .stopSequence; break }
            if result.ids.count >= maxTokens || state.position >= state.capacity { break }
            if shouldStop() { result.stop = .cancelled; break }
            try logits.withUnsafeMutableBufferPointer { try model.decode(next, state: state, logits: $0.baseAddress!) }
        }
        emit(decoder.finish())
        if stopSequences.matched { result.stop = .stopSequence }
        let held = stopSequences.finish()
        if !held.isEmpty { result.text += held; onText(held) }
        result.decodeSeconds = Self.seconds(since: decodeStart)
        return result
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
