import Foundation
import Testing
import TestSupport

/// `ferret generate` on the `lfm2_moe` fixture folder (LFM2-8B-A1B's architecture): the built binary against
/// `transformers.generate` (greedy, F32) from scripts/fixtures/lfm2_moe.py. ask, chat and serve load their
/// generator through the same `ModelLoading.generator`.
@Suite struct MixtureOfExpertsGenerateTests {
    struct Dense: Decodable { struct Prompt: Decodable { let text: String; let ids: [Int] }; let prompts: [Prompt] }
    struct Reference: Decodable { struct Prompt: Decodable { let ids: [Int]; let greedy: [Int] }; let prompts: [Prompt] }
    struct Output: Decodable { let prompt_ids: [Int]; let ids: [Int]; let stop: String }

    let model = Fixtures.url("lfm2-moe-tiny").path

    @Test func greedyPromptMatchesTransformers() throws {
        // The fixture's first prompt is the dense fixture's first prompt (same tokenizer files).
        let text = try Fixtures.decode(Dense.self, from: "lfm2-tiny-reference.json").prompts[0].text
        let prompt = try Fixtures.decode(Reference.self, from: "lfm2-moe-reference.json").prompts[0]
        let result = try FerretBinary.run(["generate", "--model", model, "--json", "--threads", "1", "--dtype", "f32",
                                           "--prompt", text, "--max-tokens", String(prompt.greedy.count)])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        #expect(output.prompt_ids == prompt.ids)
        #expect(output.ids == Array(prompt.greedy.prefix { $0 != 7 }))
    }

    @Test func chatRunsAtTheStoredPrecision() throws {
        let result = try FerretBinary.run(["generate", "--model", model, "--json", "--chat", "Hello", "--max-tokens", "8"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        #expect(!output.ids.isEmpty && output.prompt_ids.first == 1)
    }
}
