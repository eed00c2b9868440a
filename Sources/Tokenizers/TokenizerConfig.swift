import Foundation

/// What `transformers` reads next to tokenizer.json: `tokenizer_config.json`, `special_tokens_map.json` and
/// `chat_template.jinja`. All three are optional.
struct TokenizerConfig {
    var bosToken: String?
    var eosToken: String?
    var padToken: String?
    /// `clean_up_tokenization_spaces`; `transformers` 4.57 defaults it to false when the key is absent.
    var cleanUpTokenizationSpaces = false
    var chatTemplate: String?
    /// `add_prefix_space`, which `PreTrainedTokenizerFast` forces onto a top-level ByteLevel pre-tokenizer.
    var addPrefixSpace = false

    init(directory: URL) throws {
        let configURL = directory.appendingPathComponent("tokenizer_config.json")
        if FileManager.default.fileExists(atPath: configURL.path) {
            let config = try JSONField.load(configURL)
            bosToken = try Self.token(config["bos_token"])
            eosToken = try Self.token(config["eos_token"])
            padToken = try Self.token(config["pad_token"])
            cleanUpTokenizationSpaces = try config.bool("clean_up_tokenization_spaces", default: false)
            addPrefixSpace = try config.bool("add_prefix_space", default: false)
            chatTemplate = try Self.template(config["chat_template"])
        }
        // Like `from_pretrained`, special_tokens_map.json overrides the tokens of tokenizer_config.json.
        let mapURL = directory.appendingPathComponent("special_tokens_map.json")
        if FileManager.default.fileExists(atPath: mapURL.path) {
            let map = try JSONField.load(mapURL)
            bosToken = try Self.token(map["bos_token"]) ?? bosToken
            eosToken = try Self.token(map["eos_token"]) ?? eosToken
            padToken = try Self.token(map["pad_token"]) ?? padToken
        }
        // Newer folders keep the template in its own file, which wins over the config key.
        let templateURL = directory.appendingPathComponent("chat_template.jinja")
        if FileManager.default.fileExists(atPath: templateURL.path) {
            do {
                chatTemplate = try String(contentsOf: templateURL, encoding: .utf8)
            } catch {
                throw TokenizerError.unreadable(templateURL, reason: (error as NSError).localizedDescription)
            }
        }
    }

    /// A special token is written as a string, or as a serialized `AddedToken` object with a `content`.
    private static func token(_ json: JSONField?) throws -> String? {
        guard let json else { return nil }
        if let text = json.stringValue { return text }
        return try json.required("content").string()
    }

    /// A template string, or a list of `{name, template}` of which the one named `default` is the chat template.
    private static func template(_ json: JSONField?) throws -> String? {
        guard let json else { return nil }
        if let text = json.stringValue { return text }
        for entry in try json.array() where try entry.required("name").string() == "default" {
            return try entry.required("template").string()
        }
        return nil
    }
}
