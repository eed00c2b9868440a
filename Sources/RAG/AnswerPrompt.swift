import Tokenizers

/// A prompt ready for the generator, and what had to give way to fit the budget.
public struct AnswerPrompt: Sendable {
    /// The conversation as rendered: system rules, kept history, then the user turn with passages and question.
    public var messages: [ChatMessage]
    /// The rendered template text (BOS included when the template writes it).
    public var text: String
    /// `text` tokenized without adding special tokens; never longer than the budget's `promptLimit`.
    public var promptIDs: [Int]
    /// The passages the model sees, numbered `[1]`, `[2]`, … in this order. A truncated passage carries the
    /// shortened text, so citations are checked against exactly what the model read.
    public var included: [RetrievedPassage]
    /// Passage ids left out entirely (lowest-ranked first to go), in their original order.
    public var dropped: [Int64]
    /// Passage ids included but cut short (at most one).
    public var truncated: [Int64]
    /// How many of the oldest history messages were left out.
    public var trimmedHistory: Int
    /// The limit the prompt was fitted to (`contextTokens − maxAnswerTokens`).
    public var promptLimit: Int

    /// Tokens in the prompt.
    public var promptTokens: Int { promptIDs.count }
}
