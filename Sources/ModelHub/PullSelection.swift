import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which of a repository's files a pull downloads: only what Ferret runs, never the whole repository (Hub
/// repositories often also carry ONNX exports, PyTorch `.bin` copies, every GGUF quantisation and images).
///
/// - `:FILE` names one file (a GGUF quantisation), pulled alone.
/// - `--include GLOB` (repeatable) takes exactly the files matching any pattern (`fnmatch`, `*` crossing `/` as
///   huggingface_hub's `allow_patterns` does).
/// - Otherwise: a safetensors model takes its weights and index, configs, tokenizer, chat template and the
///   sentence-transformers modules (`modules.json`, `*_Dense/`) that make a ColBERT encoder; a repository of GGUF
///   files takes its only GGUF, and asks which when there are several.
public enum PullSelection {
    /// Small files a model folder needs besides its weights.
    static let companionFiles: Set<String> = [
        "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
        "chat_template.jinja", "chat_template.json", "modules.json", "config_sentence_transformers.json",
        "sentence_bert_config.json", "README.md",
    ]

    public static func files(in listing: HubListing, file: String?, include: [String]) throws -> [HubFile] {
        if let file {
            guard let match = listing.files.first(where: { $0.path == file }) else {
                throw HubError.fileNotFound(repository: listing.repository, file: file)
            }
            return [match]
        }
        if !include.isEmpty {
            let chosen = listing.files.filter { candidate in include.contains { matches(candidate.path, pattern: $0) } }
            guard !chosen.isEmpty else {
                throw HubError.nothingToPull(repository: listing.repository, detail: "--include \(include.joined(separator: " ")) "
                    + "matched none of its files (\(listing.files.prefix(12).map(\.path).joined(separator: ", "))).")
            }
            return chosen
        }
        let weights = listing.files.filter { isSafetensors($0.path) }
        if !weights.isEmpty {
            return listing.files.filter { file in
                isSafetensors(file.path) || file.path.hasSuffix(".safetensors.index.json")
                    || companionFiles.contains(file.path)
                    || (isModuleFolderFile(file.path) && (isSafetensors(file.path) || file.path.hasSuffix(".json")))
            }
        }
        let ggufs = listing.files.map(\.path).filter { $0.lowercased().hasSuffix(".gguf") }.sorted()
        if ggufs.count == 1 { return listing.files.filter { $0.path == ggufs[0] } }
        if ggufs.count > 1 { throw HubError.chooseGGUF(repository: listing.repository, files: ggufs) }
        throw HubError.nothingToPull(repository: listing.repository, detail: "it holds no safetensors weights and no "
            + "GGUF file, so there is nothing Ferret can run (files: "
            + listing.files.prefix(12).map(\.path).joined(separator: ", ") + ").")
    }

    private static func isSafetensors(_ path: String) -> Bool { path.hasSuffix(".safetensors") }

    /// `1_Dense/config.json`: a sentence-transformers module folder (one level, named `N_Kind`).
    private static func isModuleFolderFile(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        guard parts.count == 2, let underscore = parts[0].firstIndex(of: "_") else { return false }
        return parts[0][..<underscore].allSatisfy(\.isNumber) && !parts[0][..<underscore].isEmpty
    }

    static func matches(_ path: String, pattern: String) -> Bool {
        fnmatch(pattern, path, 0) == 0
    }
}
