/// Why generation ended.
public enum StopReason: String, Sendable, Codable {
    /// The model produced an end-of-sequence token (`<|im_end|>` for LFM2); it is not part of the output.
    case eos
    /// `maxTokens` were generated, or the context filled up.
    case length
    /// The caller asked to stop (a client went away).
    case cancelled
    /// The text reached one of the caller's stop strings (not part of the output).
    case stopSequence
}
