/// Problems with a model folder's configuration or with running it. Each names the file or the limit and says what
/// to do.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    case unreadableConfig(file: String, reason: String)
    case invalidConfig(file: String, field: String, problem: String)
    case unsupportedModel(file: String, detail: String)
    case contextOverflow(tokens: Int, limit: Int)
    case emptyInput
    case tokenOutOfRange(id: Int, vocabulary: Int)

    public var description: String {
        switch self {
        case .unreadableConfig(let file, let reason):
            return "cannot read \(file): \(reason). Point --model at a Hugging Face model folder that contains config.json."
        case .invalidConfig(let file, let field, let problem):
            return "\(file): field \"\(field)\" \(problem). Fix the value or download the model folder again."
        case .unsupportedModel(let file, let detail):
            return "\(file): \(detail)"
        case .contextOverflow(let tokens, let limit):
            return "the input is \(tokens) tokens but the model's context holds \(limit). "
                + "Shorten the prompt, lower --max-tokens, or raise --context."
        case .tokenOutOfRange(let id, let vocabulary):
            return "token id \(id) is outside the model's vocabulary of \(vocabulary) rows; the tokenizer does not belong to this model."
        case .emptyInput:
            return "the input has no tokens; give a non-empty prompt."
        }
    }
}
