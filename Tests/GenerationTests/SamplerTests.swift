import Generation
import Testing

@Suite struct SamplerTests {
    func pick(_ logits: [Float], _ parameters: SamplingParameters, limit: Int? = nil, seen: [Int] = []) -> Int {
        var sampler = Sampler(parameters: parameters, vocabularyLimit: limit ?? logits.count)
        sampler.observe(seen)
        var copy = logits
        return copy.withUnsafeMutableBufferPointer { sampler.next(logits: $0.baseAddress!) }
    }

    @Test func greedyTakesTheFirstMaximum() {
        #expect(pick([0, 3, 1, 3], .greedy) == 1)
    }

    @Test func paddedVocabularyRowsAreNeverChosen() {
        // Row 4 is past the tokenizer's vocabulary: it has the largest logit but must not be produced.
        #expect(pick([0, 1, 2, 0, 9], .greedy, limit: 4) == 2)
        for seed in 0..<50 {
            #expect(pick([0, 1, 2, 0, 9], SamplingParameters(temperature: 5, seed: UInt64(seed)), limit: 4) < 4)
        }
    }

    @Test func repetitionPenaltyFollowsHuggingFace() {
        // Positive logits are divided, negative ones multiplied: 3/2 = 1.5 < 2, so token 2 wins.
        #expect(pick([3, -1, 2], SamplingParameters(repetitionPenalty: 2), seen: [0]) == 2)
        #expect(pick([3, -1, 2], .greedy, seen: [0]) == 0)
    }

    @Test func topKOneIsGreedyAndSeedsReproduce() {
        let logits: [Float] = [0.5, 2, 1.9, -1, 0]
        for seed in 0..<20 {
            #expect(pick(logits, SamplingParameters(temperature: 1, topK: 1, seed: UInt64(seed))) == 1)
        }
        let draws = (0..<30).map { pick(logits, SamplingParameters(temperature: 1.5, seed: UInt64($0))) }
        let again = (0..<30).map { pick(logits, SamplingParameters(temperature: 1.5, seed: UInt64($0))) }
        #expect(draws == again)
        #expect(Set(draws).count > 1, "sampling at temperature 1.5 should not always give one token")
    }

    @Test func minPAndTopPRemoveTheTail() {
        // Probabilities ∝ e^logit: token 0 dominates; min-p 0.5 keeps only tokens within half its probability.
        let logits: [Float] = [5, 4.9, 0, 0, 0]
        for seed in 0..<40 {
            #expect(pick(logits, SamplingParameters(temperature: 1, minP: 0.5, seed: UInt64(seed))) < 2)
            #expect(pick(logits, SamplingParameters(temperature: 1, topP: 0.9, seed: UInt64(seed))) < 2)
            #expect(pick(logits, SamplingParameters(temperature: 1, topK: 3, topP: 0.5, seed: UInt64(seed))) == 0)
        }
    }

    @Test func invalidSettingsAreNamed() {
        #expect(SamplingParameters(temperature: -1).problem?.contains("temperature") == true)
        #expect(SamplingParameters(topP: 0).problem?.contains("top-p") == true)
        #expect(SamplingParameters(minP: 2).problem?.contains("min-p") == true)
        #expect(SamplingParameters(repetitionPenalty: 0).problem?.contains("penalty") == true)
        #expect(SamplingParameters.greedy.problem == nil)
    }
}
