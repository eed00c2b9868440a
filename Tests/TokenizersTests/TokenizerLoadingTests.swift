import Foundation
import TestSupport
import Testing
@testable import Tokenizers

/// The files around tokenizer.json, and the JSON reader itself.
struct TokenizerLoadingTests {
    static func folder(config: Any?, specialTokensMap: Any? = nil, jinja: String? = nil) throws -> URL {
        let folder = try Fixtures.temporaryDirectory()
        try JSONSerialization.data(withJSONObject: TokenizerErrorTests.tinyTokenizer())
            .write(to: folder.appendingPathComponent("tokenizer.json"))
        if let config {
            try JSONSerialization.data(withJSONObject: config).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        }
        if let specialTokensMap {
            try JSONSerialization.data(withJSONObject: specialTokensMap)
                .write(to: folder.appendingPathComponent("special_tokens_map.json"))
        }
        if let jinja { try Data(jinja.utf8).write(to: folder.appendingPathComponent("chat_template.jinja")) }
        return folder
    }

    static func load(config: Any?, specialTokensMap: Any? = nil, jinja: String? = nil) throws -> Tokenizer {
        let folder = try folder(config: config, specialTokensMap: specialTokensMap, jinja: jinja)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try Tokenizer.load(directory: folder)
    }

    @Test func chatTemplateComesFromTheJinjaFileFirst() throws {
        let config: [String: Any] = ["chat_template": "{{ from_config }}"]
        #expect(try Self.load(config: config).chatTemplateSource == "{{ from_config }}")
        #expect(try Self.load(config: config, jinja: "{{ from_file }}").chatTemplateSource == "{{ from_file }}")
        #expect(try Self.load(config: nil, jinja: "{{ only_file }}").chatTemplateSource == "{{ only_file }}")
        let named: [String: Any] = ["chat_template": [["name": "tool_use", "template": "A"], ["name": "default", "template": "B"]]]
        #expect(try Self.load(config: named).chatTemplateSource == "B")
        #expect(try Self.load(config: ["chat_template": [["name": "rag", "template": "C"]]]).chatTemplateSource == nil)
        #expect(try Self.load(config: nil).chatTemplateSource == nil)
    }

    @Test func specialTokensFromConfigAndMap() throws {
        // Tokens as strings or as serialized AddedToken objects; special_tokens_map.json wins, as in transformers.
        let config: [String: Any] = ["bos_token": ["__type": "AddedToken", "content": "a"], "eos_token": "<|end|>",
                                     "pad_token": NSNull()]
        let tokenizer = try Self.load(config: config, specialTokensMap: ["bos_token": ["content": "b"]])
        #expect(tokenizer.bosToken == "b" && tokenizer.bosTokenID == 98)
        #expect(tokenizer.eosToken == "<|end|>" && tokenizer.eosTokenID == 257)
        #expect(tokenizer.padToken == nil && tokenizer.padTokenID == nil)
        #expect(!tokenizer.addsBOS)
    }

    @Test func jsonParserReadsWhatTokenizersWrites() throws {
        let text = #"""
        {"a": [1, -2, 3.5, 1e3, 1000000000000000019884624838656, true, false, null],
         "s": "\ufeffbom \"q\" \\ \/ \b\f\n\r\t \u00e9 \ud83d\ude00 \ud800 é 😀", "dup": 1, "dup": 2, "empty": {}, "list": []}
        """#
        let value = try JSONFileParser.parse(Data(text.utf8))
        guard case .array(let numbers)? = value["a"], case .string(let string)? = value["s"] else {
            Issue.record("unexpected shape: \(value)")
            return
        }
        #expect(numbers.count == 8)
        if case .number(let big) = numbers[4] { #expect(big == 1e30) }
        #expect(string.unicodeScalars.first == "\u{FEFF}")
        #expect(string == "\u{FEFF}bom \"q\" \\ / \u{8}\u{C}\n\r\t é 😀 \u{FFFD} é 😀")
        if case .number(let dup)? = value["dup"] { #expect(dup == 2) }
        // A raw U+FEFF opening a string survives too (Foundation's JSONSerialization drops it on Linux).
        if case .string(let raw) = try JSONFileParser.parse(Data("\"\u{FEFF}x\"".utf8)) { #expect(raw.unicodeScalars.count == 2) }
    }

    @Test(arguments: ["", "{", "[1,", "{\"a\" 1}", "[1 2]", "tru", "\"abc", "\"\\x\"", "{\"a\":1}x", "-", "[\"\u{1}\"]"])
    func jsonParserRejectsMalformedText(_ text: String) {
        #expect(throws: JSONFileParser.Failure.self) { try JSONFileParser.parse(Data(text.utf8)) }
    }
}
