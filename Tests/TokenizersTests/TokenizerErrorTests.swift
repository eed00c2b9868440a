import Foundation
import TestSupport
import Testing
@testable import Tokenizers

/// What `Tokenizer.load` says about folders it cannot use: always a `TokenizerError` that names the file.
struct TokenizerErrorTests {
    /// A minimal valid byte-level BPE tokenizer.json: the 256 byte tokens and one merge, `a` + `b`.
    static func tinyTokenizer() -> [String: Any] {
        var vocab: [String: Any] = [:]
        for byte in 0..<256 { vocab[String(ByteLevel.character[byte])] = byte }
        vocab["ab"] = 256
        vocab["<|end|>"] = 257
        return [
            "version": "1.0",
            "added_tokens": [["id": 257, "content": "<|end|>", "special": true, "normalized": false]],
            "normalizer": NSNull(),
            "pre_tokenizer": ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true],
            "post_processor": NSNull(),
            "decoder": ["type": "ByteLevel"],
            "model": ["type": "BPE", "vocab": vocab, "merges": [["a", "b"]]],
        ]
    }

    /// Writes `tokenizer.json` (and optionally other files) into a fresh folder and loads it.
    static func load(_ tokenizer: Any?, rawTokenizer: Data? = nil, extraFiles: [String: Data] = [:]) throws -> Tokenizer {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        if let rawTokenizer {
            try rawTokenizer.write(to: folder.appendingPathComponent("tokenizer.json"))
        } else if let tokenizer {
            try JSONSerialization.data(withJSONObject: tokenizer).write(to: folder.appendingPathComponent("tokenizer.json"))
        }
        for (name, data) in extraFiles { try data.write(to: folder.appendingPathComponent(name)) }
        return try Tokenizer.load(directory: folder)
    }

    /// Loads `tokenizer` expecting an error about `file`; returns its description for further checks.
    static func expectError(_ file: String = "tokenizer.json", _ body: () throws -> Tokenizer,
                            sourceLocation: SourceLocation = #_sourceLocation) -> String {
        do {
            _ = try body()
            Issue.record("loading succeeded, an error about \(file) was expected", sourceLocation: sourceLocation)
            return ""
        } catch let error as TokenizerError {
            #expect(error.file.lastPathComponent == file, sourceLocation: sourceLocation)
            #expect(error.description.contains(error.file.path), "\(error)", sourceLocation: sourceLocation)
            return error.description
        } catch {
            Issue.record("not a TokenizerError: \(error)", sourceLocation: sourceLocation)
            return ""
        }
    }

    static func with(_ key: String, _ value: Any) -> [String: Any] {
        var tokenizer = tinyTokenizer()
        tokenizer[key] = value
        return tokenizer
    }

    @Test func tinyTokenizerLoadsAndMerges() throws {
        let tokenizer = try Self.load(Self.tinyTokenizer())
        #expect(tokenizer.encode("ab<|end|>b a", addSpecialTokens: true) == [256, 257, 98, 32, 97])
        #expect(tokenizer.decode([256, 257, 98], skipSpecialTokens: true) == "abb")
        #expect(!tokenizer.addsBOS && tokenizer.bosTokenID == nil && tokenizer.count == 258)
    }

    @Test func missingFolderOrFile() {
        let nowhere = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-folder-\(UUID())")
        let message = Self.expectError { try Tokenizer.load(directory: nowhere) }
        #expect(message.contains("no such file"))
        _ = Self.expectError { try Self.load(nil) }
    }

    @Test func truncatedOrInvalidJSON() throws {
        let real = try Data(contentsOf: TokenizerFixtures.tokenizerDirectory.appendingPathComponent("tokenizer.json"))
        let message = Self.expectError { try Self.load(nil, rawTokenizer: real.prefix(real.count / 2)) }
        #expect(message.contains("not valid JSON") && message.contains("download it again"))
        _ = Self.expectError { try Self.load(nil, rawTokenizer: Data("hello".utf8)) }
        _ = Self.expectError { try Self.load(nil, rawTokenizer: Data()) }
        let config = Self.expectError("tokenizer_config.json") {
            try Self.load(Self.tinyTokenizer(), extraFiles: ["tokenizer_config.json": Data("{\"bos_token\": ".utf8)])
        }
        #expect(config.contains("not valid JSON"))
    }

    @Test func unsupportedModelTypes() {
        let models: [(String, [String: Any])] = [
            ("WordPiece", ["type": "WordPiece", "vocab": ["a": 0], "unk_token": "[UNK]"]),
            ("Unigram", ["type": "Unigram", "vocab": [["a", -1.0]], "unk_id": 0]),
            ("WordLevel", ["type": "WordLevel", "vocab": ["a": 0], "unk_token": "a"]),
        ]
        for (name, model) in models {
            let message = Self.expectError { try Self.load(Self.with("model", model)) }
            #expect(message.contains("model type \"\(name)\" is not supported"), "\(message)")
        }
    }

    @Test func unsupportedComponents() {
        let cases: [(String, Any, String)] = [
            ("pre_tokenizer", ["type": "Whitespace"], "pre_tokenizer \"Whitespace\""),
            ("pre_tokenizer", ["type": "Sequence", "pretokenizers": [
                ["type": "Split", "pattern": ["Regex": "\\w+"], "behavior": "Isolated", "invert": false],
                ["type": "ByteLevel", "add_prefix_space": false, "use_regex": false]]], "Split regex \"\\w+\""),
            ("pre_tokenizer", NSNull(), "without a final ByteLevel step"),
            ("normalizer", ["type": "BertNormalizer"], "normalizer \"BertNormalizer\""),
            ("decoder", ["type": "WordPiece"], "decoder \"WordPiece\""),
            ("post_processor", ["type": "RobertaProcessing"], "post_processor \"RobertaProcessing\""),
        ]
        for (key, value, expected) in cases {
            let message = Self.expectError { try Self.load(Self.with(key, value)) }
            #expect(message.contains(expected), "\(message)")
        }
    }

    @Test func malformedFields() {
        var tokenizer = Self.tinyTokenizer()
        tokenizer["model"] = ["type": "BPE", "vocab": ["a": 0, "b": 1], "merges": [["a", "c"]]]
        let merge = Self.expectError { try Self.load(tokenizer) }
        #expect(merge.contains("model.merges[0]") && merge.contains("\"c\""), "\(merge)")

        tokenizer["model"] = ["type": "BPE", "vocab": ["a": "zero"], "merges": []]
        let vocab = Self.expectError { try Self.load(tokenizer) }
        #expect(vocab.contains("model.vocab"), "\(vocab)")

        let added = Self.expectError { try Self.load(Self.with("added_tokens", [["content": "<x>"]])) }
        #expect(added.contains("added_tokens[0].id") && added.contains("is missing"), "\(added)")
    }
}
