import Foundation

/// What can go wrong talking to the Hub or installing what it sent. Each message says what failed and what to do.
public enum HubError: Error, CustomStringConvertible, Equatable {
    /// Offline mode is on: nothing may touch the network.
    case offline(command: String, reason: String)
    /// 401: no token, or a token that does not open this repository.
    case unauthorized(repository: String, hasToken: Bool, message: String?)
    /// 403 on a gated repository whose terms this account has not accepted.
    case gated(repository: String, message: String?)
    /// 404, told apart by the Hub's `X-Error-Code`.
    case repositoryNotFound(repository: String)
    case revisionNotFound(repository: String, revision: String)
    case fileNotFound(repository: String, file: String)
    /// Another status, or a transport failure that retries did not cure.
    case http(url: String, status: Int, message: String?)
    case transport(url: String, detail: String)
    /// The listing could not be understood.
    case badListing(repository: String, detail: String)
    /// A file whose bytes do not hash to what the Hub published. The file was deleted.
    case checksumMismatch(file: String, expected: String, actual: String)
    case sizeMismatch(file: String, expected: Int64, actual: Int64)
    /// The repository moved to another commit while files were being downloaded.
    case commitChanged(repository: String, expected: String, actual: String)
    /// Nothing in the repository is what Ferret runs, or `--include` matched nothing.
    case nothingToPull(repository: String, detail: String)
    /// Several GGUF files and no `:FILE` to say which.
    case chooseGGUF(repository: String, files: [String])
    case busy(repository: String, lock: String)
    case install(path: String, detail: String)

    public var description: String {
        switch self {
        case .offline(let command, let reason):
            return "offline mode is on (\(reason)=1), so nothing is downloaded. On a machine with internet run `\(command)`, "
                + "copy the model folder here and add it with `ferret models import FOLDER`."
        case .unauthorized(let repository, let hasToken, let message):
            let why = hasToken
                ? "the token in HF_TOKEN (or ~/.cache/huggingface/token) was refused or cannot see it"
                : "it is private or gated and no token was given"
            return "\(repository): the Hub answered 401 Unauthorized (\(why))\(message.map { ": " + $0 } ?? ""). "
                + "Set HF_TOKEN to a read token from https://huggingface.co/settings/tokens, or check the repository id."
        case .gated(let repository, let message):
            return "\(repository) is gated\(message.map { " (" + $0 + ")" } ?? ""): accept its terms on "
                + "https://huggingface.co/\(repository) with the account whose token is in HF_TOKEN, then pull again."
        case .repositoryNotFound(let repository):
            return "\(repository): no such model repository on the Hub. Check the spelling (OWNER/NAME, e.g. "
                + "LiquidAI/LFM2-ColBERT-350M); a private one needs HF_TOKEN."
        case .revisionNotFound(let repository, let revision):
            return "\(repository) has no revision \"\(revision)\" (a branch, tag or commit). Leave out --revision for main."
        case .fileNotFound(let repository, let file):
            return "\(repository) has no file \(file). `ferret models pull \(repository)` lists what it has when it "
                + "must choose."
        case .http(let url, let status, let message):
            return "\(url): the server answered HTTP \(status)\(message.map { ": " + $0 } ?? ""). Try again later; "
                + "a pull resumes where it stopped."
        case .transport(let url, let detail):
            return "\(url): \(detail). Check the connection (and https_proxy); run the same pull again to resume."
        case .badListing(let repository, let detail):
            return "\(repository): the Hub's file list could not be read (\(detail)). Is HF_ENDPOINT a Hugging Face Hub?"
        case .checksumMismatch(let file, let expected, let actual):
            return "\(file): the downloaded bytes hash to \(actual), not the \(expected) the Hub published; the file "
                + "was deleted and nothing was installed. Pull again; if it repeats, the mirror or a proxy alters files."
        case .sizeMismatch(let file, let expected, let actual):
            return "\(file): \(actual) bytes arrived where the Hub announced \(expected); the file was deleted and "
                + "nothing was installed. Pull again."
        case .commitChanged(let repository, let expected, let actual):
            return "\(repository) moved from commit \(expected.prefix(12)) to \(actual.prefix(12)) during the pull; run "
                + "it again (or pin one with --revision)."
        case .nothingToPull(let repository, let detail):
            return "\(repository): \(detail)"
        case .chooseGGUF(let repository, let files):
            return "\(repository) holds several GGUF files; name one, e.g. `ferret models pull \(repository):\(files[0])`. "
                + "Files: \(files.joined(separator: ", "))."
        case .busy(let repository, let lock):
            return "another `ferret models pull \(repository)` is running (it holds \(lock)); wait for it to finish."
        case .install(let path, let detail):
            return "\(path): \(detail)"
        }
    }
}
