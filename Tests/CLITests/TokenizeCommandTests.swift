import Foundation
import Testing
import TestSupport

/// `ferret tokenize` against Hugging Face `tokenizers` ids from the fixture cases.
@Suite struct TokenizeCommandTests {
    struct Cases: Decodable {
        struct Case: Decodable { let text: String; let ids: [Int]; let ids_no_special: [Int] }
        let cases: [Case]
    }
    struct Output: Decodable { let ids: [Int] }

    static let cases = try! Fixtures.decode(Cases.self, from: "tokenizer-cases.json").cases
    let folder = Fixtures.url("tokenizer").path

    func tokenize(_ arguments: [String]) throws -> [Int] {
        let result = try FerretBinary.run(["tokenize", "--model", folder, "--json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8)).ids
    }

    @Test func idsMatchTheReferenceWithAndWithoutSpecials() throws {
        // A spread of cases (the library test covers all of them); texts starting with "-" go after `--`.
        let picked = Self.cases.enumerated().filter { $0.offset % 40 == 3 }.map(\.element)
        for item in picked where !item.text.isEmpty {
            #expect(try tokenize(["--", item.text]) == item.ids, "\(item.text.debugDescription)")
            #expect(try tokenize(["--no-special", "--", item.text]) == item.ids_no_special, "\(item.text.debugDescription)")
        }
    }

    @Test func textStartingWithADash() throws {
        let ids = try tokenize(["--", "-v --help"])
        let plain = try FerretBinary.run(["tokenize", "--model", folder, "--", "-v --help"])
        #expect(plain.status == 0 && plain.stdout == ids.map(String.init).joined(separator: " ") + "\n")
    }

    @Test func unsupportedTokenizerIsAClearError() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(#"{"version":"1.0","added_tokens":[],"normalizer":null,"pre_tokenizer":null,"post_processor":null,"decoder":null,"model":{"type":"WordPiece","vocab":{"a":0},"unk_token":"a"}}"#.utf8)
            .write(to: dir.appendingPathComponent("tokenizer.json"))
        let result = try FerretBinary.run(["tokenize", "--model", dir.path, "hello"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("tokenizer.json") && result.stderr.contains("not supported"), "\(result.stderr)")
        let missing = try FerretBinary.run(["tokenize", "--model", "/nonexistent", "hello"])
        #expect(missing.status == 1 && missing.stderr.contains("/nonexistent"))
    }
}
