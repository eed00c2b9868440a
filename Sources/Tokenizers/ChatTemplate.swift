/// One message of a conversation, as Hugging Face chat templates receive it: `{"role": …, "content": …}`.
public struct ChatMessage: Sendable, Equatable {
    /// `system`, `user`, `assistant`, `tool` (templates may accept others).
    public var role: String
    /// The message text.
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// A Hugging Face chat template (the Jinja text in `chat_template.jinja` or `tokenizer_config.json`), parsed once
/// and rendered like `tokenizer.apply_chat_template(messages, tokenize=False)` in `transformers`: same Jinja
/// whitespace rules (`trim_blocks`, `lstrip_blocks`), same `tojson`, same variables.
///
/// ```swift
/// let template = try ChatTemplate(source: tokenizer.chatTemplateSource ?? "")
/// let prompt = try template.render(messages: [ChatMessage(role: "user", content: "Hi")],
///                                  addGenerationPrompt: true, bosToken: "<|startoftext|>", eosToken: "<|im_end|>")
/// // "<|startoftext|><|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
/// ```
/// The rendered text already holds the BOS token when the template writes it: tokenize it without adding another.
public struct ChatTemplate: Sendable {
    /// The template text as given.
    public let source: String
    private let nodes: [Jinja.Node]

    /// Parses `source`; throws `ChatTemplateError.syntax` with the line and column of the first problem.
    public init(source: String) throws {
        self.source = source
        nodes = try Jinja.Parser.parse(source)
    }

    /// Renders the conversation.
    /// - Parameters:
    ///   - messages: the conversation, oldest first.
    ///   - addGenerationPrompt: append the header that starts the assistant's reply (`add_generation_prompt`).
    ///   - bosToken: `bos_token` in the template; `nil` leaves it undefined (renders empty).
    ///   - eosToken: `eos_token` in the template; `nil` leaves it undefined.
    ///   - extra: more template variables (e.g. `"keep_past_thinking": "…"`); they override the ones above.
    /// - Throws: `ChatTemplateError.render` (undefined value used, type error) or `.raised` (`raise_exception`).
    public func render(messages: [ChatMessage], addGenerationPrompt: Bool,
                       bosToken: String?, eosToken: String?, extra: [String: String] = [:]) throws -> String {
        var variables = Self.variables(messages: messages, addGenerationPrompt: addGenerationPrompt,
                                       bosToken: bosToken, eosToken: eosToken)
        for (name, value) in extra { variables[name] = .string(value) }
        return try Jinja.Evaluator.render(nodes, variables: variables)
    }

    /// Renders with arbitrary variable values (booleans, numbers, lists, dicts), for callers inside the module.
    func render(variables: [String: Jinja.Value]) throws(ChatTemplateError) -> String {
        try Jinja.Evaluator.render(nodes, variables: variables)
    }

    /// What `apply_chat_template` passes: `messages`, `add_generation_prompt`, the special tokens, and
    /// `tools`/`documents` as `None` (defined, falsy) when not given.
    static func variables(messages: [ChatMessage], addGenerationPrompt: Bool, bosToken: String?,
                          eosToken: String?) -> [String: Jinja.Value] {
        var variables: [String: Jinja.Value] = [
            "messages": .list(messages.map { .dict(Jinja.Dict([("role", .string($0.role)), ("content", .string($0.content))])) }),
            "add_generation_prompt": .bool(addGenerationPrompt),
            "tools": .none,
            "documents": .none,
        ]
        if let bosToken { variables["bos_token"] = .string(bosToken) }
        if let eosToken { variables["eos_token"] = .string(eosToken) }
        return variables
    }
}
