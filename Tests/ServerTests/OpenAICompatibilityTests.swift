import Foundation
import Generation
import Tokenizers
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing
import TestSupport

/// What OpenAI's clients rely on: `usage`, `finish_reason` `length`, `stop`, `seed`, refused parameters named in
/// a 400, `stream_options.include_usage`, and `/v1/completions` for raw prompts.
@Suite struct OpenAICompatibilityTests {
    struct Chat: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { let content: String }
            let message: Message
            let finish_reason: String
        }
        let choices: [Choice]
        let usage: Usage
    }

    struct Text: Decodable {
        struct Choice: Decodable { let text: String; let finish_reason: String?; let index: Int }
        let object: String
        let id: String
        let choices: [Choice]
        let usage: Usage?
    }

    static let bare = #""retrieval":{"enabled":false}"#
    static let messages = #"[{"role":"user","content":"Tell me about kettles."}]"#

    @Test func usageAndFinishReasonDescribeTheGeneration() async throws {
        let fixture = try ServerFixture(generator: true)
        defer { fixture.cleanup() }
        let promptTokens = try ServerFixture.generator.chatPromptIDs([ChatMessage(role: "user", content: "Tell me about kettles.")]).count
        try await fixture.withClient { client in
            for maxTokens in [1, 5] {
                let body = try await client.post("/v1/chat/completions",
                                                 json: #"{"messages":\#(Self.messages),"max_tokens":\#(maxTokens),\#(Self.bare)}"#).body
                let chat = try decode(Chat.self, body)
                #expect(chat.usage.prompt_tokens == promptTokens)
                #expect(chat.usage.total_tokens == chat.usage.prompt_tokens + chat.usage.completion_tokens)
                #expect(chat.usage.completion_tokens <= maxTokens)
                // `length` exactly when the limit, not the model, ended the answer.
                #expect((chat.choices[0].finish_reason == "length") == (chat.usage.completion_tokens == maxTokens), "\(body)")
            }
        }
    }

    @Test func stopStringsEndTheAnswerBeforeThem() async throws {
        let fixture = try ServerFixture(generator: true)
        defer { fixture.cleanup() }
        try await fixture.withClient { client in
            let free = try decode(Chat.self, try await client.post("/v1/chat/completions",
                                                                    json: #"{"messages":\#(Self.messages),"max_tokens":8,\#(Self.bare)}"#).body)
            let text = free.choices[0].message.content
            try #require(text.count >= 4, "the tiny model wrote too little to cut: \(text)")
            let cut = String(text.dropFirst(text.count / 2).prefix(2))
            let escaped = String(data: try JSONEncoder().encode(cut), encoding: .utf8)!
            let stopped = try decode(Chat.self, try await client.post("/v1/chat/completions",
                json: #"{"messages":\#(Self.messages),"max_tokens":8,"stop":\#(escaped),\#(Self.bare)}"#).body)
            let expected = String(text[..<text.range(of: cut)!.lowerBound])
            #expect(stopped.choices[0].message.content == expected)
            #expect(stopped.choices[0].finish_reason == "stop")
        }
    }

    @Test func aSeedRepeatsASampledAnswer() async throws {
        let fixture = try ServerFixture(generator: true)
        defer { fixture.cleanup() }
        try await fixture.withClient { client in
            let json = #"{"messages":\#(Self.messages),"max_tokens":8,"temperature":1.0,"top_p":0.9,"seed":7,\#(Self.bare)}"#
            let first = try decode(Chat.self, try await client.post("/v1/chat/completions", json: json).body)
            let second = try decode(Chat.self, try await client.post("/v1/chat/completions", json: json).body)
            #expect(first.choices[0].message.content == second.choices[0].message.content)
        }
    }

    @Test func unsupportedParametersAreNamed() async throws {
        let fixture = try ServerFixture(generator: true)
        defer { fixture.cleanup() }
        try await fixture.withClient { client in
            for (extra, word) in [(#""n":2"#, "`n`"), (#""logprobs":true"#, "`logprobs`"), (#""temperature":3"#, "`temperature`"),
                                  (#""top_p":0"#, "`top_p`"), (#""stop":["a","b","c","d","e"]"#, "`stop`"),
                                  (#""tools":[{"type":"function"}]"#, "`tools`"), (#""presence_penalty":0.5"#, "`presence_penalty`")] {
                let (status, body) = try await client.post("/v1/chat/completions", json: #"{"messages":\#(Self.messages),\#(extra)}"#)
                #expect(status == 400, "\(extra): \(body)")
                #expect(try ErrorBody.decode(body).message.contains(word), "\(extra): \(body)")
            }
            #expect(try await client.post("/v1/chat/completions", json: #"{"messages":\#(Self.messages),"n":1,"logprobs":false}"#).status == 200)
        }
    }

    @Test func streamOptionsIncludeUsageAddsALastChunk() async throws {
        let fixture = try ServerFixture(generator: true)
        defer { fixture.cleanup() }
        try await fixture.withClient { client in
            let base = #""messages":\#(Self.messages),"max_tokens":4,\#(Self.bare)"#
            let whole = try decode(Chat.self, try await client.post("/v1/chat/completions", json: "{\(base)}").body)
            let stream = try await client.post("/v1/chat/completions",
                                               json: #"{\#(base),"stream":true,"stream_options":{"include_usage":true}}"#).body
            let events = stream.components(separatedBy: "\n\n").filter { $0.hasPrefix("data: {") }
            struct UsageChunk: Decodable { let choices: [String]; let usage: Usage }
            let last = try decode(UsageChunk.self, String(try #require(events.last).dropFirst(6)))
            #expect(last.choices.isEmpty && last.usage == whole.usage)
        }
    }

    @Test func textCompletionsRunRawPrompts() async throws {
        let fixture = try ServerFixture(generator: true)
        defer { fixture.cleanup() }
        let prompt = "The kettle"
        let ids = ServerFixture.generator.tokenizer.encode(prompt, addSpecialTokens: true)
        let reference = try ServerFixture.generator.generate(promptIDs: ids, maxTokens: 5)
        try await fixture.withClient { client in
            let body = try await client.post("/v1/completions", json: #"{"prompt":"The kettle","max_tokens":5}"#).body
            let completion = try decode(Text.self, body)
            #expect(completion.object == "text_completion" && completion.id.hasPrefix("cmpl-"))
            #expect(completion.choices[0].text == reference.text)
            #expect(completion.usage == Usage(prompt: ids.count, completion: reference.ids.count))
            #expect(completion.choices[0].finish_reason == reference.stop.finishReason)

            let echoed = try decode(Text.self, try await client.post("/v1/completions",
                                                                      json: #"{"prompt":["The kettle"],"max_tokens":5,"echo":true}"#).body)
            #expect(echoed.choices[0].text == prompt + reference.text)

            let stream = try await client.post("/v1/completions",
                                               json: #"{"prompt":"The kettle","max_tokens":5,"stream":true,"stream_options":{"include_usage":true}}"#).body
            let chunks = try stream.components(separatedBy: "\n\n").filter { $0.hasPrefix("data: {") }
                .map { try decode(Text.self, String($0.dropFirst(6))) }
            #expect(chunks.compactMap(\.choices.first?.text).joined() == reference.text)
            #expect(chunks.last?.usage == completion.usage && chunks.last?.choices.isEmpty == true)

            let two = try await client.post("/v1/completions", json: #"{"prompt":["a","b"]}"#)
            #expect(two.status == 400, "\(two.body)")
        }
        let lexical = try ServerFixture()
        defer { lexical.cleanup() }
        try await lexical.withClient { client in
            let answer = try await client.post("/v1/completions", json: #"{"prompt":"x"}"#)
            #expect(try answer.status == 400 && ErrorBody.decode(answer.body).code == "no_generator")
        }
    }
}

extension Usage: Equatable {
    public static func == (a: Usage, b: Usage) -> Bool {
        a.prompt_tokens == b.prompt_tokens && a.completion_tokens == b.completion_tokens && a.total_tokens == b.total_tokens
    }
}
