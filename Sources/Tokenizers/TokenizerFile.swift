import Foundation

/// What a `tokenizer.json` says, checked and typed, before any table is built.
///
/// Only the byte-level BPE family is accepted: anything else throws `TokenizerError.unsupported` here, at load time,
/// so that encoding can never meet a component it does not implement.
struct TokenizerFile {
    var addedTokens: [AddedToken]
    var normalizer: Normalizer?
    var preTokenizer: PreTokenizer
    var postProcessor: PostProcessor
    var decoder: DecoderKind
    var model: BPEFile

    /// The BPE model section: `vocab` (token string → id) and `merges` in rank order.
    struct BPEFile {
        var vocab: [(token: String, id: Int)]
        var merges: [(left: String, right: String)]
        var ignoreMerges: Bool
        var byteFallback: Bool
        var unkToken: String?
        var fuseUnk: Bool
    }

    /// Ids must lie below this (2^24; LFM2 uses 64,400, the largest public vocabularies about 260,000): tables are
    /// indexed by id, so an id of 10^9 in a damaged file would otherwise allocate gigabytes.
    static let idLimit = 1 << 24

    /// `id` when it is a usable token id, else the error for `field`.
    static func checkedID(_ id: Int, _ field: JSONField) throws -> Int {
        guard id >= 0, id < idLimit else {
            throw field.fail("is \(id); token ids must be between 0 and \(idLimit - 1)")
        }
        return id
    }

    /// How ids become text: the ByteLevel decoder, or no decoder (tokens joined with spaces, as `tokenizers` does).
    enum DecoderKind {
        case byteLevel
        case joinWithSpaces
    }

    /// Reads and checks `tokenizer.json` at `url`.
    init(contentsOf url: URL, prefixSpaceOverride: Bool) throws {
        let json = try JSONField.load(url)
        guard case .object = json.value else { throw json.fail("should be an object") }
        addedTokens = try (json["added_tokens"]?.array() ?? []).map(AddedToken.init)
        normalizer = try json["normalizer"].map(Normalizer.init)
        preTokenizer = try PreTokenizer(json["pre_tokenizer"], file: url, prefixSpaceOverride: prefixSpaceOverride)
        model = try BPEFile(json.required("model"))
        decoder = try Self.decoder(json["decoder"])
        let (added, vocab) = (addedTokens, model.vocab)
        postProcessor = try PostProcessor(json["post_processor"]) { name in
            added.last { $0.content == name }?.id ?? vocab.first { $0.token == name }?.id
        }
    }

    private static func decoder(_ json: JSONField?) throws -> DecoderKind {
        guard let json else { return .joinWithSpaces }
        switch try json.type() {
        case "ByteLevel":
            return .byteLevel
        case "Sequence":
            // LFM2 wraps its single ByteLevel decoder in a Sequence.
            let steps = try json.required("decoders").array()
            guard steps.count == 1, try steps[0].type() == "ByteLevel" else {
                throw TokenizerError.unsupported(json.file, component: "decoder",
                                                 found: "Sequence of \(try steps.map { try $0.type() })")
            }
            return .byteLevel
        case let other:
            throw TokenizerError.unsupported(json.file, component: "decoder", found: "\"\(other)\"")
        }
    }
}

extension TokenizerFile.BPEFile {
    init(_ json: JSONField) throws {
        // Files written before `tokenizers` 0.9 have no `type`; their model is BPE when it has merges.
        let type = try json["type"]?.string() ?? (json["merges"] == nil ? "(none)" : "BPE")
        guard type == "BPE" else {
            throw TokenizerError.unsupported(json.file, component: "model type", found: "\"\(type)\"")
        }
        if let dropout = json["dropout"], case .number(let rate) = dropout.value, rate != 0 {
            throw TokenizerError.unsupported(json.file, component: "BPE option", found: "dropout (random merges)")
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = try json[key]?.string(), !value.isEmpty {
                throw TokenizerError.unsupported(json.file, component: "BPE option", found: key)
            }
        }
        let vocabJSON = try json.required("vocab")
        guard case .object(let entries) = vocabJSON.value else {
            throw vocabJSON.fail("should be an object mapping token strings to ids")
        }
        vocab = try entries.map { entry in
            guard case .number(let number) = entry.value, let id = Int(exactly: number), id >= 0 else {
                throw vocabJSON.child(entry.key, entry.value).fail("should be a non-negative integer id")
            }
            return (entry.key, try TokenizerFile.checkedID(id, vocabJSON.child(entry.key, entry.value)))
        }
        // Merges are read without a JSONField per entry (LFM2 has 64,000 of them); paths are built on error only.
        let mergesJSON = json["merges"]
        if let mergesJSON, case .array(let items) = mergesJSON.value {
            merges = try items.enumerated().map { index, item in
                guard let merge = Self.merge(item) else {
                    throw mergesJSON.element(index, item).fail("should be [\"left\", \"right\"] or \"left right\"")
                }
                return merge
            }
        } else if let mergesJSON {
            throw mergesJSON.fail("should be an array")
        } else {
            merges = []
        }
        ignoreMerges = try json.bool("ignore_merges", default: false)
        byteFallback = try json.bool("byte_fallback", default: false)
        unkToken = try json["unk_token"]?.string()
        fuseUnk = try json.bool("fuse_unk", default: false)
    }

    /// A merge is `["left", "right"]` (since `tokenizers` 0.20) or `"left right"`.
    private static func merge(_ value: ParsedJSON) -> (left: String, right: String)? {
        switch value {
        case .array(let pair):
            guard pair.count == 2, case .string(let left) = pair[0], case .string(let right) = pair[1] else {
                return nil
            }
            return (left, right)
        case .string(let line):
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        default:
            return nil
        }
    }
}

/// One entry of `added_tokens`, with the matching flags of `tokenizers`' `AddedToken`.
struct AddedToken {
    var id: Int
    var content: String
    var singleWord: Bool
    var lstrip: Bool
    var rstrip: Bool
    var normalized: Bool
    var special: Bool

    init(_ json: JSONField) throws {
        let idField = try json.required("id")
        id = try TokenizerFile.checkedID(idField.int(), idField)
        content = try json.required("content").string()
        special = try json.bool("special", default: false)
        singleWord = try json.bool("single_word", default: false)
        lstrip = try json.bool("lstrip", default: false)
        rstrip = try json.bool("rstrip", default: false)
        // `tokenizers` defaults `normalized` to the opposite of `special`.
        normalized = try json.bool("normalized", default: !special)
        guard !content.isEmpty else { throw json.fail("has an empty `content`") }
    }
}

/// The post-processor reduced to what it does to ids: tokens before and after the text when special tokens are added.
///
/// LFM2's is `Sequence[ByteLevel, TemplateProcessing(<|startoftext|> $A)]`; ByteLevel only trims offsets.
struct PostProcessor {
    var prefix: [Int] = []
    var suffix: [Int] = []

    /// `tokenID` finds a token the template names but `special_tokens` does not list (rare; a linear search).
    init(_ json: JSONField?, tokenID: (String) -> Int?) throws {
        guard let json else { return }
        switch try json.type() {
        case "ByteLevel":
            return
        case "Sequence":
            for step in try json.required("processors").array() {
                // Each step wraps the output of the previous one.
                let inner = try PostProcessor(step, tokenID: tokenID)
                prefix = inner.prefix + prefix
                suffix += inner.suffix
            }
        case "TemplateProcessing":
            try readTemplate(json, tokenID: tokenID)
        case let other:
            throw TokenizerError.unsupported(json.file, component: "post_processor", found: "\"\(other)\"")
        }
    }

    private mutating func readTemplate(_ json: JSONField, tokenID: (String) -> Int?) throws {
        let specials = json["special_tokens"]
        var seenSequence = false
        for piece in try json.required("single").array() {
            if piece["Sequence"] != nil {
                guard !seenSequence else { throw piece.fail("repeats the sequence of a single-text template") }
                seenSequence = true
                continue
            }
            let name = try piece.required("SpecialToken").required("id").string()
            // The template names a token; its ids live in `special_tokens`, else in the vocabulary.
            let ids: [Int]
            if let entry = specials?[name] {
                ids = try entry.required("ids").array().map { try TokenizerFile.checkedID($0.int(), $0) }
            } else if let id = tokenID(name) {
                ids = [id]
            } else {
                throw piece.fail("names special token \"\(name)\", which is neither in `special_tokens` nor in the "
                                 + "vocabulary")
            }
            if seenSequence { suffix += ids } else { prefix += ids }
        }
        guard seenSequence else { throw json.child("single", .null).fail("has no `Sequence` piece") }
    }
}
