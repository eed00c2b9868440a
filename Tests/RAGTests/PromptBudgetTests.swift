import Foundation
import RAG
import Testing
import TestSupport
import Tokenizers

/// Fitting passages and history into `context − max answer tokens`.
@Suite struct PromptBudgetTests {
    static let sentence = "The river floods the valley every spring and the farmers move their herds to the hills. "

    static func longPassages(_ count: Int, sentences: Int = 12) -> [RetrievedPassage] {
        (0..<count).map { index in
            RAGFixtures.passage(Int64(100 + index), "Passage \(index). " + String(repeating: sentence, count: sentences),
                                score: 1 - Double(index) / 100)
        }
    }

    @Test func manyLongPassagesNeverOverflow() throws {
        let builder = try RAGFixtures.builder()
        let passages = Self.longPassages(30)
        for (context, answer) in [(1024, 128), (2048, 512), (700, 100), (4096, 64)] {
            let budget = PromptBudget(contextTokens: context, maxAnswerTokens: answer)
            let prompt = try builder.build(question: "When does the river flood?", passages: passages, budget: budget)
            #expect(prompt.promptIDs.count <= context - answer, "\(prompt.promptIDs.count) tokens for \(context)−\(answer)")
            #expect(prompt.promptIDs == builder.tokenizer.encode(prompt.text, addSpecialTokens: false))
            #expect(prompt.included.first?.passageID == passages[0].passageID, "the top passage is kept")
            #expect(!prompt.dropped.isEmpty, "30 long passages cannot all fit in \(context)")
            // Every passage is accounted for exactly once, in rank order.
            #expect(prompt.included.map(\.passageID) + prompt.dropped == passages.map(\.passageID))
            #expect(prompt.truncated.count <= 1)
            if let cut = prompt.truncated.first {
                #expect(cut == prompt.included.last?.passageID, "only the last included passage is cut")
                let shown = try #require(prompt.included.last?.text)
                #expect(passages.first { $0.passageID == cut }!.text.hasPrefix(shown))
                #expect(shown.hasSuffix(".") || shown.last?.isLetter == true, "cut at a sentence or word: \(shown.suffix(20))")
            }
            // The passages the builder reports are the ones in the text.
            for (n, passage) in prompt.included.enumerated() { #expect(prompt.text.contains("[\(n + 1)] \(passage.location)\n")) }
            #expect(!prompt.text.contains("[\(prompt.included.count + 1)] "))
        }
    }

    @Test func tightBudgetFillsTheRoomExactly() throws {
        let builder = try RAGFixtures.builder()
        let passages = Self.longPassages(5)
        let limit = 600
        let prompt = try builder.build(question: "Floods?", passages: passages,
                                       budget: PromptBudget(contextTokens: limit + 50, maxAnswerTokens: 50))
        #expect(prompt.promptIDs.count <= limit)
        // Adding one more word to the cut passage would overflow (or the cut passage is whole).
        if let last = prompt.included.last, prompt.truncated == [last.passageID] {
            #expect(prompt.promptIDs.count > limit - 80, "cut leaves \(limit - prompt.promptIDs.count) tokens unused")
        }
    }

    @Test func topPassageLongerThanTheRoomIsCutNotDropped() throws {
        let builder = try RAGFixtures.builder()
        let huge = RAGFixtures.passage(1, String(repeating: Self.sentence, count: 80))
        let prompt = try builder.build(question: "Floods?", passages: [huge] + Self.longPassages(3),
                                       budget: PromptBudget(contextTokens: 512, maxAnswerTokens: 64))
        #expect(prompt.promptIDs.count <= 448)
        #expect(prompt.included.map(\.passageID) == [1])
        #expect(prompt.truncated == [1])
        #expect(prompt.dropped == [100, 101, 102])
        #expect(prompt.included[0].text.hasSuffix("hills."), "prefers a sentence end: …\(prompt.included[0].text.suffix(30))")
    }

    @Test func cjkTextWithoutSpacesIsCutOnSentencesOrCharacters() throws {
        let builder = try RAGFixtures.builder()
        let text = String(repeating: "東京は日本の首都です。人口が多い。", count: 60)
        let prompt = try builder.build(question: "東京?", passages: [RAGFixtures.passage(1, text)],
                                       budget: PromptBudget(contextTokens: 400, maxAnswerTokens: 40))
        #expect(prompt.promptIDs.count <= 360)
        #expect(prompt.truncated == [1])
        #expect(text.hasPrefix(prompt.included[0].text) && prompt.included[0].text.hasSuffix("。"))
    }

    @Test func oldestHistoryGoesFirstAndIsReported() throws {
        let builder = try RAGFixtures.builder()
        var history: [ChatMessage] = []
        for turn in 0..<6 {
            history.append(ChatMessage(role: "user", content: "Question \(turn): " + Self.sentence))
            history.append(ChatMessage(role: "assistant", content: "Answer \(turn): " + Self.sentence + Self.sentence))
        }
        let passages = Self.longPassages(2, sentences: 3)
        let roomy = try builder.build(question: "And now?", passages: passages,
                                      budget: PromptBudget(contextTokens: 8192, maxAnswerTokens: 256), history: history)
        #expect(roomy.trimmedHistory == 0 && roomy.messages.count == 1 + history.count + 1)

        let limit = 700
        let tight = try builder.build(question: "And now?", passages: passages,
                                      budget: PromptBudget(contextTokens: limit + 100, maxAnswerTokens: 100), history: history)
        #expect(tight.promptIDs.count <= limit)
        #expect(tight.trimmedHistory > 0 && tight.trimmedHistory % 2 == 0, "whole turns go: \(tight.trimmedHistory)")
        #expect(Array(tight.messages.dropFirst().dropLast()) == Array(history.suffix(history.count - tight.trimmedHistory)))
        #expect(tight.included.first?.passageID == passages[0].passageID)
        #expect(tight.messages[1].role == "user")
    }

    @Test func impossibleBudgetsAreClearErrors() throws {
        let builder = try RAGFixtures.builder()
        #expect(throws: RAGError.invalidBudget(contextTokens: 100, maxAnswerTokens: 100)) {
            try builder.build(question: "q", passages: [], budget: PromptBudget(contextTokens: 100, maxAnswerTokens: 100))
        }
        do {
            _ = try builder.build(question: "q", passages: Self.longPassages(1),
                                  budget: PromptBudget(contextTokens: 150, maxAnswerTokens: 100))
            Issue.record("expected questionTooLong")
        } catch let error as RAGError {
            guard case .questionTooLong(let tokens, let limit) = error else { Issue.record("\(error)"); return }
            #expect(tokens > limit && limit == 50)
            #expect(error.description.contains("--max-tokens"))
        }
    }
}
