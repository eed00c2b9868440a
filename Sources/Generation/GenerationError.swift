/// Problems a generation request can have before the model runs.
public enum GenerationError: Error, CustomStringConvertible, Equatable {
    case emptyPrompt
    case noChatTemplate
    case invalidSampling(String)

    public var description: String {
        switch self {
        case .emptyPrompt:
            return "the prompt encodes to no tokens; give a non-empty prompt."
        case .noChatTemplate:
            return "the model folder has no chat template (chat_template.jinja or \"chat_template\" in tokenizer_config.json); "
                + "use --prompt for raw text, or download the instruct model's full folder."
        case .invalidSampling(let detail):
            return "invalid sampling settings: \(detail)."
        }
    }
}
