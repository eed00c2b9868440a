/// Why a chat template could not be parsed or rendered, and where (1-based line and column in the template text).
public enum ChatTemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The template text is not valid Jinja, or uses a construct outside the supported subset.
    case syntax(String, line: Int, column: Int)
    /// Rendering failed: an undefined value was used, a value had the wrong type, or an unsupported feature was hit.
    case render(String, line: Int, column: Int)
    /// The template called `raise_exception(message)`: it rejects these messages (roles, order, content).
    case raised(String, line: Int, column: Int)

    /// The message without position.
    public var message: String {
        switch self {
        case .syntax(let message, _, _), .render(let message, _, _), .raised(let message, _, _): return message
        }
    }

    /// 1-based line in the template text.
    public var line: Int {
        switch self {
        case .syntax(_, let line, _), .render(_, let line, _), .raised(_, let line, _): return line
        }
    }

    /// 1-based column (in Unicode scalars) in the template text.
    public var column: Int {
        switch self {
        case .syntax(_, _, let column), .render(_, _, let column), .raised(_, _, let column): return column
        }
    }

    public var description: String {
        switch self {
        case .syntax(let message, let line, let column):
            return "chat template syntax error at \(line):\(column): \(message). "
                + "Fix the template (chat_template.jinja or tokenizer_config.json \"chat_template\"), "
                + "or pass another one; the renderer supports the Jinja subset used by Hugging Face chat templates."
        case .render(let message, let line, let column):
            return "chat template failed at \(line):\(column): \(message). "
                + "Check the messages and variables passed to the template, or simplify the template there."
        case .raised(let message, let line, let column):
            return "chat template rejected the conversation (raise_exception at \(line):\(column)): \(message). "
                + "Change the messages to what this model's template accepts."
        }
    }
}
