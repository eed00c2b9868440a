import Foundation
import TestSupport
import Testing
@testable import Tokenizers

/// Golden test: every conversation in `Tests/Fixtures/chat-cases.json` (written by `scripts/fixtures/chat.py` with
/// `transformers`' `apply_chat_template`) renders byte-identical with the real LFM2 / LFM2.5 templates.
struct ChatTemplateFixtureTests {
    struct Case {
        var index: Int
        var template: String
        var messages: Jinja.Value
        var addGenerationPrompt: Bool
        var tools: Jinja.Value?
        var extra: [(String, Jinja.Value)]
        var rendered: String?
        var error: String?

        /// The conversation as public `ChatMessage`s when every message is a plain role/content string pair.
        var plainMessages: [ChatMessage]? {
            guard case .list(let items) = messages else { return nil }
            var out: [ChatMessage] = []
            for item in items {
                guard case .dict(let dict) = item, dict.count == 2, case .string(let role)? = dict["role"],
                      case .string(let content)? = dict["content"] else { return nil }
                out.append(ChatMessage(role: role, content: content))
            }
            return out
        }

        var summary: String {
            let count: Int
            if case .list(let items) = messages { count = items.count } else { count = 0 }
            return "case \(index) (\(template), \(count) messages, add_generation_prompt=\(addGenerationPrompt))"
        }
    }

    static func load() throws -> (templates: [String: String], cases: [Case]) {
        let root = try FixtureJSON.parse(Fixtures.data("chat-cases.json"))
        guard case .dict(let top) = root, case .dict(let templateDict)? = top["templates"],
              case .list(let caseList)? = top["cases"] else {
            throw FixtureJSON.Failure(message: "chat-cases.json: expected {templates, cases}")
        }
        var templates: [String: String] = [:]
        for entry in templateDict.entries {
            guard case .string(let text) = entry.value else { continue }
            templates[entry.key.text] = text
        }
        var cases: [Case] = []
        for (index, item) in caseList.enumerated() {
            guard case .dict(let c) = item, case .string(let template)? = c["template"], let messages = c["messages"],
                  case .bool(let addGenerationPrompt)? = c["add_generation_prompt"] else {
                throw FixtureJSON.Failure(message: "chat-cases.json: case \(index) is malformed")
            }
            var extra: [(String, Jinja.Value)] = []
            if case .dict(let e)? = c["extra"] { extra = e.entries.map { ($0.key.text, $0.value) } }
            var rendered: String?, error: String?
            if case .string(let text)? = c["rendered"] { rendered = text }
            if case .string(let text)? = c["error"] { error = text }
            cases.append(Case(index: index, template: template, messages: messages, addGenerationPrompt: addGenerationPrompt,
                              tools: c["tools"], extra: extra, rendered: rendered, error: error))
        }
        return (templates, cases)
    }

    /// Where two renderings first differ (in Unicode scalars), with ~40 scalars of context on each side.
    static func difference(expected: String, actual: String) -> String? {
        let e = Array(expected.unicodeScalars), a = Array(actual.unicodeScalars)
        guard e != a else { return nil }
        var offset = 0
        while offset < min(e.count, a.count), e[offset] == a[offset] { offset += 1 }
        func context(_ s: [Unicode.Scalar]) -> String {
            let from = max(0, offset - 40), to = min(s.count, offset + 40)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: s[from..<to])
            return String(reflecting: String(view))
        }
        return "first difference at scalar offset \(offset) (expected \(e.count) scalars, got \(a.count))\n"
            + "  expected: \(context(e))\n  actual:   \(context(a))"
    }

    @Test func fixtureCoversEveryTemplateWithAtLeastThirtyConversations() throws {
        let (templates, cases) = try Self.load()
        #expect(Set(templates.keys).isSuperset(of: ["lfm2", "lfm2.5", "lfm2-chatml", "lfm2.5-8b-a1b"]))
        for name in templates.keys {
            #expect(cases.filter { $0.template == name }.count >= 30, "template \(name)")
        }
    }

    @Test func everyCaseRendersByteIdenticalToTransformers() throws {
        let (templates, cases) = try Self.load()
        var compiled: [String: ChatTemplate] = [:]
        for (name, text) in templates { compiled[name] = try ChatTemplate(source: text) }
        var failures: [String] = []
        for c in cases {
            guard let template = compiled[c.template] else {
                failures.append("\(c.summary): unknown template")
                continue
            }
            var variables = ChatTemplate.variables(messages: [], addGenerationPrompt: c.addGenerationPrompt,
                                                   bosToken: "<|startoftext|>", eosToken: "<|im_end|>")
            variables["messages"] = c.messages
            variables["pad_token"] = .string("<|pad|>")
            if let tools = c.tools { variables["tools"] = tools }
            for (name, value) in c.extra { variables[name] = value }
            do {
                let actual = try template.render(variables: variables)
                if let expected = c.rendered {
                    if let diff = Self.difference(expected: expected, actual: actual) { failures.append("\(c.summary): \(diff)") }
                } else {
                    failures.append("\(c.summary): rendered, but transformers failed with \(c.error ?? "?")")
                }
            } catch {
                if c.rendered != nil {
                    failures.append("\(c.summary): threw \(error)")
                } else if let expected = c.error, expected.hasPrefix("TemplateError: ") {
                    // raise_exception in the template: same message, reported as .raised
                    let message = String(expected.dropFirst("TemplateError: ".count))
                    if case .raised(message, _, _) = error {} else {
                        failures.append("\(c.summary): expected raise_exception(\(String(reflecting: message))), got \(error)")
                    }
                }
            }
            // The public API gives the same text for plain string conversations.
            if let plain = c.plainMessages, c.tools == nil, c.extra.isEmpty, let expected = c.rendered {
                let actual = try template.render(messages: plain, addGenerationPrompt: c.addGenerationPrompt,
                                                 bosToken: "<|startoftext|>", eosToken: "<|im_end|>")
                if let diff = Self.difference(expected: expected, actual: actual) {
                    failures.append("\(c.summary) via render(messages:): \(diff)")
                }
            }
        }
        let report = "\(failures.count) of \(cases.count) cases differ:\n" + failures.prefix(10).joined(separator: "\n")
        #expect(failures.isEmpty, Comment(rawValue: report))
    }
}

/// A JSON reader for the fixture that keeps what the comparison needs: object key order (it shows in `tojson`)
/// and the difference between `1` and `1.0`.
enum FixtureJSON {
    struct Failure: Error { var message: String }

    static func parse(_ data: Data) throws -> Jinja.Value {
        var reader = Reader(bytes: Array(data))
        let value = try reader.value()
        reader.skipSpace()
        guard reader.offset == reader.bytes.count else { throw Failure(message: "trailing data at \(reader.offset)") }
        return value
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func skipSpace() {
            while offset < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[offset]) { offset += 1 }
        }

        func fail(_ what: String) -> Failure { Failure(message: "JSON: \(what) at byte \(offset)") }

        mutating func literal(_ word: String, _ value: Jinja.Value) throws -> Jinja.Value {
            guard bytes[offset...].starts(with: Array(word.utf8)) else { throw fail("bad literal") }
            offset += word.utf8.count
            return value
        }

        mutating func value() throws -> Jinja.Value {
            skipSpace()
            guard offset < bytes.count else { throw fail("unexpected end") }
            switch bytes[offset] {
            case UInt8(ascii: "{"):
                offset += 1
                var dict = Jinja.Dict()
                skipSpace()
                if bytes[offset] == UInt8(ascii: "}") { offset += 1; return .dict(dict) }
                while true {
                    skipSpace()
                    guard case .string(let key) = try value() else { throw fail("object key") }
                    skipSpace()
                    guard bytes[offset] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                    offset += 1
                    dict[key] = try value()
                    skipSpace()
                    if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                    guard bytes[offset] == UInt8(ascii: "}") else { throw fail("expected '}'") }
                    offset += 1
                    return .dict(dict)
                }
            case UInt8(ascii: "["):
                offset += 1
                var items: [Jinja.Value] = []
                skipSpace()
                if bytes[offset] == UInt8(ascii: "]") { offset += 1; return .list(items) }
                while true {
                    items.append(try value())
                    skipSpace()
                    if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                    guard bytes[offset] == UInt8(ascii: "]") else { throw fail("expected ']'") }
                    offset += 1
                    return .list(items)
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .none)
            default: return try number()
            }
        }

        mutating func number() throws -> Jinja.Value {
            let start = offset
            while offset < bytes.count, "+-0123456789.eE".utf8.contains(bytes[offset]) { offset += 1 }
            let text = String(decoding: bytes[start..<offset], as: UTF8.self)
            if let i = Int(text) { return .int(i) }
            guard let d = Double(text) else { throw fail("bad number") }
            return .float(d)
        }

        mutating func hex4() throws -> UInt32 {
            guard offset + 4 <= bytes.count,
                  let v = UInt32(String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self), radix: 16) else {
                throw fail("bad \\u escape")
            }
            offset += 4
            return v
        }

        mutating func string() throws -> String {
            offset += 1
            var raw: [UInt8] = []
            while offset < bytes.count {
                let b = bytes[offset]
                offset += 1
                if b == UInt8(ascii: "\"") { return String(decoding: raw, as: UTF8.self) }
                guard b == UInt8(ascii: "\\") else { raw.append(b); continue }
                let e = bytes[offset]
                offset += 1
                switch e {
                case UInt8(ascii: "n"): raw.append(0x0A)
                case UInt8(ascii: "t"): raw.append(0x09)
                case UInt8(ascii: "r"): raw.append(0x0D)
                case UInt8(ascii: "b"): raw.append(0x08)
                case UInt8(ascii: "f"): raw.append(0x0C)
                case UInt8(ascii: "u"):
                    var v = try hex4()
                    if (0xD800..<0xDC00).contains(v), bytes[offset...].starts(with: Array("\\u".utf8)) {
                        offset += 2
                        v = 0x10000 + ((v - 0xD800) << 10) + (try hex4() - 0xDC00)
                    }
                    raw += Array(String(Unicode.Scalar(v) ?? "\u{FFFD}").utf8)
                default: raw.append(e)
                }
            }
            throw fail("unterminated string")
        }
    }
}
