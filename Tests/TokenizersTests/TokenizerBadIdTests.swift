import Foundation
import TestSupport
import Testing
@testable import Tokenizers

/// Damaged copies of the fixture tokenizer whose ids would size tables: each is refused with an error naming the file
/// and the field, before anything is allocated.
struct TokenizerBadIdTests {
    /// Copies the fixture folder, lets `damage` edit the parsed tokenizer.json, and loads the copy.
    static func loadDamaged(_ damage: (inout [String: Any]) -> Void) throws -> Tokenizer {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in try FileManager.default.contentsOfDirectory(atPath: TokenizerFixtures.tokenizerDirectory.path) {
            try FileManager.default.copyItem(at: TokenizerFixtures.tokenizerDirectory.appendingPathComponent(name),
                                             to: folder.appendingPathComponent(name))
        }
        let url = folder.appendingPathComponent("tokenizer.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        damage(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        return try Tokenizer.load(directory: folder)
    }

    static func setVocab(_ json: inout [String: Any], _ token: String, _ id: Int) {
        var model = json["model"] as! [String: Any]
        var vocab = model["vocab"] as! [String: Any]
        vocab[token] = id
        model["vocab"] = vocab
        json["model"] = model
    }

    @Test func vocabularyIdOfABillionIsRefused() {
        // It used to allocate tables of 10^9 entries (gigabytes) and hang.
        let message = TokenizerErrorTests.expectError {
            try Self.loadDamaged { Self.setVocab(&$0, "zzz-damaged", 1_000_000_000) }
        }
        #expect(message.contains("model.vocab.zzz-damaged") && message.contains("1000000000"), "\(message)")
        #expect(message.contains("between 0 and 16777215"), "\(message)")
    }

    @Test func addedTokenIdOfABillionIsRefused() {
        for id in [1_000_000_000, -5] {
            let message = TokenizerErrorTests.expectError {
                try Self.loadDamaged { json in
                    var added = json["added_tokens"] as! [[String: Any]]
                    added[2]["id"] = id
                    json["added_tokens"] = added
                }
            }
            #expect(message.contains("added_tokens[2].id") && message.contains("\(id)"), "\(message)")
        }
    }

    @Test func idsFarPastTheVocabularyAreRefused() {
        // Below the absolute limit, but 2,608 tokens cannot need 5,000,000 ids: the tables would be 2,000× too big.
        let message = TokenizerErrorTests.expectError {
            try Self.loadDamaged { Self.setVocab(&$0, "zzz-damaged", 5_000_000) }
        }
        #expect(message.contains("model.vocab") && message.contains("ids up to 5000000"), "\(message)")
    }

    @Test func postProcessorIdsAreChecked() {
        let message = TokenizerErrorTests.expectError {
            try Self.loadDamaged { json in
                var post = json["post_processor"] as! [String: Any]
                var steps = post["processors"] as! [[String: Any]]
                steps[1]["special_tokens"] = ["<|startoftext|>": ["id": "<|startoftext|>", "ids": [1_000_000_000],
                                                                  "tokens": ["<|startoftext|>"]]]
                post["processors"] = steps
                json["post_processor"] = post
            }
        }
        #expect(message.contains("ids[0]") && message.contains("1000000000"), "\(message)")
    }

    @Test func undamagedCopyStillLoads() throws {
        let copy = try Self.loadDamaged { _ in }
        let original = try Tokenizer.load(directory: TokenizerFixtures.tokenizerDirectory)
        #expect(copy.count == original.count && copy.encode("Hello there") == original.encode("Hello there"))
    }
}
