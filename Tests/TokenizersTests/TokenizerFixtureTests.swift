import Foundation
import TestSupport
import Testing
@testable import Tokenizers

/// Golden tests: every case of Tests/Fixtures/tokenizer-cases.json, written by scripts/fixtures/tokenizer.py from
/// Hugging Face `PreTrainedTokenizerFast`, must come out identical, ids and text.
struct TokenizerFixtureTests {
    @Test func everyCaseMatchesHuggingFace() throws {
        let tokenizer = try Tokenizer.load(directory: TokenizerFixtures.tokenizerDirectory)
        let cases = try TokenizerFixtures.cases()
        #expect(cases.count >= 400)
        let report = TokenizerFixtures.check(tokenizer, cases, label: "main", checkSkipSpecial: true)
        print("tokenizer fixtures: \(report.passed)/\(cases.count) cases match HF (encode, encode without specials, "
              + "decode, decode skipping specials)")
        #expect(report.passed == cases.count)
    }

    @Test func everyVariantMatchesHuggingFace() throws {
        let variants = try TokenizerFixtures.variants()
        #expect(variants.count >= 8)
        for variant in variants {
            let directory = try TokenizerFixtures.patchedFolder(variant)
            defer { try? FileManager.default.removeItem(at: directory) }
            let tokenizer = try Tokenizer.load(directory: directory)
            let report = TokenizerFixtures.check(tokenizer, variant.cases, label: variant.name, checkSkipSpecial: false)
            print("tokenizer variant \(variant.name): \(report.passed)/\(variant.cases.count) cases match HF")
            #expect(report.passed == variant.cases.count, "variant \(variant.name)")
        }
    }

    @Test func lfm2LayoutFacts() throws {
        let tokenizer = try Tokenizer.load(directory: TokenizerFixtures.tokenizerDirectory)
        #expect(tokenizer.bosTokenID == 1 && tokenizer.bosToken == "<|startoftext|>")
        #expect(tokenizer.eosTokenID == 7 && tokenizer.eosToken == "<|im_end|>")
        #expect(tokenizer.padTokenID == 0 && tokenizer.padToken == "<|pad|>")
        #expect(tokenizer.addsBOS)
        #expect(tokenizer.chatTemplateSource == nil)
        let heads = ["<|pad|>", "<|startoftext|>", "<|endoftext|>", "<|fim_pre|>", "<|fim_mid|>", "<|fim_suf|>",
                     "<|im_start|>", "<|im_end|>", "<|tool_list_start|>", "<|tool_list_end|>", "<|tool_call_start|>",
                     "<|tool_call_end|>", "<|tool_response_start|>", "<|tool_response_end|>"]
        for (id, token) in heads.enumerated() {
            #expect(tokenizer.id(forToken: token) == id)
            #expect(tokenizer.token(forID: id) == token)
        }
        let tails = ["<|cot_start|>", "<|cot_end|>", "<|review_start|>", "<|review_end|>", "<|file_start|>",
                     "<|file_end|>"]
        for (offset, token) in tails.enumerated() {
            #expect(tokenizer.id(forToken: token) == tokenizer.count - tails.count + offset)
        }
        // LFM2's plain added tokens: matched inside words, kept when special tokens are skipped.
        let python = try #require(tokenizer.id(forToken: "python"))
        #expect(tokenizer.encode("pythonic", addSpecialTokens: false).first == python)
        #expect(tokenizer.decode([1, python, 7], skipSpecialTokens: true) == "python")
        #expect(tokenizer.token(forID: tokenizer.count) == nil && tokenizer.token(forID: -1) == nil)
        #expect(tokenizer.id(forToken: "Ġ") != nil && tokenizer.id(forToken: "no such token") == nil)
        #expect(tokenizer.encode("") == [1] && tokenizer.encode("", addSpecialTokens: false).isEmpty)
        #expect(tokenizer.decode([1, 7, 999_999, -3], skipSpecialTokens: true).isEmpty)
    }
}

/// Reading the fixtures, comparing, and printing mismatches the way the style guide asks: text, expected, actual,
/// first differing index.
enum TokenizerFixtures {
    static let tokenizerDirectory = Fixtures.url("tokenizer")

    struct Case: Decodable {
        var text: String
        var ids: [Int]
        var idsNoSpecial: [Int]
        var decoded: String
        var decodedSkipSpecial: String?

        enum CodingKeys: String, CodingKey {
            case text, ids, idsNoSpecial = "ids_no_special", decoded, decodedSkipSpecial = "decoded_skip_special"
        }
    }

    struct Variant {
        var name: String
        var tokenizerPatch: [[String: Any]]
        var configPatch: [String: Any]
        var cases: [Case]
    }

    /// Texts are read with JSONDecoder: Foundation's JSONSerialization on Linux drops a U+FEFF that starts a string.
    private struct CaseFile: Decodable {
        struct VariantCases: Decodable { var name: String; var cases: [Case] }
        var cases: [Case]
        var variants: [VariantCases]
    }

    static func cases() throws -> [Case] {
        try JSONDecoder().decode(CaseFile.self, from: Fixtures.data("tokenizer-cases.json")).cases
    }

    /// Variants: cases as above, patches (no text in them) through JSONSerialization so they can be applied.
    static func variants() throws -> [Variant] {
        let data = try Fixtures.data("tokenizer-cases.json")
        let decoded = try JSONDecoder().decode(CaseFile.self, from: data).variants
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let raw = try #require(json["variants"] as? [[String: Any]])
        return try zip(raw, decoded).map { entry, cases in
            Variant(name: cases.name, tokenizerPatch: try #require(entry["tokenizer_patch"] as? [[String: Any]]),
                    configPatch: entry["config_patch"] as? [String: Any] ?? [:], cases: cases.cases)
        }
    }

    struct Report { var passed = 0 }

    /// Checks every case; records one issue per failing case with the details, at most `limit` of them.
    static func check(_ tokenizer: Tokenizer, _ cases: [Case], label: String, checkSkipSpecial: Bool,
                      limit: Int = 25) -> Report {
        var report = Report()
        var failures = 0
        for item in cases {
            var problems: [String] = []
            let ids = tokenizer.encode(item.text)
            if ids != item.ids { problems.append(describe("encode", item.ids, ids)) }
            let plain = tokenizer.encode(item.text, addSpecialTokens: false)
            if plain != item.idsNoSpecial { problems.append(describe("encode(addSpecialTokens: false)", item.idsNoSpecial, plain)) }
            // Scalar-by-scalar: Swift's == would call NFC and NFD text equal.
            let decoded = tokenizer.decode(item.idsNoSpecial)
            if !sameScalars(decoded, item.decoded) {
                problems.append("decode: expected \(escaped(item.decoded)), got \(escaped(decoded))")
            }
            if checkSkipSpecial, let expected = item.decodedSkipSpecial {
                let skipped = tokenizer.decode(item.ids, skipSpecialTokens: true)
                if !sameScalars(skipped, expected) {
                    problems.append("decode(skipSpecialTokens: true): expected \(escaped(expected)), got \(escaped(skipped))")
                }
            }
            if problems.isEmpty {
                report.passed += 1
            } else {
                failures += 1
                if failures <= limit {
                    let details = problems.joined(separator: "\n  ")
                    Issue.record("[\(label)] text \(escaped(item.text)):\n  \(details)")
                }
            }
        }
        if failures > limit { Issue.record("[\(label)] … and \(failures - limit) more failing cases") }
        return report
    }

    static func sameScalars(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.elementsEqual(b.unicodeScalars)
    }

    static func describe(_ what: String, _ expected: [Int], _ actual: [Int]) -> String {
        let first = zip(expected, actual).enumerated().first { $1.0 != $1.1 }?.offset ?? min(expected.count, actual.count)
        return "\(what): first difference at index \(first)\n    expected \(expected)\n    actual   \(actual)"
    }

    static func escaped(_ text: String) -> String {
        let body = text.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\n": return "\\n"
            case "\r": return "\\r"
            case "\t": return "\\t"
            case "\"": return "\\\""
            default:
                let printable = scalar.value >= 0x20 && scalar.value != 0x7F && !scalar.properties.isWhitespace
                    && scalar.properties.generalCategory != .format
                return printable || scalar == " " ? String(scalar) : String(format: "\\u{%X}", scalar.value)
            }
        }.joined()
        let shown = body.count > 300 ? String(body.prefix(300)) + "…" : body
        return "\"" + shown + "\""
    }

    /// The fixture tokenizer folder with a variant's patch applied, in a fresh temporary directory.
    static func patchedFolder(_ variant: Variant) throws -> URL {
        let data = try Data(contentsOf: tokenizerDirectory.appendingPathComponent("tokenizer.json"))
        var document = try JSONSerialization.jsonObject(with: data)
        for op in variant.tokenizerPatch {
            let path = try #require(op["path"] as? [Any])
            let value = try #require(op["value"])
            let kind = try #require(op["op"] as? String)
            document = try apply(kind, value, at: path[...], in: document)
        }
        let configData = try Data(contentsOf: tokenizerDirectory.appendingPathComponent("tokenizer_config.json"))
        var config = try #require(try JSONSerialization.jsonObject(with: configData) as? [String: Any])
        config.merge(variant.configPatch) { _, new in new }

        let folder = try Fixtures.temporaryDirectory()
        try JSONSerialization.data(withJSONObject: document).write(to: folder.appendingPathComponent("tokenizer.json"))
        try JSONSerialization.data(withJSONObject: config).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        try FileManager.default.copyItem(at: tokenizerDirectory.appendingPathComponent("special_tokens_map.json"),
                                         to: folder.appendingPathComponent("special_tokens_map.json"))
        return folder
    }

    /// The patch language of scripts/fixtures/tokenizer.py: `set` or `append` at a path of keys and indices.
    private static func apply(_ kind: String, _ value: Any, at path: ArraySlice<Any>, in node: Any) throws -> Any {
        guard let key = path.first else {
            if kind == "append" { return try #require(node as? [Any]) + [value] }
            return value
        }
        let rest = path.dropFirst()
        if let index = key as? Int, var array = node as? [Any] {
            array[index] = try apply(kind, value, at: rest, in: array[index])
            return array
        }
        var object = try #require(node as? [String: Any])
        let name = try #require(key as? String)
        object[name] = try apply(kind, value, at: rest, in: object[name] ?? NSNull())
        return object
    }
}
