/// What can stop an answer from being prepared. Each message says what happened and what to change.
public enum RAGError: Error, CustomStringConvertible, Equatable {
    /// The context leaves no room for a prompt once the answer's tokens are reserved.
    case invalidBudget(contextTokens: Int, maxAnswerTokens: Int)
    /// Instructions and question alone (no passages, no history) are over the prompt limit.
    case questionTooLong(tokens: Int, limit: Int)

    public var description: String {
        switch self {
        case .invalidBudget(let context, let answer):
            return "the context of \(context) tokens leaves no room for a prompt after reserving \(answer) for the "
                + "answer; raise --context or lower --max-tokens."
        case .questionTooLong(let tokens, let limit):
            return "the instructions and question alone take \(tokens) tokens, over the \(limit) left for the prompt "
                + "(context − max answer tokens); shorten the question, raise --context or lower --max-tokens."
        }
    }
}
