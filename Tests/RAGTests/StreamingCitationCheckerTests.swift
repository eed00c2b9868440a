import Foundation
import RAG
import Testing

/// Citations reported as each sentence of a streamed answer completes, the same as checking the whole answer.
@Suite struct StreamingCitationCheckerTests {
    let passages = [
        RetrievedPassage(passageID: 1, path: "paris.md", lineStart: 1, lineEnd: 1,
                         text: "Paris is the capital of France. It has about 2.1 million inhabitants.", score: 0.8),
        RetrievedPassage(passageID: 2, path: "tokyo.md", lineStart: 1, lineEnd: 1,
                         text: "Tokyo is the capital of Japan and its largest city.", score: 0.7),
    ]

    /// Feeds `pieces` as a generator would and logs deltas and citations in the order a writer would see them.
    func stream(_ pieces: [String]) -> (log: [String], checker: StreamingCitationChecker) {
        let checker = StreamingCitationChecker(passages: passages)
        var log: [String] = []
        for piece in pieces {
            log.append("delta " + piece)
            log += checker.append(piece).flatMap(\.citations).map { "citation \($0.n) \($0.support.rawValue)" }
        }
        log += checker.finish().flatMap(\.citations).map { "citation \($0.n) \($0.support.rawValue)" }
        return (log, checker)
    }

    @Test func citationsArriveAsSoonAsTheirSentenceEnds() {
        let pieces = ["Paris is the", " capital of France [", "1]. It has", " 3.4 million people [1", "]. Tokyo",
                      " is Japan's capital [2]", "."]
        let (log, checker) = stream(pieces)
        #expect(log == [
            "delta Paris is the", "delta  capital of France [", "delta 1]. It has",
            "citation 1 supported",                          // the next sentence has begun: ". It" settles it
            "delta  3.4 million people [1", "delta ]. Tokyo",
            "citation 1 unsupported",
            "delta  is Japan's capital [2]", "delta .",
            "citation 2 supported",                          // only when the answer ends: more could follow the "."
        ], "\(log)")
        #expect(checker.citations == CitationChecker.check(answer: pieces.joined(), passages: passages))
    }

    @Test func markerAfterTheFullStopWaitsForTheMarker() {
        let (log, _) = stream(["Tokyo is the capital of Japan.", " [", "2]", " Paris", " is the capital [1]."])
        #expect(log == ["delta Tokyo is the capital of Japan.", "delta  [", "delta 2]", "delta  Paris",
                        "citation 2 supported", "delta  is the capital [1].", "citation 1 supported"], "\(log)")
    }

    @Test func decimalsAndListsDoNotEndSentencesEarly() {
        let answer = "It has about 2.1 million inhabitants [1].\n- Tokyo is the capital of Japan [2]\n"
        let pieces = answer.map(String.init)  // one character at a time
        let (_, checker) = stream(pieces)
        #expect(checker.sentences.count == 2)
        #expect(checker.citations.map(\.support) == [.supported, .supported])
        #expect(checker.citations == CitationChecker.check(answer: answer, passages: passages))
    }
}
