import Foundation
import LFM2

/// How a PyLate ColBERT folder turns text into vectors, read from its files: `modules.json` (which module is the
/// backbone, which are Dense projections, in order), `config_sentence_transformers.json` (prefixes, lengths, query
/// expansion, skiplist, default prompt), the backbone's `sentence_bert_config.json` (`do_lower_case`) and each Dense
/// folder's `config.json`. Keys PyLate does not find fall back to PyLate's own defaults, as in `ColBERT.__init__`.
public struct ColBERTConfig: Sendable, Equatable {
    /// Token inserted after BOS in every query (`"[Q] "`); empty means no prefix token.
    public var queryPrefix: String
    /// Token inserted after BOS in every document (`"[D] "`); empty means no prefix token.
    public var documentPrefix: String
    /// Query tokens including BOS and prefix: queries are truncated, and padded when `doQueryExpansion`.
    public var queryLength: Int
    /// Maximum document tokens including BOS and prefix.
    public var documentLength: Int
    /// Pad queries to `queryLength` with the pad (mask) token and keep a vector for every position.
    public var doQueryExpansion: Bool
    /// Whether the expansion (pad) tokens of a query are attended to as keys. Always false without expansion.
    public var attendToExpansionTokens: Bool
    /// Token strings whose vectors are dropped from documents (PyLate default: the 32 ASCII punctuation characters).
    public var skiplistWords: [String]
    /// The default prompt prepended to every text before tokenizing (`prompts[default_prompt_name]`), if any.
    public var prompt: String?
    /// `do_lower_case` of the backbone's sentence_bert_config.json.
    public var lowercases: Bool
    /// The backbone's folder relative to the model folder (`""` for the root).
    public var transformerPath: String
    /// The projections applied to the backbone's hidden states, in `modules.json` order.
    public var denseLayers: [DenseLayerConfig]

    /// PyLate's fallbacks (`ColBERT.__init__`) for keys missing from config_sentence_transformers.json.
    public static let defaultQueryPrefix = "[Q] "
    public static let defaultDocumentPrefix = "[D] "
    public static let defaultQueryLength = 32
    public static let defaultDocumentLength = 180
    /// Longest query or document length accepted (LFM2's whole context is 128,000 positions).
    public static let maximumLength = 1 << 17
    /// Python's `string.punctuation`.
    public static let defaultSkiplist = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".map(String.init)

    /// Reads the configuration files of the ColBERT folder at `directory`.
    public static func load(directory: URL) throws -> ColBERTConfig {
        let modules = try ModuleList.load(directory: directory)
        let settingsURL = directory.appendingPathComponent("config_sentence_transformers.json")
        guard FileManager.default.fileExists(atPath: settingsURL.path) else {
            throw ColBERTError.notAColBERTFolder(
                directory: directory.path,
                detail: "it has modules.json but no config_sentence_transformers.json, so its prefixes and lengths are "
                    + "unknown. Use a folder saved by PyLate (ColBERT.save), such as LiquidAI/LFM2-ColBERT-350M.")
        }
        let file = try JSONFile.read(settingsURL)
        let object = try file.object()
        if let type = try file.string("model_type", in: object), type != "ColBERT" {
            throw ColBERTError.notAColBERTFolder(
                directory: directory.path,
                detail: "config_sentence_transformers.json says model_type \"\(type)\", not \"ColBERT\". "
                    + "Ferret encodes with PyLate ColBERT models such as LiquidAI/LFM2-ColBERT-350M.")
        }

        let expansion = try file.bool("do_query_expansion", in: object) ?? true
        let attends = try file.bool("attend_to_expansion_tokens", in: object) ?? false
        var config = ColBERTConfig(
            queryPrefix: try file.string("query_prefix", in: object) ?? defaultQueryPrefix,
            documentPrefix: try file.string("document_prefix", in: object) ?? defaultDocumentPrefix,
            queryLength: try file.int("query_length", in: object) ?? defaultQueryLength,
            documentLength: try file.int("document_length", in: object) ?? defaultDocumentLength,
            doQueryExpansion: expansion,
            // PyLate: "If we do not do query expansion, we do not attend to the expansion tokens".
            attendToExpansionTokens: expansion && attends,
            skiplistWords: try file.strings("skiplist_words", in: object) ?? defaultSkiplist,
            prompt: try defaultPrompt(file: file, object: object),
            lowercases: false,
            transformerPath: modules.transformerPath,
            denseLayers: [])
        // Queries are padded to query_length, so a damaged value would allocate that many ids for every query.
        for (field, value) in [("query_length", config.queryLength), ("document_length", config.documentLength)]
        where !(1...maximumLength).contains(value) {
            throw ColBERTError.invalidField(file: file.path, field: field,
                                            problem: "is \(value), expected a length from 1 to \(maximumLength) tokens")
        }

        let transformerDirectory = directory.appendingPathComponent(modules.transformerPath, isDirectory: true)
        let sbertURL = transformerDirectory.appendingPathComponent("sentence_bert_config.json")
        if FileManager.default.fileExists(atPath: sbertURL.path) {
            let sbert = try JSONFile.read(sbertURL)
            config.lowercases = try sbert.bool("do_lower_case", in: sbert.object()) ?? false
        }
        config.denseLayers = try modules.densePaths.map {
            try DenseLayerConfig.load(directory: directory.appendingPathComponent($0, isDirectory: true), path: $0)
        }
        return config
    }

    /// sentence-transformers prepends `prompts[default_prompt_name]` to every text when a default is named.
    private static func defaultPrompt(file: JSONFile, object: [String: JSONValue]) throws -> String? {
        guard let name = try file.string("default_prompt_name", in: object) else { return nil }
        let prompts = object["prompts"]?.object ?? [:]
        guard let prompt = prompts[name]?.string else {
            throw ColBERTError.invalidField(file: file.path, field: "default_prompt_name",
                                            problem: "names \"\(name)\", which is not a key of \"prompts\"")
        }
        return prompt.isEmpty ? nil : prompt
    }
}
