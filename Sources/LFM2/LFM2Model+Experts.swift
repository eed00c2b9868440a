import Foundation
import Kernels

/// Scratch of the sparse feed-forward for up to `rows` tokens (part of a `Workspace`, so decode allocates nothing).
final class ExpertWorkspace {
    let perToken: Int
    let scores: Matrix                          // [T, E]   router logits, then sigmoid scores
    let chosen: UnsafeMutableBufferPointer<Int>   // [T, k]   each token's experts, ascending
    let weights: UnsafeMutableBufferPointer<Float> // [T, k] their routing weights
    let offsets: UnsafeMutableBufferPointer<Int>  // [E + 1] where each expert's tokens start in `routed`
    let routed: UnsafeMutableBufferPointer<Int>   // [T·k]  token rows grouped by expert, ascending within one
    let routedWeights: UnsafeMutableBufferPointer<Float> // [T·k]
    let gathered: Matrix                        // [T, H]   the rows routed to one expert
    let gate: Matrix                            // [max(T, k), W]  prefill: one expert's rows; decode: one row per chosen expert
    let up: Matrix                              // [max(T, k), W]
    let output: Matrix                          // [max(T, k), H]

    init(config: LFM2Config, experts: MixtureOfExpertsConfig, rows: Int) {
        let h = config.hiddenSize, k = experts.perToken, lanes = max(rows, k)
        perToken = k
        scores = Matrix(rows: rows, cols: experts.count)
        chosen = .allocate(capacity: rows * k)
        weights = .allocate(capacity: rows * k)
        offsets = .allocate(capacity: experts.count + 1)
        routed = .allocate(capacity: rows * k)
        routedWeights = .allocate(capacity: rows * k)
        gathered = Matrix(rows: rows, cols: h)
        gate = Matrix(rows: lanes, cols: experts.width)
        up = Matrix(rows: lanes, cols: experts.width)
        output = Matrix(rows: lanes, cols: h)
    }

    deinit {
        chosen.deallocate()
        weights.deallocate()
        offsets.deallocate()
        routed.deallocate()
        routedWeights.deallocate()
    }
}

extension LFM2Model {
    /// The routed experts of an `lfm2_moe` block (transformers `Lfm2MoeSparseMoeBlock`), `work.normed` →
    /// `work.mixed`: `Σₑ wₑ · w2ₑ(silu(w1ₑ·x) ⊙ w3ₑ·x)` over each token's chosen experts.
    ///
    /// One token (decode) runs the gate and up products of its k experts in one fork-join and then their k down
    /// products; other experts' bytes are never touched. A prompt groups the tokens routed to each expert, so each
    /// expert runs one matrix product over its rows. Either way a token's sum runs over its experts in ascending
    /// order, as transformers' `index_add_` loop does, so prefill and decode agree.
    func sparseFeedForward(_ moe: LFM2Weights.MixtureOfExperts, rows: Int, work: Workspace) {
        guard let settings = config.experts, let scratch = work.experts else {
            preconditionFailure("a sparse block needs an lfm2_moe config")
        }
        let h = config.hiddenSize, width = settings.width, k = settings.perToken, count = settings.count
        LinearAlgebra.linear(work.normed.data, rows: rows, weight: moe.router, into: scratch.scores.data)
        for t in 0..<rows {
            route(scores: scratch.scores.row(t), bias: moe.bias, settings: settings,
                  chosen: scratch.chosen.baseAddress! + t * k, weights: scratch.weights.baseAddress! + t * k)
        }
        work.mixed.data.update(repeating: 0, count: rows * h)

        if rows == 1 {
            var products: [LinearAlgebra.Product] = []
            products.reserveCapacity(2 * k)
            for j in 0..<k {
                let expert = moe.experts[scratch.chosen[j]]
                products.append(.init(expert.gate, into: scratch.gate.row(j)))
                products.append(.init(expert.up, into: scratch.up.row(j)))
            }
            LinearAlgebra.linear(work.normed.data, rows: 1, products: products)
            Elementwise.siluMultiply(gate: scratch.gate.data, up: scratch.up.data, count: k * width,
                                     into: scratch.gate.data)
            for j in 0..<k {
                LinearAlgebra.linear(scratch.gate.row(j), rows: 1, weight: moe.experts[scratch.chosen[j]].down,
                                     into: scratch.output.row(j))
                accumulate(scratch.output.row(j), weight: scratch.weights[j], into: work.mixed.data, count: h)
            }
            return
        }

        // Counting sort of the (token, expert) pairs by expert; tokens stay ascending within an expert.
        let offsets = scratch.offsets
        offsets.update(repeating: 0)
        for i in 0..<rows * k { offsets[scratch.chosen[i] + 1] += 1 }
        for e in 0..<count { offsets[e + 1] += offsets[e] }
        var cursor = Array(offsets.prefix(count))   // a prompt pass may allocate; decode returned above
        for t in 0..<rows {
            for j in 0..<k {
                let e = scratch.chosen[t * k + j]
                scratch.routed[cursor[e]] = t
                scratch.routedWeights[cursor[e]] = scratch.weights[t * k + j]
                cursor[e] += 1
            }
        }
        for e in 0..<count where offsets[e + 1] > offsets[e] {
            let first = offsets[e], n = offsets[e + 1] - first
            for i in 0..<n {
                scratch.gathered.row(i).update(from: work.normed.row(scratch.routed[first + i]), count: h)
            }
            let expert = moe.experts[e]
            LinearAlgebra.linear(scratch.gathered.data, rows: n, products: [
                .init(expert.gate, into: scratch.gate.data), .init(expert.up, into: scratch.up.data)])
            Elementwise.siluMultiply(gate: scratch.gate.data, up: scratch.up.data, count: n * width,
                                     into: scratch.gate.data)
            LinearAlgebra.linear(scratch.gate.data, rows: n, weight: expert.down, into: scratch.output.data)
            for i in 0..<n {
                accumulate(scratch.output.row(i), weight: scratch.routedWeights[first + i],
                           into: work.mixed.row(scratch.routed[first + i]), count: h)
            }
        }
    }

    /// `Lfm2MoeSparseMoeBlock.route_tokens_to_experts` for one token, in F32: sigmoid scores; the top k of
    /// `score + bias` (ties to the lower expert, as `torch.topk` on CPU); weights from the unbiased scores, divided
    /// by their sum + 1e-6 when `norm_topk_prob`, times `routed_scaling_factor`. Writes the experts in ascending
    /// order with their weights. transformers runs this in the model dtype (BF16 for a BF16 model: only the bias
    /// addition is promoted to F32 by the F32 `expert_bias` buffer); Ferret's activations are F32 at every precision.
    func route(scores: UnsafeMutablePointer<Float>, bias: [Float]?, settings: MixtureOfExpertsConfig,
               chosen: UnsafeMutablePointer<Int>, weights: UnsafeMutablePointer<Float>) {
        let k = settings.perToken
        for e in 0..<settings.count { scores[e] = 1 / (1 + expf(-scores[e])) }
        // Insertion into the k best so far, best first (k is small: 4 of 32 in LFM2-8B-A1B).
        var filled = 0
        for e in 0..<settings.count {
            let key = scores[e] + (bias?[e] ?? 0)
            if filled == k, key <= scores[chosen[k - 1]] + (bias?[chosen[k - 1]] ?? 0) { continue }
            var slot = min(filled, k - 1)
            while slot > 0, key > scores[chosen[slot - 1]] + (bias?[chosen[slot - 1]] ?? 0) {
                chosen[slot] = chosen[slot - 1]
                slot -= 1
            }
            chosen[slot] = e
            filled = min(filled + 1, k)
        }
        // The sum runs in the reference's order (best first), before the experts are sorted.
        var sum: Float = 0
        for j in 0..<k { sum += scores[chosen[j]] }
        let divisor = settings.normalizesWeights ? sum + 1e-6 : 1
        for j in 1..<max(k, 1) {   // insertion sort by expert id
            var slot = j
            let e = chosen[j]
            while slot > 0, chosen[slot - 1] > e { chosen[slot] = chosen[slot - 1]; slot -= 1 }
            chosen[slot] = e
        }
        for j in 0..<k { weights[j] = scores[chosen[j]] / divisor * settings.routedScale }
    }

    /// `y += weight · x` over `count` values.
    private func accumulate(_ x: UnsafePointer<Float>, weight: Float, into y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] += x[i] * weight }
    }
}
