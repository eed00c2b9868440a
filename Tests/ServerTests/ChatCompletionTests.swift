import Foundation
@testable import Server
import Testing
import TestSupport

/// `/v1/chat/completions`: answers from the index with verified sources, abstention, streaming.
@Suite struct ChatCompletionTests {
    struct Completion: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                struct Annotation: Decodable { let type: String; let file_id: String; let filename: String }
                let role: String
                let content: String
                let annotations: [Annotation]
            }
            struct Source: Decodable {
                struct Span: Decodable { let text: String; let start: Int; let end: Int }
                let n: Int; let path: String?; let verified: Bool; let support: String; let span: Span?
            }
            let message: Message
            let finish_reason: String?
            let sources: [Source]?
        }
        struct Details: Decodable {
            let abstained: Bool; let extracted: Bool
            let citations: [Choice.Source]; let unsupported: [Unsupported]; let mostly_unsupported: Bool
        }
        struct Unsupported: Decodable { let claim: String; let cited: [Int] }
        let id: String
        let object: String
        let model: String
        let choices: [Choice]
        let ferret: Details
    }

    @Test func extractiveAnswerCitesTheFile() async throws {
        let fixture = try ServerFixture()
        defer { fixture.cleanup() }
        try await fixture.withClient { client in
            let json = #"{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"How often should the kettle be descaled?"}]}"#
            let (status, body) = try await client.post("/v1/chat/completions", json: json)
            #expect(status == 200, "\(body)")
            let completion = try decode(Completion.self, body)
            #expect(completion.object == "chat.completion" && completion.id.hasPrefix("chatcmpl-"))
            let choice = try #require(completion.choices.first)
            #expect(choice.message.role == "assistant" && choice.finish_reason == "stop")
            #expect(choice.message.content.contains("Descale it every month") && completion.ferret.extracted)
            let sources = try #require(choice.sources)
            #expect(!sources.isEmpty && sources.allSatisfy(\.verified))
            // Every extracted sentence quotes its passage; the span is the sentence as written there.
            #expect(sources.allSatisfy { $0.support == "quoted" && $0.span?.text.isEmpty == false }, "\(sources)")
            #expect(!completion.ferret.citations.isEmpty && completion.ferret.citations.allSatisfy { $0.support == "quoted" })
            #expect(completion.ferret.unsupported.isEmpty && !completion.ferret.mostly_unsupported)
            #expect(sources.first?.path?.hasSuffix("kettle.md") == true)
            #expect(choice.message.annotations.first?.type == "file_citation")
            #expect(choice.message.annotations.first?.filename.hasSuffix("kettle.md") == true)
        }
    }

    @Test func nothingRelevantAbstains() async throws {
        let fixture = try ServerFixture()
        defer { fixture.cleanup() }
        try await fixture.withClient { client in
            let (status, body) = try await client.post("/v1/chat/completions",
                                                       json: #"{"messages":[{"role":"user","content":"quantum chromodynamics"}]}"#)
            #expect(status == 200)
            let completion = try decode(Completion.self, body)
            #expect(completion.ferret.abstained && completion.choices.first?.message.content.contains("found nothing") == true)
            #expect(completion.choices.first?.sources?.isEmpty == true)

            let noQuestion = try await client.post("/v1/chat/completions", json: #"{"messages":[{"role":"system","content":"hi"}]}"#)
            #expect(try noQuestion.status == 400 && ErrorBody.decode(noQuestion.body).code == "no_question")
            let noModel = try await client.post("/v1/chat/completions",
                                                 json: #"{"messages":[{"role":"user","content":"hi"}],"retrieval":{"enabled":false}}"#)
            #expect(try noModel.status == 400 && ErrorBody.decode(noModel.body).code == "no_generator")
        }
    }

    /// The streamed deltas add up to the non-streamed answer (greedy), and the stream ends with sources and [DONE].
    @Test func streamedAnswerEqualsTheWholeOne() async throws {
        let fixture = try ServerFixture(generator: true)
        defer { fixture.cleanup() }
        try await fixture.withClient { client in
            let question = #""messages":[{"role":"user","content":"Does the kettle switch off by itself?"}],"max_tokens":6"#
            let whole = try decode(Completion.self, try await client.post("/v1/chat/completions", json: "{\(question)}").body)
            #expect(whole.model == "lfm2-tiny" && !whole.ferret.extracted)

            let (status, stream) = try await client.post("/v1/chat/completions", json: "{\(question),\"stream\":true}")
            #expect(status == 200)
            let events = stream.components(separatedBy: "\n\n").filter { !$0.isEmpty && !$0.hasPrefix(": ping") }
            #expect(events.allSatisfy { $0.hasPrefix("data: ") })
            #expect(events.last == "data: [DONE]")
            struct Chunk: Decodable {
                struct Choice: Decodable {
                    struct Delta: Decodable { let role: String?; let content: String? }
                    let delta: Delta
                    let finish_reason: String?
                    let sources: [Completion.Choice.Source]?
                }
                let object: String
                let choices: [Choice]
            }
            let chunks = try events.dropLast().map { try decode(Chunk.self, String($0.dropFirst(6))) }
            #expect(chunks.allSatisfy { $0.object == "chat.completion.chunk" })
            #expect(chunks.first?.choices.first?.delta.role == "assistant")
            #expect(chunks.last?.choices.first?.finish_reason == whole.choices.first?.finish_reason
                    && chunks.last?.choices.first?.sources != nil)
            let text = chunks.compactMap { $0.choices.first?.delta.content }.joined()
            #expect(text == whole.choices.first?.message.content)
        }
    }

    /// An answer waiting behind another keeps its connection alive with SSE comments.
    @Test func waitingStreamsArePinged() async throws {
        let fixture = try ServerFixture(generator: true, pingInterval: .milliseconds(10))
        defer { fixture.cleanup() }
        // A long answer ahead in the queue, until two seconds after the request went out (ample time for it to arrive).
        let release = DispatchSemaphore(value: 0)
        fixture.server.service.generatorWork.queue.async { release.wait() }
        try await fixture.withClient { client in
            let json = #"{"messages":[{"role":"user","content":"kettle?"}],"max_tokens":2,"stream":true}"#
            Task.detached {
                try? await Task.sleep(for: .seconds(2))
                release.signal()
            }
            let (status, stream) = try await client.post("/v1/chat/completions", json: json)
            #expect(status == 200)
            #expect(stream.hasPrefix(": ping\n\n"), "\(stream.prefix(80))")
            #expect(stream.hasSuffix("data: [DONE]\n\n"))
        }
    }
}
