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
