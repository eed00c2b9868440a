import Foundation
import RAG

/// The OpenAI chat-completions request Ferret accepts, with its retrieval extension, and the pieces of its answer.
struct ChatCompletionRequest: Decodable, GenerationFields {
    struct Message: Decodable {
        let role: String
        let content: String

        enum CodingKeys: String, CodingKey { case role, content }
        struct Part: Decodable { let type: String; let text: String? }

        /// `content` is a string, or an array of parts of which the `text` ones are joined.
        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            role = try container.decode(String.self, forKey: .role)
            if let text = try? container.decode(String.self, forKey: .content) {
                content = text
            } else if let parts = try? container.decode([Part].self, forKey: .content) {
                content = parts.compactMap { $0.type == "text" ? $0.text : nil }.joined(separator: "\n")
            } else {
                content = ""
            }
        }
    }

    /// Ferret's extension: answer from the index (the default) or chat with the bare model.
    struct Retrieval: Decodable {
        let enabled: Bool?
        let top_k: Int?
        let min_score: Double?
    }

    let model: String?
    let messages: [Message]
    let stream: Bool?
    let max_tokens: Int?
    let max_completion_tokens: Int?
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
    let retrieval: Retrieval?

    var answerTokens: Int? { max_completion_tokens ?? max_tokens }
}

/// `chat.completion` and `chat.completion.chunk` objects.
struct ChatCompletionResponse: Encodable {
    struct Annotation: Encodable {
        let type = "file_citation"
        /// Character offset of the `[n]` marker in the answer.
        let index: Int
        let file_id: String
        let filename: String
    }

    struct Message: Encodable {
        let role = "assistant"
        let content: String
        let annotations: [Annotation]
    }

    struct Delta: Encodable {
        var role: String?
        var content: String?
    }

    struct Choice: Encodable {
        var index = 0
        var message: Message?
        var delta: Delta?
        var finish_reason: String?
        /// One per cited passage, verified or flagged (`RAG.Citation`), in the final message or chunk.
        var sources: [Citation]?

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encodeIfPresent(message, forKey: .message)
            try container.encodeIfPresent(delta, forKey: .delta)
            try container.encode(finish_reason, forKey: .finish_reason)  // null until the end
            try container.encodeIfPresent(sources, forKey: .sources)
        }

        enum CodingKeys: String, CodingKey { case index, message, delta, finish_reason, sources }
    }

    /// What only Ferret's clients read: abstention, the passages given to the model, every citation with its
    /// support (`quoted`, `supported`, `weak`, `unsupported`) and supporting span, the unsupported claims, timings.
    struct Details: Encodable {
        let abstained: Bool
        let extracted: Bool
        let passages: [RetrievedPassage]
        let citations: [Citation]
        let unsupported: [UnsupportedClaim]
        let mostly_unsupported: Bool
        let dropped_passages: [Int64]
        let timings: AnswerOutcome.Timings
    }

    let id: String
    let object: String
    let created: Int
    let model: String
    let choices: [Choice]
    var usage: Usage?
    var ferret: Details?

    static func annotations(answer: String, citations: [Citation]) -> [Annotation] {
        var seen = Set<Int>()
        return citations.compactMap { citation in
            guard let passage = citation.passageID, let path = citation.path, seen.insert(citation.n).inserted else { return nil }
            let marker = answer.range(of: "[\(citation.n)]")
            let offset = marker.map { answer.distance(from: answer.startIndex, to: $0.lowerBound) } ?? 0
            return Annotation(index: offset, file_id: String(passage), filename: path)
        }
    }

    static func details(_ outcome: AnswerOutcome) -> Details {
        Details(abstained: outcome.abstained, extracted: outcome.extracted, passages: outcome.passages,
                citations: outcome.citations, unsupported: outcome.unsupported,
                mostly_unsupported: outcome.mostly_unsupported, dropped_passages: outcome.dropped_passages, timings: outcome.timings)
    }
}
