import Foundation
import Kernels
import LFM2
import Testing
import TestSupport
import Weights

/// The `lfm2_moe` forward pass against transformers 5.x (`Lfm2MoeForCausalLM`, float32, eager) on the tiny BF16
/// fixture written by scripts/fixtures/lfm2_moe.py: 8 experts, top-3, one dense block, a non-zero expert bias and a
/// routed scale of 1.7.
@Suite struct MixtureOfExpertsParityTests {
    struct Reference: Decodable {
        struct Prompt: Decodable {
            let ids: [Int]; let positions: [Int]; let logits: String; let greedy: [Int]; let greedy_margins: [Float]
        }
        let vocab_rows: Int
        let num_experts: Int
        let num_experts_per_tok: Int
        let num_dense_layers: Int
        let smallest_routing_gap: Float
        let decisions_changed_by_bias: Int
        let routing_decisions: Int
        let prompts: [Prompt]
    }

    /// Relative to the largest reference logit, as the dense parity tests: the same F32 arithmetic in another order
    /// (BLAS blocking, fused products) gives ~1e-6; 1e-4 leaves room for that and still catches any wrong weight,
    /// expert or routing factor (a swapped expert moves the logits by ~1e-1).
    static let f32Tolerance: Float = 1e-4
    /// Logit units, as BF16GenerationTests: BF16 weights at F32 activations move the fixture's logits by well under
    /// 0.2; greedy steps are compared up to the first reference margin below twice that.
    static let bf16Tolerance: Float = 0.2

    static let reference = try! Fixtures.decode(Reference.self, from: "lfm2-moe-reference.json")
    static let model = try! LFM2Model.load(directory: Fixtures.url("lfm2-moe-tiny"), precision: .f32)
    static let bf16 = try! LFM2Model.load(directory: Fixtures.url("lfm2-moe-tiny"), precision: .auto)

    /// The reference logits at the recorded positions of `allPositions`.
    func picked(_ all: [Float], positions: [Int], model: LFM2Model) -> [Float] {
        let v = model.logitCount
        return positions.flatMap { all[$0 * v ..< ($0 + 1) * v] }
    }

    func greedy(_ model: LFM2Model, _ ids: [Int], steps: Int) throws -> [Int] {
        let state = model.makeSequence(capacity: ids.count + steps + 1)
        var logits = try model.prefill(ids, state: state)
        var generated: [Int] = []
        for _ in 0..<steps {
            let next = logits.indices.max { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) }!
            generated.append(next)
            if next == 7 { break }
            try logits.withUnsafeMutableBufferPointer { try model.decode(next, state: state, logits: $0.baseAddress!) }
        }
        return generated
    }

    @Test func loadsTheMixtureConfigAndLayout() throws {
        let config = Self.model.config
        let experts = try #require(config.experts)
        #expect(experts.count == Self.reference.num_experts && experts.perToken == Self.reference.num_experts_per_tok)
        #expect(experts.denseLayers == Self.reference.num_dense_layers && experts.width == 24)
        #expect(experts.routedScale == 1.7 && experts.normalizesWeights && experts.usesExpertBias)
        #expect(config.ffnWidth == 96, "lfm2_moe's dense blocks use intermediate_size as-is")
        #expect(config.layerKinds.map(\.rawValue) == ["conv", "full_attention", "conv", "conv", "full_attention"])
        #expect(Self.model.logitCount == Self.reference.vocab_rows)
        for (index, block) in Self.model.weights.blocks.enumerated() {
            switch block.feedForward {
            case .dense: #expect(index < experts.denseLayers)
            case .experts(let moe):
                #expect(index >= experts.denseLayers && moe.experts.count == experts.count)
                #expect(moe.bias.map { $0.contains { $0 != 0 } } == true, "the fixture's expert bias is non-zero")
            }
        }
    }

    @Test(arguments: 0..<3) func logitsMatchTransformersAtF32(index: Int) throws {
        let prompt = Self.reference.prompts[index]
        let expected = try Fixtures.floats(prompt.logits)
        let actual = picked(try Self.model.logits(allPositions: prompt.ids), positions: prompt.positions, model: Self.model)
        let difference = Difference(expected: expected, actual: actual)
        print("lfm2_moe F32 prompt \(index): \(difference)")
        #expect(difference.relative < Self.f32Tolerance, "prompt \(index): \(difference)")
    }

    @Test(arguments: 0..<3) func greedyContinuationMatchesTransformersAtF32(index: Int) throws {
        let prompt = Self.reference.prompts[index]
        let generated = try greedy(Self.model, prompt.ids, steps: prompt.greedy.count)
        let firstMismatch = zip(prompt.greedy, generated).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(generated == prompt.greedy,
                "prompt \(index): first mismatch at \(firstMismatch ?? -1); expected \(prompt.greedy), got \(generated)")
    }

    /// Exact model: 1e-5 relative, as the dense test. At BF16 on an AVX512-BF16 CPU a prompt's products round their
    /// input to BF16 (`vdpbf16ps`) while decode's GEMV keeps it F32, so the two agree to BF16 precision only: there
    /// the bound is the BF16 logit tolerance.
    @Test(arguments: [false, true]) func prefillEqualsTokenByTokenDecode(bf16: Bool) throws {
        let model = bf16 ? Self.bf16 : Self.model
        func check(_ expected: [Float], _ actual: [Float], _ what: String) {
            let difference = Difference(expected: expected, actual: actual)
            print("lfm2_moe \(bf16 ? "BF16" : "F32") \(what): \(difference)")
            if bf16 {
                #expect(difference.maxAbs < Self.bf16Tolerance, "\(what): \(difference)")
            } else {
                #expect(difference.relative < 1e-5, "\(what): \(difference)")
            }
        }
        let ids = Self.reference.prompts[1].ids
        let allAtOnce = try model.prefill(ids, state: model.makeSequence(capacity: 64))
        let state = model.makeSequence(capacity: 64)
        var stepwise = try model.prefill([ids[0]], state: state)
        for id in ids.dropFirst() {
            try stepwise.withUnsafeMutableBufferPointer { try model.decode(id, state: state, logits: $0.baseAddress!) }
        }
        check(allAtOnce, stepwise, "prefill vs decode")
        // A prefill split in two chunks continues the same state.
        let chunked = model.makeSequence(capacity: 64)
        _ = try model.prefill(Array(ids.prefix(5)), state: chunked)
        let rest = try model.prefill(Array(ids.dropFirst(5)), state: chunked)
        check(allAtOnce, rest, "prefill in two chunks")
    }

    @Test func bf16StaysWithinItsTolerance() throws {
        var worst: Float = 0
        for (index, prompt) in Self.reference.prompts.enumerated() {
            let expected = try Fixtures.floats(prompt.logits)
            let actual = picked(try Self.bf16.logits(allPositions: prompt.ids), positions: prompt.positions, model: Self.bf16)
            worst = max(worst, Difference(expected: expected, actual: actual).maxAbs)
            let generated = try greedy(Self.bf16, prompt.ids, steps: prompt.greedy.count)
            let trusted = prompt.greedy_margins.firstIndex { $0 < 2 * Self.bf16Tolerance } ?? prompt.greedy.count
            #expect(Array(generated.prefix(trusted)) == Array(prompt.greedy.prefix(trusted)),
                    "prompt \(index): must match up to step \(trusted); expected \(prompt.greedy), got \(generated)")
        }
        print("lfm2_moe BF16 (\(KernelPath.current.rawValue)): largest logit difference to transformers F32 \(worst)")
        #expect(worst < Self.bf16Tolerance)
    }

    @Test func expertsStayInTheMemoryMapAtTheirStoredPrecision() throws {
        guard case .experts(let moe) = Self.bf16.weights.blocks.last?.feedForward else {
            Issue.record("the last block should be sparse")
            return
        }
        #expect(moe.experts.allSatisfy { $0.gate.type == .bf16 && $0.up.type == .bf16 && $0.down.type == .bf16 })
        #expect(moe.router.type == .f32, "the router is widened so BF16 rounding cannot swap an expert")
    }

    /// What makes the parity above meaningful: no routing decision of the reference run is near a tie (so rounding
    /// cannot swap an expert), and the expert bias changes many of them (so selecting without it would fail).
    @Test func theFixtureRoutesAwayFromTiesAndTheBiasMatters() {
        #expect(Self.reference.smallest_routing_gap >= 5e-4)
        #expect(Self.reference.decisions_changed_by_bias * 10 >= Self.reference.routing_decisions,
                "\(Self.reference.decisions_changed_by_bias) of \(Self.reference.routing_decisions)")
    }
}
