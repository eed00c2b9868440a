import Foundation

/// Everything that can be wrong with a ColBERT model folder. Each case names the file and says what to do.
public enum ColBERTError: Error, CustomStringConvertible, Equatable {
    /// The folder has no `modules.json`: a plain Hugging Face model (an LFM2 LM, say) or not a model at all.
    case notAColBERTFolder(directory: String, detail: String)
    case unreadable(file: String, reason: String)
    case invalidField(file: String, field: String, problem: String)
    case unsupported(file: String, detail: String)
    /// A prefix, pad or mask token the configuration names is not a token of the folder's tokenizer.
    case missingToken(file: String, token: String, role: String)
    /// A Dense layer whose input width does not match what feeds it.
    case shapeMismatch(file: String, detail: String)

    public var description: String {
        switch self {
        case .notAColBERTFolder(let directory, let detail):
            return "\(directory) is not a PyLate ColBERT folder: \(detail)"
        case .unreadable(let file, let reason):
            return "cannot read \(file): \(reason). Download the ColBERT model folder again "
                + "(`ferret models pull LiquidAI/LFM2-ColBERT-350M`)."
        case .invalidField(let file, let field, let problem):
            return "\(file): field \"\(field)\" \(problem). Fix the value or download the model folder again."
        case .unsupported(let file, let detail):
            return "\(file): \(detail)"
        case .missingToken(let file, let token, let role):
            return "\(file): the \(role) \"\(token)\" is not a token of this folder's tokenizer.json. PyLate would add it "
                + "with an untrained embedding row; use the tokenizer files saved with the ColBERT model."
        case .shapeMismatch(let file, let detail):
            return "\(file): \(detail). The Dense layers and the backbone of this folder do not belong together."
        }
    }
}
