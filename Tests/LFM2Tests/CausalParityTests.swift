import Foundation
import Kernels
import LFM2
import Testing
import TestSupport

/// The Swift forward pass against `transformers` (float32, eager) on the tiny BF16 fixture checkpoint.
@Suite struct CausalParityTests {
    struct Reference: Decodable {
        struct Prompt: Decodable { let text: String; let ids: [Int]; let logits: String; let hidden_states: String; let greedy: [Int] }
        let vocab_rows: Int
        let prompts: [Prompt]
    }

    static let reference = try! Fixtures.decode(Reference.self, from: "lfm2-tiny-reference.json")
    static let model = try! LFM2Model.load(directory: Fixtures.url("lfm2-tiny"), precision: .f32)

    @Test func loadsTheCheckpointShapes() {
        let config = Self.model.config
        #expect(config.layerKinds.map(\.rawValue) == ["conv", "full_attention", "conv", "conv", "full_attention", "conv"])
        #expect(config.ffnWidth == 160, "auto-adjusted FFN width: int(2·200/3)=133 rounded up to a multiple of 32")
        #expect(config.kvHeadCount == 2 && config.headCount == 4 && config.headDim == 16)
        #expect(Self.model.logitCount == Self.reference.vocab_rows)
    }

    @Test(arguments: 0..<4) func logitsMatchEveryPosition(index: Int) throws {
        let prompt = Self.reference.prompts[index]
        let expected = try Fixtures.floats(prompt.logits)
        let actual = try Self.model.logits(allPositions: prompt.ids)
        let difference = Difference(expected: expected, actual: actual)
        #expect(difference.relative < 1e-4, "prompt \(index): \(difference)")
    }

    @Test func prefillEqualsTokenByTokenDecode() throws {
        let ids = Self.reference.prompts[1].ids
        let allAtOnce = try Self.model.prefill(ids, state: Self.model.makeSequence(capacity: 64))
        let state = Self.model.makeSequence(capacity: 64)
        var stepwise = try Self.model.prefill([ids[0]], state: state)
        for id in ids.dropFirst() {
            stepwise.withUnsafeMutableBufferPointer { buffer in
                try! Self.model.decode(id, state: state, logits: buffer.baseAddress!)
            }
        }
        let difference = Difference(expected: allAtOnce, actual: stepwise)
        #expect(difference.relative < 1e-5, "\(difference)")
        // A prefill split in two chunks continues the same state.
        let chunked = Self.model.makeSequence(capacity: 64)
        _ = try Self.model.prefill(Array(ids.prefix(5)), state: chunked)
        let rest = try Self.model.prefill(Array(ids.dropFirst(5)), state: chunked)
        #expect(Difference(expected: allAtOnce, actual: rest).relative < 1e-5)
    }

    @Test(arguments: 0..<4) func greedyContinuationMatchesTransformers(index: Int) throws {
        let prompt = Self.reference.prompts[index]
        let state = Self.model.makeSequence(capacity: prompt.ids.count + prompt.greedy.count + 1)
        var logits = try Self.model.prefill(prompt.ids, state: state)
        var generated: [Int] = []
        for _ in prompt.greedy.indices {
            let next = logits.indices.max { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) }!
            generated.append(next)
            if next == 7 { break }
            logits.withUnsafeMutableBufferPointer { try! Self.model.decode(next, state: state, logits: $0.baseAddress!) }
        }
        let expected = prompt.greedy
        let firstMismatch = zip(expected, generated).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(generated.prefix(expected.count) == expected[...],
                "prompt \(index): first mismatch at \(firstMismatch ?? -1); expected \(expected), got \(generated)")
        #expect(expected.count >= 32)
    }

    @Test func hiddenStatesMatchPerBlock() throws {
        // Localises a divergence to a block: compare the final-normed output against HF's last hidden state.
        let prompt = Self.reference.prompts[0]
        let all = try Fixtures.floats(prompt.hidden_states)
        let h = Self.model.config.hiddenSize, t = prompt.ids.count
        let last = Array(all.suffix(t * h))   // HF's last entry is after the final norm
        let encoded = try Self.model.encode(prompt.ids).toArray()
        #expect(Difference(expected: last, actual: encoded).relative < 1e-4)
    }

    @Test func shardedFolderLoadsTheSameWeights() throws {
        let sharded = try LFM2Model.load(directory: Fixtures.url("lfm2-tiny-sharded"), precision: .f32)
        let ids = Self.reference.prompts[2].ids
        let a = try Self.model.logits(allPositions: ids), b = try sharded.logits(allPositions: ids)
        #expect(a == b)
    }

    @Test func promptLongerThanTheContextIsRefused() throws {
        let ids = [Int](repeating: 5, count: Self.model.config.maxPositions + 1)
        #expect(throws: ModelError.contextOverflow(tokens: ids.count, limit: Self.model.config.maxPositions)) {
            _ = try Self.model.prefill(ids, state: Self.model.makeSequence(capacity: 100_000))
        }
        #expect(throws: ModelError.self) { _ = try Self.model.prefill([1, 99_999], state: Self.model.makeSequence()) }
    }
}
