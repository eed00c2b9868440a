import Foundation
import TestSupport
import Testing
@testable import Tokenizers

/// The public API on the real templates, and the errors it reports.
struct ChatTemplateTests {
    static func template(_ file: String) throws -> ChatTemplate {
        let url = Fixtures.repositoryRoot.appendingPathComponent("scripts/fixtures/templates/\(file)")
        return try ChatTemplate(source: String(contentsOf: url, encoding: .utf8))
    }

    static func syntaxError(_ source: String) -> ChatTemplateError? {
        do {
            _ = try ChatTemplate(source: source)
            return nil
        } catch {
            return error as? ChatTemplateError
        }
    }

    static func renderError(_ source: String, messages: [ChatMessage] = []) -> ChatTemplateError? {
        do {
            _ = try ChatTemplate(source: source).render(messages: messages, addGenerationPrompt: false, bosToken: nil, eosToken: nil)
            return nil
        } catch {
            return error as? ChatTemplateError
        }
    }

    @Test func lfm2RendersTheDocumentedLayout() throws {
        let messages = [ChatMessage(role: "system", content: "You are a helpful assistant trained by Liquid AI."),
                        ChatMessage(role: "user", content: "What is C. elegans?"),
                        ChatMessage(role: "assistant", content: "It's a tiny nematode."),
                        ChatMessage(role: "tool", content: "{\"ok\": true}")]
        let rendered = try Self.template("lfm2.jinja").render(messages: messages, addGenerationPrompt: true,
                                                               bosToken: "<|startoftext|>", eosToken: "<|im_end|>")
        #expect(rendered == "<|startoftext|><|im_start|>system\nYou are a helpful assistant trained by Liquid AI.<|im_end|>\n"
            + "<|im_start|>user\nWhat is C. elegans?<|im_end|>\n<|im_start|>assistant\nIt's a tiny nematode.<|im_end|>\n"
            + "<|im_start|>tool\n<|tool_response_start|>{\"ok\": true}<|tool_response_end|><|im_end|>\n<|im_start|>assistant\n")
    }

    @Test func lfm25DropsPastThinkingUnlessAsked() throws {
        let messages = [ChatMessage(role: "user", content: "q1"), ChatMessage(role: "assistant", content: "<think>r1</think>\n a1"),
                        ChatMessage(role: "user", content: "q2"), ChatMessage(role: "assistant", content: "<think>r2</think>a2")]
        let template = try Self.template("lfm2.5.jinja")
        let dropped = try template.render(messages: messages, addGenerationPrompt: false, bosToken: "<|startoftext|>", eosToken: nil)
        #expect(dropped == "<|startoftext|><|im_start|>user\nq1<|im_end|>\n<|im_start|>assistant\na1<|im_end|>\n"
            + "<|im_start|>user\nq2<|im_end|>\n<|im_start|>assistant\n<think>r2</think>a2<|im_end|>\n")
        // `extra` values are strings: any non-empty string is truthy, as `keep_past_thinking="yes"` would be in Python.
        let kept = try template.render(messages: messages, addGenerationPrompt: false, bosToken: "<|startoftext|>",
                                       eosToken: nil, extra: ["keep_past_thinking": "yes"])
        #expect(kept.contains("<think>r1</think>\n a1"))
    }

    @Test func missingBosRendersEmptyAndExtraOverrides() throws {
        let template = try ChatTemplate(source: "[{{ bos_token }}][{{ eos_token }}][{{ name }}][{{ tools }}][{{ tools is defined }}]")
        #expect(try template.render(messages: [], addGenerationPrompt: false, bosToken: nil, eosToken: "</s>",
                                    extra: ["name": "x"]) == "[][</s>][x][None][True]")
        #expect(try template.render(messages: [], addGenerationPrompt: false, bosToken: "<s>", eosToken: nil,
                                    extra: ["bos_token": "override"]).hasPrefix("[override]"))
    }

    @Test func emptyConversationFollowsJinja() throws {
        // The ChatML-style template simply has nothing to loop over; the LFM2 templates read messages[0]["role"],
        // which Jinja reports as an undefined value.
        #expect(try Self.template("lfm2-chatml.jinja").render(messages: [], addGenerationPrompt: true,
                                                             bosToken: "<|startoftext|>", eosToken: nil)
            == "<|startoftext|><|im_start|>assistant\n")
        for file in ["lfm2.jinja", "lfm2.5.jinja", "lfm2.5-8b-a1b.jinja"] {
            #expect(throws: ChatTemplateError.self) {
                try Self.template(file).render(messages: [], addGenerationPrompt: true, bosToken: nil, eosToken: nil)
            }
        }
    }

    @Test func templateIsParsedOnceAndSendable() async throws {
        let template = try Self.template("lfm2.jinja")
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<8 {
                group.addTask {
                    try template.render(messages: [ChatMessage(role: "user", content: "n\(i)")], addGenerationPrompt: true,
                                        bosToken: "<|startoftext|>", eosToken: "<|im_end|>")
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(results).count == 8)
    }

    // MARK: errors

    @Test func raiseExceptionBecomesRaisedError() {
        let error = Self.renderError("{% if messages | length == 0 %}\n  {{ raise_exception('Conversation roles must alternate!') }}\n{% endif %}")
        #expect(error == .raised("Conversation roles must alternate!", line: 2, column: 3))
        #expect(error?.description.contains("Change the messages") == true)
    }

    @Test func runtimeErrorsCarryThePositionOfTheirStatement() {
        let undefinedAttribute = Self.renderError("line one\n{{ missing.attr }}")
        #expect(undefinedAttribute?.line == 2)
        #expect(undefinedAttribute?.column == 1)
        #expect(undefinedAttribute?.message.contains("'missing' is undefined") == true)
        if case .render? = Self.renderError("{% set x = 'a' + 1 %}") {} else { Issue.record("expected a render error") }
        let inLoop = Self.renderError("{% for m in messages %}\n  {%- set x = m.nope.deeper -%}\n{% endfor %}",
                                      messages: [ChatMessage(role: "user", content: "hi")])
        #expect(inLoop?.line == 2)
        #expect(inLoop?.message.contains("'dict object' has no attribute 'nope'") == true)
    }

    @Test func hostileTemplatesFailInsteadOfExhaustingResources() {
        let deep = "{{ " + String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000) + " }}"
        #expect(Self.syntaxError(deep)?.message.contains("nests deeper") == true)
        let nestedIfs = String(repeating: "{% if true %}", count: 1_000) + String(repeating: "{% endif %}", count: 1_000)
        #expect(Self.syntaxError(nestedIfs)?.message.contains("nests deeper") == true)
        #expect(Self.renderError("{{ 'ab' * 100000000 }}")?.message.contains("more than") == true)
        let recursive = "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"
        #expect(Self.renderError(recursive)?.message.contains("deeper than 64") == true)
    }

    @Test func syntaxErrorsReportLineAndColumn() {
        let cases: [(source: String, line: Int, column: Int, mentions: String)] = [
            ("{% if x %}\nabc", 1, 1, "endif"),
            ("{{ 'a' + }}", 1, 10, "'}}'"),
            ("ab\n  {{ x | nosuchfilter }}", 2, 10, "no filter named 'nosuchfilter'"),
            ("{{ x is nosuchtest }}", 1, 9, "no test named 'nosuchtest'"),
            ("{% foo %}", 1, 4, "unknown tag 'foo'"),
            ("x\n{{ 'abc }}", 2, 4, "unterminated string"),
            ("{% endfor %}", 1, 4, "no open 'for'"),
            ("{{ x ]}}", 1, 6, "unexpected ']'"),
            ("text {# open", 1, 6, "comment"),
            ("{% break %}", 1, 4, "outside of a for loop"),
            ("{% for x in xs %}{{ x }}", 1, 1, "endfor"),
            ("{% include 'other.jinja' %}", 1, 4, "not supported"),
            ("{{ x = 1 }}", 1, 6, "'}}'"),
        ]
        for c in cases {
            let error = Self.syntaxError(c.source)
            guard case .syntax(let message, let line, let column)? = error else {
                Issue.record("no syntax error for \(String(reflecting: c.source))")
                continue
            }
            #expect((line, column) == (c.line, c.column), "\(String(reflecting: c.source)): \(message)")
            #expect(message.contains(c.mentions), "\(String(reflecting: c.source)): \(message)")
            #expect(error?.description.contains("\(c.line):\(c.column)") == true)
        }
    }
}
