/// How the next token is chosen. Temperature 0 is greedy. The filters run in Hugging Face's order: repetition
/// penalty, temperature, top-k, top-p, min-p; then a draw from what is left.
public struct SamplingParameters: Sendable, Equatable {
    public var temperature: Float
    /// 0 disables.
    public var topK: Int
    /// 1 disables.
    public var topP: Float
    /// 0 disables.
    public var minP: Float
    /// 1 disables. HF semantics: a seen token's positive logit is divided by it, a negative one multiplied.
    public var repetitionPenalty: Float
    public var seed: UInt64

    public init(temperature: Float = 0, topK: Int = 0, topP: Float = 1, minP: Float = 0,
                repetitionPenalty: Float = 1, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.seed = seed
    }

    public static let greedy = SamplingParameters()

    /// Describes the first out-of-range value, or nil when all are valid.
    public var problem: String? {
        if !(temperature >= 0) || !temperature.isFinite { return "temperature must be ≥ 0, got \(temperature)" }
        if topK < 0 { return "top-k must be ≥ 0, got \(topK)" }
        if !(topP > 0 && topP <= 1) { return "top-p must be in (0, 1], got \(topP)" }
        if !(minP >= 0 && minP <= 1) { return "min-p must be in [0, 1], got \(minP)" }
        if !(repetitionPenalty > 0) || !repetitionPenalty.isFinite { return "repeat penalty must be > 0, got \(repetitionPenalty)" }
        return nil
    }
}
