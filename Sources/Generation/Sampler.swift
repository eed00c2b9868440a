import Foundation

/// Picks next tokens from logits. Only ids below `vocabularyLimit` are ever chosen: the embedding rows past the
/// tokenizer's size are untrained padding (spec gotcha 16). Buffers are allocated once per sampler.
public struct Sampler {
    public let parameters: SamplingParameters
    public let vocabularyLimit: Int
    private var random: RandomSource
    private var candidates: [Int]
    private var probabilities: [Float]
    /// Tokens seen so far (prompt and output), for the repetition penalty.
    private var seen: Set<Int> = []

    public init(parameters: SamplingParameters, vocabularyLimit: Int) {
        self.parameters = parameters
        self.vocabularyLimit = vocabularyLimit
        random = RandomSource(seed: parameters.seed)
        candidates = Array(0..<vocabularyLimit)
        probabilities = [Float](repeating: 0, count: vocabularyLimit)
        seen.reserveCapacity(1024)
    }

    /// Records tokens for the repetition penalty (the prompt, then each chosen token).
    public mutating func observe<S: Sequence>(_ tokens: S) where S.Element == Int {
        guard parameters.repetitionPenalty != 1 else { return }
        for token in tokens { seen.insert(token) }
    }

    /// Chooses the next token; `logits` (at least `vocabularyLimit` values) may be modified.
    public mutating func next(logits: UnsafeMutablePointer<Float>) -> Int {
        let penalty = parameters.repetitionPenalty
        if penalty != 1 {
            for token in seen where token < vocabularyLimit {
                logits[token] = logits[token] > 0 ? logits[token] / penalty : logits[token] * penalty
            }
        }
        let chosen: Int
        if parameters.temperature == 0 {
            chosen = Self.argmax(logits, count: vocabularyLimit)
        } else {
            chosen = draw(logits)
        }
        if penalty != 1 { seen.insert(chosen) }
        return chosen
    }

    /// First index of the maximum, like `torch.argmax`.
    static func argmax(_ values: UnsafePointer<Float>, count: Int) -> Int {
        var best = 0
        var bestValue = -Float.infinity
        for i in 0..<count where values[i] > bestValue {
            best = i
            bestValue = values[i]
        }
        return best
    }

    private mutating func draw(_ logits: UnsafeMutablePointer<Float>) -> Int {
        let n = vocabularyLimit
        let inverseTemperature = 1 / parameters.temperature
        var maximum = -Float.infinity
        for i in 0..<n { maximum = max(maximum, logits[i] * inverseTemperature) }
        var total: Float = 0
        for i in 0..<n {
            let p = expf(logits[i] * inverseTemperature - maximum)
            probabilities[i] = p
            total += p
        }
        for i in 0..<n { probabilities[i] /= total }

        // Candidate set, best first. Top-k and top-p need an order; sort only what can survive.
        var count = n
        for i in 0..<n { candidates[i] = i }
        if parameters.minP > 0 && parameters.topK == 0 && parameters.topP >= 1 {
            // min-p alone: no order needed.
            let threshold = parameters.minP * probabilities[Self.argmax(probabilities, count: n)]
            count = 0
            for i in 0..<n where probabilities[i] >= threshold {
                candidates[count] = i
                count += 1
            }
        } else {
            let probs = probabilities
            candidates.withUnsafeMutableBufferPointer { buffer in
                let k = parameters.topK > 0 ? min(parameters.topK, n) : n
                // Ties keep the lower id first, so the kept set is deterministic.
                let ordered = buffer.sorted { probs[$0] > probs[$1] || (probs[$0] == probs[$1] && $0 < $1) }
                for i in 0..<k { buffer[i] = ordered[i] }
                count = k
            }
            if parameters.topK > 0 { count = renormalize(count) }
            if parameters.topP < 1 {
                // Smallest prefix whose mass reaches top-p (at least one token).
                var cumulative: Float = 0
                var keep = count
                for i in 0..<count {
                    cumulative += probabilities[candidates[i]]
                    if cumulative >= parameters.topP { keep = i + 1; break }
                }
                count = renormalize(keep)
            }
            if parameters.minP > 0 {
                let threshold = parameters.minP * probabilities[candidates[0]]
                var keep = 0
                while keep < count && probabilities[candidates[keep]] >= threshold { keep += 1 }
                count = max(keep, 1)
            }
        }
        count = renormalize(count)
        var target = Float(random.unit())
        for i in 0..<count {
            target -= probabilities[candidates[i]]
            if target < 0 { return candidates[i] }
        }
        return candidates[count - 1]
    }

    /// Rescales the first `count` candidates' probabilities to sum to 1; returns `count`.
    private mutating func renormalize(_ count: Int) -> Int {
        var total: Float = 0
        for i in 0..<count { total += probabilities[candidates[i]] }
        if total > 0 { for i in 0..<count { probabilities[candidates[i]] /= total } }
        return count
    }
}
