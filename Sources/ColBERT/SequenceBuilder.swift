import Foundation
import Tokenizers

/// Turns text into `ColBERTInput`s exactly as PyLate 1.6 does for one text at a time (`ColBERT.tokenize` on top of
/// sentence-transformers' `Transformer.tokenize` and the Hugging Face fast tokenizer):
///
/// 1. prepend the default prompt if the config names one; `str.strip()`; lowercase if `do_lower_case`;
/// 2. tokenize with the tokenizer's special tokens (LFM2: BOS first), truncating the text tokens so the whole sequence
///    is at most `length − 1` (the slot for the prefix token);
/// 3. queries with expansion: pad to `length − 1` with the mask token (EOS `<|im_end|>` for LFM2), mask 0 on pads;
/// 4. insert the prefix token id at index 1 with mask 1 — an id, not text;
/// 5. `attend_to_expansion_tokens` sets the whole mask to 1.
struct SequenceBuilder: Sendable {
    struct RoleSettings: Sendable {
        /// The prefix token's id, or nil when the prefix is the empty string.
        let prefixID: Int?
        /// Length of the tokenizer's output before the prefix is inserted (HF `max_length`).
        let tokenizerLength: Int
        /// Number of text tokens that fit.
        let textCapacity: Int
        let pads: Bool
    }

    let tokenizer: Tokenizer
    /// Special tokens the tokenizer puts before and after the text (LFM2: `[1]` and `[]`).
    let leadingSpecials: [Int]
    let trailingSpecials: [Int]
    let padID: Int
    let settings: TokenizerSettings
    let lowercases: Bool
    let prompt: String?
    let keepsAllQueryPositions: Bool
    let attendsToExpansion: Bool
    let skiplist: Set<Int>
    let query: RoleSettings
    let document: RoleSettings

    /// - Parameters: `modelDirectory` holds config_sentence_transformers.json, `tokenizerDirectory` tokenizer.json
    ///   (both only for error messages).
    init(config: ColBERTConfig, tokenizer: Tokenizer, settings: TokenizerSettings, modelDirectory: URL,
         tokenizerDirectory: URL) throws {
        let tokenizerFile = tokenizerDirectory.appendingPathComponent("tokenizer.json").path
        let settingsFile = modelDirectory.appendingPathComponent("config_sentence_transformers.json").path
        self.tokenizer = tokenizer
        self.settings = settings
        lowercases = config.lowercases
        prompt = config.prompt
        keepsAllQueryPositions = config.doQueryExpansion
        attendsToExpansion = config.attendToExpansionTokens

        // Where the post-processor puts its special tokens, found from one probe text.
        let plain = tokenizer.encode("a", addSpecialTokens: false)
        let full = tokenizer.encode("a", addSpecialTokens: true)
        guard let offset = (0...max(full.count - plain.count, 0)).first(where: {
            full.count >= plain.count && Array(full[$0..<$0 + plain.count]) == plain
        }) else {
            throw ColBERTError.unsupported(file: tokenizerFile, detail: "its post-processor changes the text tokens; "
                + "Ferret supports tokenizers that only add special tokens around the text")
        }
        leadingSpecials = Array(full[..<offset])
        trailingSpecials = Array(full[(offset + plain.count)...])

        // PyLate pads with the MASK token if the tokenizer has one, else with EOS, else with its pad token.
        let maskID = settings.maskToken.flatMap { tokenizer.id(forToken: $0) }
        guard let pad = maskID ?? tokenizer.eosTokenID ?? tokenizer.padTokenID else {
            throw ColBERTError.unsupported(file: tokenizerFile, detail: "the tokenizer has no mask, EOS or pad token, "
                + "which PyLate needs for query expansion")
        }
        padID = pad
        // PyLate's convert_tokens_to_ids; a word that is no single token can never match an id, so it is skipped.
        skiplist = Set(config.skiplistWords.compactMap { tokenizer.id(forToken: $0) })

        let specials = leadingSpecials.count + trailingSpecials.count
        func role(_ prefix: String, length: Int, pads: Bool, prefixField: String, lengthField: String) throws -> RoleSettings {
            var prefixID: Int?
            if !prefix.isEmpty {
                guard let id = tokenizer.id(forToken: prefix) else {
                    throw ColBERTError.missingToken(file: tokenizerFile, token: prefix, role: "\(prefixField) token")
                }
                prefixID = id
            }
            let tokenizerLength = prefixID == nil ? length : length - 1
            let capacity = tokenizerLength - specials
            guard capacity >= 1 else {
                throw ColBERTError.invalidField(file: settingsFile, field: lengthField,
                                                problem: "is \(length), which leaves no room for text after the special and prefix tokens")
            }
            return RoleSettings(prefixID: prefixID, tokenizerLength: tokenizerLength, textCapacity: capacity, pads: pads)
        }
        query = try role(config.queryPrefix, length: config.queryLength, pads: config.doQueryExpansion,
                         prefixField: "query prefix", lengthField: "query_length")
        document = try role(config.documentPrefix, length: config.documentLength, pads: false,
                            prefixField: "document prefix", lengthField: "document_length")
    }

    func settings(for role: TextRole) -> RoleSettings { role == .query ? query : document }

    /// The text's own token ids, untruncated (no special or prefix tokens).
    func textIDs(_ text: String) -> [Int] {
        var prepared = PythonStrip.strip((prompt ?? "") + text)
        if lowercases { prepared = prepared.lowercased() }
        return tokenizer.encode(prepared, addSpecialTokens: false)
    }

    func input(_ text: String, role: TextRole) -> ColBERTInput {
        let roleSettings = settings(for: role)
        var textIDs = textIDs(text)
        if textIDs.count > roleSettings.textCapacity {
            textIDs = settings.truncationSide == .right
                ? Array(textIDs.prefix(roleSettings.textCapacity)) : Array(textIDs.suffix(roleSettings.textCapacity))
        }
        var ids = leadingSpecials + textIDs + trailingSpecials
        var mask = [Bool](repeating: true, count: ids.count)
        if roleSettings.pads && ids.count < roleSettings.tokenizerLength {
            let padCount = roleSettings.tokenizerLength - ids.count
            let pads = [Int](repeating: padID, count: padCount), off = [Bool](repeating: false, count: padCount)
            if settings.paddingSide == .right {
                ids += pads
                mask += off
            } else {
                ids = pads + ids
                mask = off + mask
            }
        }
        if let prefixID = roleSettings.prefixID {
            // `insert_prefix_token`: cat(ids[:, :1], prefix, ids[:, 1:]).
            ids.insert(prefixID, at: min(1, ids.count))
            mask.insert(true, at: min(1, mask.count))
        }
        let kept: [Bool]
        switch role {
        case .query:
            if attendsToExpansion { mask = mask.map { _ in true } }
            kept = keepsAllQueryPositions ? mask.map { _ in true } : mask
        case .document:
            kept = zip(ids, mask).map { id, attended in attended && !skiplist.contains(id) }
        }
        return ColBERTInput(ids: ids, attentionMask: mask, kept: kept)
    }
}
