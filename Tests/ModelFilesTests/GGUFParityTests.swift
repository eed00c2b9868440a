import Foundation
import Generation
import LFM2
import ModelFiles
import Testing
import TestSupport
import Tokenizers

/// GGUF files written by llama.cpp's own converter and quantiser (scripts/fixtures/gguf.py) against llama.cpp's
/// outputs on the same files and against transformers.
///
/// - F32 / F16 files of the tiny fixture: the tokenizer built from the file's metadata gives llama.cpp's (= Hugging
///   Face's) ids, the chat template renders as `apply_chat_template`, and the network's logits and greedy ids are the
///   safetensors folder's.
/// - Quantised files: Ferret quantises activations per block as llama.cpp does (Q8_0 / Q8_K), so its logits follow
///   llama.cpp's closely; both sit within a tolerance of the dequantised-F32 reference (gguf-py's dequantiser +
///   transformers); greedy ids equal llama.cpp's up to the first step where llama.cpp's own top-2 margin is below
///   `marginThreshold`.
@Suite struct GGUFParityTests {
    struct Reference: Decodable {
        struct Tokenization: Decodable { let text: String; let llama_ids: [Int]; let hf_ids: [Int] }
        struct Run: Decodable { let prompt: String; let prompt_ids: [Int]; let greedy: [Int]; let greedy_margins: [Float] }
        struct Outputs: Decodable { let logits: String; let runs: [Run] }
        struct Chat: Decodable { let messages: [[String: String]]; let text: String; let ids: [Int] }
        struct File: Decodable {
            let model_folder: String
            let tokenization: [Tokenization]
            let llama: Outputs
            let reference: Outputs
        }
        let chat: Chat
        let files: [String: File]
    }

    static let reference = try! Fixtures.decode(Reference.self, from: "gguf/reference.json")
    static let dense = ["lfm2-tiny-f32.gguf", "lfm2-tiny-f16.gguf"]
    static let quantised = ["lfm2-quant-tiny-q8_0.gguf", "lfm2-quant-tiny-q4_0.gguf", "lfm2-quant-tiny-q4_k_m.gguf",
                            "lfm2-quant-tiny-q6_k.gguf"]

    /// Logit units: a step whose llama.cpp margin is below this may flip on a last-bit difference in a summation.
    static let marginThreshold: Float = 0.05

    static func load(_ name: String) throws -> LanguageModelFiles {
        try LanguageModelFiles.load(argument: Fixtures.url("gguf/" + name).path)
    }

    /// Greedy ids (argmax, lowest id on ties, never stopping at EOS, as the fixture script does).
    static func greedy(_ model: LFM2Model, prompt: [Int], steps: Int) throws -> (ids: [Int], firstLogits: [Float]) {
        let state = model.makeSequence(capacity: prompt.count + steps + 1)
        var logits = try model.prefill(prompt, state: state)
        let first = logits
        var ids: [Int] = []
        for _ in 0..<steps {
            let next = logits.indices.max { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) }!
            ids.append(next)
            try logits.withUnsafeMutableBufferPointer { try model.decode(next, state: state, logits: $0.baseAddress!) }
        }
        return (ids, first)
    }

    @Test(arguments: dense + quantised) func tokenizerFromTheFileEncodesAsLlamaCpp(name: String) throws {
        let files = try Self.load(name)
        for case let entry in Self.reference.files[name]!.tokenization {
            #expect(files.tokenizer.encode(entry.text) == entry.llama_ids, "\(name): \(entry.text)")
        }
    }

    @Test(arguments: dense + quantised) func chatTemplateFromTheFileRendersAsHuggingFace(name: String) throws {
        let files = try Self.load(name)
        let generator = Generator(model: files.model, tokenizer: files.tokenizer)
        let messages = Self.reference.chat.messages.map { ChatMessage(role: $0["role"]!, content: $0["content"]!) }
        #expect(try generator.chatPromptIDs(messages) == Self.reference.chat.ids, "\(name)")
    }

    @Test(arguments: dense) func denseFilesMatchTheSafetensorsFolder(name: String) throws {
        let expected = Self.reference.files[name]!
        let gguf = try Self.load(name).model
        let folder = try LFM2Model.load(directory: Fixtures.url(expected.model_folder), precision: .f32)
        let referenceLogits = try Fixtures.floats("gguf/" + expected.reference.logits)
        for run in expected.reference.runs {
            let (ids, logits) = try Self.greedy(gguf, prompt: run.prompt_ids, steps: run.greedy.count)
            let trusted = run.greedy_margins.firstIndex { $0 < Self.marginThreshold } ?? run.greedy.count
            #expect(Array(ids.prefix(trusted)) == Array(run.greedy.prefix(trusted)), "\(name) \(run.prompt)")
            let (folderIDs, _) = try Self.greedy(folder, prompt: run.prompt_ids, steps: run.greedy.count)
            #expect(ids == folderIDs, "\(name) \(run.prompt): GGUF and folder disagree")
            if run.prompt == expected.reference.runs[0].prompt {
                let difference = Difference(expected: referenceLogits, actual: logits)
                print("\(name) logits vs transformers: \(difference)")
                #expect(difference.relative < 2e-3, "\(name): \(difference)")
            }
        }
    }

    /// Prefill (BF16 products on dequantised weights) lands at least as close to the dequantised-F32 reference as
    /// llama.cpp (Q8 activations) does; decode (Q8 activations, as llama.cpp) picks llama.cpp's tokens while its
    /// margins exceed the two runtimes' measured distance from each other's common reference.
    @Test(arguments: quantised) func quantisedFilesFollowLlamaCpp(name: String) throws {
        let expected = Self.reference.files[name]!
        let model = try Self.load(name).model
        let llamaLogits = try Fixtures.floats("gguf/" + expected.llama.logits)
        let referenceLogits = try Fixtures.floats("gguf/" + expected.reference.logits)
        let first = expected.llama.runs[0]
        let (_, logits) = try Self.greedy(model, prompt: first.prompt_ids, steps: 0)
        let ours = Difference(expected: referenceLogits, actual: logits)
        let theirs = Difference(expected: referenceLogits, actual: llamaLogits)
        print("\(name): Ferret vs dequantised F32 reference: \(ours)\n  llama.cpp vs the same: \(theirs)")
        #expect(ours.maxAbs <= theirs.maxAbs, "\(name): Ferret \(ours) is further from the reference than llama.cpp \(theirs)")
        // Two runtimes that each sit within these distances of the reference can disagree by their sum.
        let noise = ours.maxAbs + theirs.maxAbs
        for run in expected.llama.runs {
            let (ids, _) = try Self.greedy(model, prompt: run.prompt_ids, steps: run.greedy.count)
            let trusted = run.greedy_margins.firstIndex { $0 < noise } ?? run.greedy.count
            print("\(name) \(run.prompt): equal for \(zip(ids, run.greedy).prefix { $0 == $1 }.count), "
                  + "required \(trusted) (llama.cpp margins ≥ \(noise))")
            #expect(Array(ids.prefix(trusted)) == Array(run.greedy.prefix(trusted)), "\(name) \(run.prompt)")
        }
    }
}
