import RAG
import Testing

/// Abstention when nothing clears `--min-score`.
@Suite struct RelevanceFloorTests {
    func passage(_ id: Int64, _ score: Double) -> RetrievedPassage {
        RetrievedPassage(passageID: id, path: "\(id).md", lineStart: 1, lineEnd: 1, text: "t", score: score)
    }

    @Test func abstainsWhenNothingClearsTheFloor() {
        let floor = RelevanceFloor(minScore: 0.5)
        guard case .abstain(let best, let closest) = floor.decide([passage(1, 0.3), passage(2, 0.49)]) else {
            Issue.record("did not abstain")
            return
        }
        #expect(best == 0.49 && closest.map(\.passageID) == [2, 1])
        #expect(floor.decide([]) == .abstain(bestScore: nil))
        #expect(RelevanceFloor.disabled.decide([]) == .abstain(bestScore: nil))
        #expect(floor.abstentionMessage(bestScore: 0.49).contains("--min-score"))
    }

    @Test func keepsOnlyPassagesAtOrAboveTheFloorInOrder() {
        let floor = RelevanceFloor(minScore: 0.5)
        #expect(floor.decide([passage(1, 0.9), passage(2, 0.2), passage(3, 0.5)]) == .answer([passage(1, 0.9), passage(3, 0.5)]))
        #expect(RelevanceFloor.disabled.decide([passage(1, -3)]) == .answer([passage(1, -3)]))
    }

    @Test func defaultIsDocumentedValue() {
        #expect(RelevanceFloor().minScore == RelevanceFloor.defaultMinScore)
        #expect(RelevanceFloor.defaultMinScore == 0.5)
    }
}

/// Follow-up questions are retrieved with the subject of the questions before them; whole questions are not.
@Suite struct FollowUpQueryTests {
    let query = FollowUpQuery { text in
        text.lowercased().split { !$0.isLetter }.map(String.init)
            .filter { !["how", "does", "the", "and", "in", "what", "about", "is", "it", "often", "work"].contains($0) }
    }

    @Test func followUpsCarryTheSubject() {
        let earlier = ["How does the water cycle work?"]
        #expect(query.retrievalQuery("And in French?", previousQuestions: earlier) == "And in French? water cycle")
        #expect(query.retrievalQuery("What about the rear one?", previousQuestions: ["How does the front derailleur move the chain?"])
                    .contains("derailleur"))
        #expect(query.retrievalQuery("How often is it cleaned?", previousQuestions: ["Which kettle descaling method works best?"])
                    .contains("kettle"))
    }

    @Test func selfContainedQuestionsAreLeftAlone() {
        let question = "Who invented movable type made of baked clay?"
        #expect(query.retrievalQuery(question, previousQuestions: ["How does the water cycle work?"]) == question)
        #expect(query.retrievalQuery("And in French?", previousQuestions: []) == "And in French?")
    }
}

/// An API client's system message is added after Ferret's rules, never instead of them.
@Suite struct PromptInstructionsTests {
    @Test func clientInstructionsFollowTheRules() throws {
        let layout = PromptLayout.standard.withInstructions("  Answer in French.  ")
        let messages = layout.messages(question: "q", passages: [], history: [])
        let system = try #require(messages.first { $0.role == "system" }).content
        #expect(system.hasPrefix(PromptLayout.standard.system) && system.hasSuffix("\n\nAnswer in French."))
        #expect(PromptLayout.standard.withInstructions("   ").system == PromptLayout.standard.system)
        #expect(PromptLayout.standard.withInstructions(nil).system == PromptLayout.standard.system)
    }
}
