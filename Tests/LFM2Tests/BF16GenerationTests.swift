import Foundation
import Kernels
import LFM2
import Testing
import TestSupport

/// The tiny causal fixture at its stored BF16 precision against transformers' float32 greedy continuations.
///
/// BF16 arithmetic moves the logits by a little, so where the reference's top two logits are nearly tied a BF16 run
/// may legitimately pick the other one. The continuation must be identical up to the first step whose reference
/// margin (top-1 minus top-2 logit, written by scripts/fixtures/lfm2.py) is below `marginThreshold`.
@Suite struct BF16GenerationTests {
    struct Reference: Decodable {
        struct Prompt: Decodable { let ids: [Int]; let logits: String; let greedy: [Int]; let greedy_margins: [Float] }
        struct Chat: Decodable { let prompt_ids: [Int]; let greedy: [Int]; let greedy_margins: [Float] }
        let prompts: [Prompt]
        let chat: Chat
    }

    /// Logit units. BF16 activations carry a relative error of 2⁻⁹ per rounding, which the random fixture (logits
    /// of a few units, no training to smooth it) amplifies to at most ~0.2; `logitsStayWithinTheThreshold` checks
    /// that the bound holds with a factor of two to spare.
    static let marginThreshold: Float = 0.4

    static let reference = try! Fixtures.decode(Reference.self, from: "lfm2-tiny-reference.json")
    static let model = try! LFM2Model.load(directory: Fixtures.url("lfm2-tiny"), precision: .auto)

    func greedy(_ ids: [Int], steps: Int) throws -> [Int] {
        let state = Self.model.makeSequence(capacity: ids.count + steps + 1)
        var logits = try Self.model.prefill(ids, state: state)
        var generated: [Int] = []
        for _ in 0..<steps {
            let next = logits.indices.max { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) }!
            generated.append(next)
            if next == 7 { break }
            try logits.withUnsafeMutableBufferPointer { try Self.model.decode(next, state: state, logits: $0.baseAddress!) }
        }
        return generated
    }

    @discardableResult
    func check(_ name: String, ids: [Int], expected: [Int], margins: [Float]) throws -> Int {
        #expect(margins.count == expected.count)
        let generated = try greedy(ids, steps: expected.count)
        let trusted = margins.firstIndex { $0 < Self.marginThreshold } ?? expected.count
        #expect(Array(generated.prefix(trusted)) == Array(expected.prefix(trusted)),
                "\(name): must match up to step \(trusted) (first margin below \(Self.marginThreshold)); expected \(expected), got \(generated)")
        return trusted
    }

    @Test(arguments: 0..<4) func greedyMatchesUpToTheFirstNearTie(index: Int) throws {
        let prompt = Self.reference.prompts[index]
        try check("prompt \(index)", ids: prompt.ids, expected: prompt.greedy, margins: prompt.greedy_margins)
    }

    @Test func chatGreedyMatchesUpToTheFirstNearTie() throws {
        let chat = Self.reference.chat
        try check("chat", ids: chat.prompt_ids, expected: chat.greedy, margins: chat.greedy_margins)
    }

    /// The random fixture has near-ties early; the comparison must still cover some steps.
    @Test func theReferenceLeavesStepsToCompare() {
        let margins = Self.reference.prompts.map(\.greedy_margins) + [Self.reference.chat.greedy_margins]
        let steps = margins.map { $0.firstIndex { $0 < Self.marginThreshold } ?? $0.count }.reduce(0, +)
        #expect(steps >= 5, "only \(steps) greedy steps lie before a near-tie")
    }

    /// The threshold is meaningful only if BF16 moves the logits by less: compare all prompt logits to the reference.
    @Test func logitsStayWithinTheThreshold() throws {
        var worst: Float = 0
        for prompt in Self.reference.prompts {
            let expected = try Fixtures.floats(prompt.logits)
            let actual = try Self.model.logits(allPositions: prompt.ids)
            worst = max(worst, zip(expected, actual).map { abs($0 - $1) }.max() ?? 0)
        }
        print("BF16 (\(KernelPath.current.rawValue)): largest logit difference to transformers F32 \(worst)")
        #expect(worst < Self.marginThreshold / 2, "BF16 logits moved by \(worst)")
    }

    @Test func storageFollowsThePrecision() throws {
        let auto = try LFM2Model.load(directory: Fixtures.url("lfm2-tiny"), precision: .auto)
        let wide = try LFM2Model.load(directory: Fixtures.url("lfm2-tiny"), precision: .f32)
        #expect(auto.weights.matrixBytes * 2 == wide.weights.matrixBytes)
        #expect(auto.weights.embedding.type == .bf16 && wide.weights.embedding.type == .f32)
    }
}
