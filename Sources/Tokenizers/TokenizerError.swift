import Foundation

/// Everything that can go wrong while loading a tokenizer folder. Each case names the file and says what to do.
///
/// Encoding and decoding never throw: once a tokenizer is loaded, every string encodes and every id list decodes
/// (unknown ids are skipped, as Hugging Face `tokenizers` does).
public enum TokenizerError: Error, CustomStringConvertible, Sendable {
    /// The file does not exist.
    case fileNotFound(URL)
    /// The file exists but could not be read.
    case unreadable(URL, reason: String)
    /// The file is not JSON, or is cut short.
    case invalidJSON(URL, reason: String)
    /// A field is missing or has the wrong shape; `path` is a JSON path such as `model.merges[12]`.
    case invalidField(URL, path: String, reason: String)
    /// The file describes something this module does not implement, e.g. a WordPiece model.
    case unsupported(URL, component: String, found: String)

    /// The file the error is about.
    public var file: URL {
        switch self {
        case .fileNotFound(let url), .unreadable(let url, _), .invalidJSON(let url, _),
             .invalidField(let url, _, _), .unsupported(let url, _, _):
            return url
        }
    }

    public var description: String {
        switch self {
        case .fileNotFound(let url):
            return "\(url.path): no such file. Point Tokenizer.load(directory:) at a Hugging Face model folder "
                + "that contains tokenizer.json (for example a downloaded LiquidAI/LFM2-350M)."
        case .unreadable(let url, let reason):
            return "\(url.path): cannot be read (\(reason)). Check the file's permissions."
        case .invalidJSON(let url, let reason):
            return "\(url.path): not valid JSON (\(reason)). The file is probably truncated or corrupted; "
                + "download it again."
        case .invalidField(let url, let path, let reason):
            return "\(url.path): field `\(path)` \(reason). The file does not look like a tokenizer written by "
                + "Hugging Face `tokenizers`; download it again or re-save it with `tokenizer.save_pretrained`."
        case .unsupported(let url, let component, let found):
            return "\(url.path): \(component) \(found) is not supported. Ferret reads byte-level BPE tokenizers "
                + "(the LFM2 / Llama-3 / GPT-2 family: ByteLevel alphabet, Split with a known regex, BPE merges); "
                + "use a model whose tokenizer.json is of that kind."
        }
    }
}
