import Foundation
import Testing
import TestSupport

/// `ferret generate` end to end on the fixture model: the built binary against `transformers.generate` (greedy).
@Suite struct GenerateCommandTests {
    struct Reference: Decodable {
        struct Prompt: Decodable { let text: String; let ids: [Int]; let greedy: [Int] }
        struct Chat: Decodable { let text: String; let prompt_ids: [Int]; let greedy: [Int] }
        let prompts: [Prompt]
        let chat: Chat
    }

    struct Output: Decodable { let prompt_ids: [Int]; let ids: [Int]; let text: String; let stop: String }

    static let reference = try! Fixtures.decode(Reference.self, from: "lfm2-tiny-reference.json")
    let model = Fixtures.url("lfm2-tiny").path

    func generate(_ arguments: [String]) throws -> Output {
        // F32: token for token what transformers picks (BF16 is compared up to near-ties in BF16GenerationTests).
        let result = try FerretBinary.run(["generate", "--model", model, "--json", "--threads", "1", "--dtype", "f32"] + arguments)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        return try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
    }

    @Test func greedyPromptMatchesTransformers() throws {
        let prompt = Self.reference.prompts[0]
        let output = try generate(["--prompt", prompt.text, "--max-tokens", String(prompt.greedy.count)])
        #expect(output.prompt_ids == prompt.ids)
        #expect(output.ids == Array(prompt.greedy.prefix { $0 != 7 }))
        #expect(output.stop == (prompt.greedy.contains(7) ? "eos" : "length"))
    }

    @Test func greedyChatMatchesTransformers() throws {
        let chat = Self.reference.chat
        let output = try generate(["--chat", chat.text, "--max-tokens", String(chat.greedy.count)])
        #expect(output.prompt_ids == chat.prompt_ids, "chat template rendering or tokenization differs")
        #expect(output.ids == Array(chat.greedy.prefix { $0 != 7 }))
    }

    @Test func streamsTheSameTextItReturns() throws {
        let prompt = Self.reference.prompts[1]
        let json = try generate(["--prompt", prompt.text, "--max-tokens", "20"])
        let streamed = try FerretBinary.run(["generate", "--model", model, "--prompt", prompt.text, "--max-tokens", "20"])
        #expect(streamed.status == 0)
        #expect(streamed.stdout == json.text + "\n")
        #expect(streamed.stderr.contains("tok/s"))
    }

    @Test func sampledRunsRepeatWithASeed() throws {
        let args = ["--prompt", "Hello", "--max-tokens", "16", "--temperature", "0.8", "--top-k", "40", "--top-p", "0.95",
                    "--min-p", "0.05", "--repeat-penalty", "1.05", "--seed", "7"]
        let a = try generate(args), b = try generate(args)
        #expect(a.ids == b.ids && !a.ids.isEmpty)
    }

    @Test func promptLongerThanTheContextIsAClearError() throws {
        let long = String(repeating: "the quick brown fox ", count: 600)
        let result = try FerretBinary.run(["generate", "--model", model, "--prompt", long, "--max-tokens", "4"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error:") && result.stderr.contains("context"), "\(result.stderr)")
        let small = try FerretBinary.run(["generate", "--model", model, "--prompt", "Hello world", "--context", "2"])
        #expect(small.status == 1 && small.stderr.contains("context"))
    }

    @Test func badArgumentsAreRefused() throws {
        let both = try FerretBinary.run(["generate", "--model", model, "--prompt", "a", "--chat", "b"])
        #expect(both.status != 0 && both.stderr.contains("exactly one"))
        let temperature = try FerretBinary.run(["generate", "--model", model, "--prompt", "a", "--temperature", "-1"])
        #expect(temperature.status != 0 && temperature.stderr.contains("temperature"))
    }
}
