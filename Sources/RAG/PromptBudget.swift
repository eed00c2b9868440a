/// How many tokens the answer prompt may take: everything the model reads (template, instructions, history, passages,
/// question) must fit in `contextTokens − maxAnswerTokens`, so the answer always has room to be generated.
public struct PromptBudget: Sendable, Equatable {
    /// The generator's context window (positions), e.g. the model's `maxPositions` or `--context`.
    public var contextTokens: Int
    /// Tokens reserved for the answer (`--max-tokens`).
    public var maxAnswerTokens: Int

    public init(contextTokens: Int, maxAnswerTokens: Int) {
        self.contextTokens = contextTokens
        self.maxAnswerTokens = maxAnswerTokens
    }

    /// The most tokens the rendered prompt may have.
    public var promptLimit: Int { contextTokens - maxAnswerTokens }

    /// Throws `RAGError.invalidBudget` when no prompt could fit.
    func validatedLimit() throws(RAGError) -> Int {
        guard contextTokens > 0, maxAnswerTokens >= 0, promptLimit > 0 else {
            throw .invalidBudget(contextTokens: contextTokens, maxAnswerTokens: maxAnswerTokens)
        }
        return promptLimit
    }
}
