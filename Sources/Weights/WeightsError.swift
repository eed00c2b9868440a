import Foundation

/// Everything that can be wrong with a checkpoint on disk. Every case names the file (and the tensor where there is
/// one) and its description ends with what the user can do about it.
public enum WeightsError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    case truncated(file: String, detail: String)
    case badHeader(file: String, detail: String)
    case unsupportedDType(file: String, tensor: String, dtype: String)
    case sizeMismatch(file: String, tensor: String, shape: [Int], dtype: String, byteCount: Int)
    case overlapping(file: String, first: String, second: String)
    case badIndex(file: String, detail: String)
    case noWeights(directory: String)
    case missingTensor(name: String, source: String)
    case wrongShape(name: String, source: String, expected: [Int], actual: [Int])
    /// A GGUF tensor whose dimensions (ggml order, innermost first) disagree with the file's own metadata.
    case wrongGGUFShape(name: String, file: String, expected: [Int], actual: [Int])
    // GGUF (`GGUFFile`)
    case notGGUF(file: String, magic: String)
    case unsupportedGGUFVersion(file: String, version: UInt32)
    case badGGUF(file: String, detail: String)
    case badGGUFTensor(file: String, tensor: String, detail: String)
    case unknownGGMLType(file: String, tensor: String, id: UInt32)
    case missingMetadata(file: String, key: String)
    case wrongMetadataType(file: String, key: String, expected: String, actual: String)

    public var description: String {
        let redownload = "The file is damaged or was not written completely: download it again."
        switch self {
        case .unreadable(let file, let reason):
            return "cannot read \(file): \(reason). Check the path and the file's permissions."
        case .truncated(let file, let detail):
            return "\(file) is truncated: \(detail). \(redownload)"
        case .badHeader(let file, let detail):
            return "\(file) has an invalid safetensors header: \(detail). \(redownload)"
        case .unsupportedDType(let file, let tensor, let dtype):
            return "\(file): tensor '\(tensor)' has dtype \(dtype); Ferret reads F32, F16 and BF16. "
                + "Convert the checkpoint to one of those (the official LFM2 releases are BF16)."
        case .sizeMismatch(let file, let tensor, let shape, let dtype, let byteCount):
            return "\(file): tensor '\(tensor)' claims shape \(shape) of \(dtype) but its data range holds "
                + "\(byteCount) bytes. \(redownload)"
        case .overlapping(let file, let first, let second):
            return "\(file): the data of tensors '\(first)' and '\(second)' overlap. \(redownload)"
        case .badIndex(let file, let detail):
            return "\(file) is not a valid safetensors index: \(detail). Download the model folder again."
        case .noWeights(let directory):
            return "no model.safetensors or model.safetensors.index.json in \(directory). "
                + "Point --model at a Hugging Face model folder or repository id (`ferret models pull OWNER/NAME` downloads one)."
        case .missingTensor(let name, let source):
            return "tensor '\(name)' is missing from \(source). The checkpoint does not match its config.json, "
                + "or it is not an LFM2 model."
        case .wrongShape(let name, let source, let expected, let actual):
            return "tensor '\(name)' in \(source) has shape \(actual), expected \(expected) from config.json. "
                + "The checkpoint and its config.json disagree."
        case .wrongGGUFShape(let name, let file, let expected, let actual):
            func dims(_ d: [Int]) -> String { "{" + d.map(String.init).joined(separator: ", ") + "}" }
            return "tensor '\(name)' in \(file) has dimensions \(dims(actual)), expected \(dims(expected)) from the "
                + "file's own metadata. The file is damaged or was not written for this architecture: download it again."
        case .notGGUF(let file, let magic):
            return "\(file) is not a GGUF file: it starts with \(magic), not \"GGUF\". "
                + "Ferret reads GGUF files written by llama.cpp's converters and Hugging Face safetensors folders."
        case .unsupportedGGUFVersion(let file, let version):
            let hint = version > 0xFFFF && version & 0xFFFF == 0
                ? "This looks like a big-endian GGUF; Ferret reads little-endian files."
                : "Ferret reads GGUF versions 2 and 3: convert the model again with a current llama.cpp."
            return "\(file) is GGUF version \(version). " + hint
        case .badGGUF(let file, let detail):
            return "\(file) is not a valid GGUF file: \(detail). \(redownload)"
        case .badGGUFTensor(let file, let tensor, let detail):
            return "\(file): tensor '\(tensor)' \(detail). \(redownload)"
        case .unknownGGMLType(let file, let tensor, let id):
            let newest = GGMLType.allCases.map(\.rawValue).max() ?? 0
            let origin = id > newest ? "a type newer than Ferret (it knows ids up to \(newest))" : "a type removed from ggml"
            return "\(file): tensor '\(tensor)' has ggml type id \(id), \(origin). The file is damaged or was written by "
                + "another tool: download a standard quantisation (Q4_0, Q4_K_M, Q8_0, F16 or BF16)."
        case .missingMetadata(let file, let key):
            return "\(file) has no metadata key '\(key)'. The file is not a complete model for this architecture: "
                + "convert it again with a current llama.cpp."
        case .wrongMetadataType(let file, let key, let expected, let actual):
            return "\(file): metadata key '\(key)' is of type \(actual), expected \(expected). "
                + "The file does not follow llama.cpp's conventions: convert it again with a current llama.cpp."
        }
    }
}
