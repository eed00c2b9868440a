import Foundation
import TestSupport
import Testing
@testable import Tokenizers

/// Numbers written in a chat template (tokenizer_config.json or chat_template.jinja come with the model) that size a
/// buffer, bound a loop or meet Int's edges: each gives a render error or the right value, never a trap or a hang.
struct ChatTemplateNumberTests {
    static func render(_ source: String) throws -> String {
        try ChatTemplate(source: source).render(messages: [], addGenerationPrompt: false, bosToken: nil, eosToken: nil)
    }

    static func expectRenderError(_ source: String, mentioning words: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        let error = ChatTemplateTests.renderError(source)
        #expect(error?.message.contains(words) == true, "\(source): \(String(describing: error))",
                sourceLocation: sourceLocation)
    }

    @Test func hostileTemplateInTokenizerConfigFailsToRender() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in try FileManager.default.contentsOfDirectory(atPath: TokenizerFixtures.tokenizerDirectory.path) {
            try FileManager.default.copyItem(at: TokenizerFixtures.tokenizerDirectory.appendingPathComponent(name),
                                             to: folder.appendingPathComponent(name))
        }
        let configURL = folder.appendingPathComponent("tokenizer_config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        // It used to allocate 10^15 integers before checking the size of the range.
        config["chat_template"] = "{% for i in range(10**15) %}{{ i }}{% endfor %}"
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        let tokenizer = try Tokenizer.load(directory: folder)
        let template = try ChatTemplate(source: try #require(tokenizer.chatTemplateSource))
        #expect(throws: ChatTemplateError.self) {
            _ = try template.render(messages: [], addGenerationPrompt: true, bosToken: nil, eosToken: nil)
        }
    }

    @Test func rangeIsCountedBeforeItIsBuilt() throws {
        Self.expectRenderError("{{ range(10**15) | length }}", mentioning: "range() of 1000000000000000 items is too large")
        Self.expectRenderError("{{ range(-9223372036854775807 - 1, 9223372036854775807) | length }}", mentioning: "too large")
        #expect(try Self.render("{{ range(0, 10, -9223372036854775807 - 1) | length }}") == "0")
        #expect(try Self.render("{{ range(10, 0, -3) | list }}") == "[10, 7, 4, 1]")
        #expect(try Self.render("{{ range(3) | list }}|{{ range(5, 5) | list }}") == "[0, 1, 2]|[]")
    }

    @Test func printfConversionsAndWidths() throws {
        // `Int(1e300)` trapped.
        #expect(try Self.render("{{ '%d' % 1e20 }}|{{ '%d' % -2e19 }}") == "100000000000000000000|-20000000000000000000")
        #expect(try Self.render("{{ '%d' % 1e300 }}").hasPrefix("1000000000000000052504760255204420248704468581108159"))
        #expect(try Self.render("{{ '%d|%i' % (-7.9, 42) }}") == "-7|42")
        Self.expectRenderError("{{ '%d' % (1e300 * 1e300) }}", mentioning: "cannot convert float inf to integer")
        // Widths and precisions were allocated as asked.
        Self.expectRenderError("{{ '%99999999999d' % 1 }}", mentioning: "format width 99999999999")
        Self.expectRenderError("{{ '%.20000000f' % 1.0 }}", mentioning: "format precision 20000000")
        #expect(try Self.render("{{ '%5d|%-4s|%.2f' % (42, 'ab', 3.14159) }}") == "   42|ab  |3.14")
    }

    @Test func filtersWithSizes() throws {
        // The loop ran once per digit asked; past 308 digits the scale became infinite and the result NaN.
        #expect(try Self.render("{{ 1.5 | round(400) }}") == "1.5")
        #expect(try Self.render("{{ 2.675 | round(1) }}") == "2.7")
        Self.expectRenderError("{{ 'a\\nb' | indent(10**12) }}", mentioning: "indent width 1000000000000")
        Self.expectRenderError("{{ ('x\\n' * 100000) | indent(1000) }}", mentioning: "indent would build")
        #expect(try Self.render("{{ 'a\\nb' | indent(2) }}") == "a\n  b")
        Self.expectRenderError("{{ [1, [2, [3]]] | tojson(indent=10**12) }}", mentioning: "tojson indent 1000000000000")
        Self.expectRenderError("{{ ([[1]] * 1000000) | tojson(indent='" + String(repeating: " ", count: 100) + "') }}",
                               mentioning: "characters of indentation")
        #expect(try Self.render("{{ [1, [2]] | tojson(indent=1) }}") == "[\n 1,\n [\n  2\n ]\n]")
        // `Int(_:radix:)` traps outside 2...36.
        Self.expectRenderError("{{ '10' | int(base=99) }}", mentioning: "base must be between 2 and 36")
        Self.expectRenderError("{{ '10' | int(0, 1) }}", mentioning: "base must be between 2 and 36")
        #expect(try Self.render("{{ 'ff' | int(base=16) }}") == "255")
    }

    @Test func integerEdges() throws {
        let minimum = "(-9223372036854775807 - 1)"
        Self.expectRenderError("{{ \(minimum) | abs }}", mentioning: "integer overflow")
        Self.expectRenderError("{{ -\(minimum) }}", mentioning: "integer overflow")
        Self.expectRenderError("{{ \(minimum) // -1 }}", mentioning: "integer overflow")
        #expect(try Self.render("{{ \(minimum) % -1 }}") == "0")
        #expect(try Self.render("{{ -7 // 2 }}|{{ -7 % 3 }}|{{ 7 % -3 }}") == "-4|2|-2")
    }

    @Test func powersAreComputedBySquaring() throws {
        // One multiplication per unit of the exponent: 10^9 of them took seconds, 10^18 forever.
        let start = Date()
        #expect(try Self.render("{{ 1 ** 1000000000 }}|{{ (-1) ** 1000000001 }}|{{ 0 ** 1000000000 }}") == "1|-1|0")
        #expect(Date().timeIntervalSince(start) < 0.5)
        #expect(try Self.render("{{ 2 ** 62 }}|{{ 3 ** 5 }}|{{ 7 ** 0 }}|{{ (-2) ** 63 }}")
                == "4611686018427387904|243|1|-9223372036854775808")
        Self.expectRenderError("{{ 2 ** 64 }}", mentioning: "integer overflow")
        Self.expectRenderError("{{ 3 ** 40 }}", mentioning: "integer overflow")
    }
}
