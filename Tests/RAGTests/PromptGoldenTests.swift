import Foundation
import RAG
import Testing
import TestSupport
import Tokenizers

/// The rendered answer prompt against Hugging Face `apply_chat_template` on the same layout (scripts/fixtures/rag.py).
@Suite struct PromptGoldenTests {
    static let reference = RAGReference.shared

    @Test(arguments: ["lfm2", "lfm2.5"])
    func renderMatchesTransformersByteForByte(template: String) throws {
        let builder = try RAGFixtures.builder(template)
        for golden in Self.reference.cases {
            let history = golden.history.map { ChatMessage(role: $0.role, content: $0.content) }
            let prompt = try builder.build(question: golden.question, passages: golden.passages,
                                           budget: PromptBudget(contextTokens: 4096, maxAnswerTokens: 256),
                                           history: history)
            let expected = try #require(golden.renders[template])
            if prompt.text != expected.text {
                let a = Array(prompt.text), b = Array(expected.text)
                let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
                Issue.record("""
                    \(golden.name)/\(template): first difference at character \(first): \
                    swift …\(String(a[max(0, first - 20)..<min(a.count, first + 20)]).debugDescription) \
                    python …\(String(b[max(0, first - 20)..<min(b.count, first + 20)]).debugDescription)
                    """)
            }
            #expect(prompt.promptIDs == expected.ids, "\(golden.name)/\(template): token ids differ")
            #expect(prompt.included == golden.passages)
            #expect(prompt.dropped.isEmpty && prompt.truncated.isEmpty && prompt.trimmedHistory == 0)
        }
    }

    @Test func systemRulesMatchTheFixtureScript() {
        #expect(PromptLayout.standard.system == Self.reference.system)
    }

    @Test func layoutIsDocumented() throws {
        let passage = RetrievedPassage(passageID: 1, path: "a/b.pdf", lineStart: 3, lineEnd: 9, page: 2,
                                       text: "\n  Text.  \n", score: 1)
        let content = PromptLayout.standard.userContent(question: " Why? ", passages: [passage])
        #expect(content == "Use the following context to answer questions:\n[1] a/b.pdf#page=2\nText.\n\nQuestion: Why?")
    }
}
