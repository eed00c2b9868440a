import Foundation
import RAG

/// How well the relevance floor tells answerable questions from unanswerable ones, on a labelled question set
/// (Tests/Fixtures/questions): abstention precision (of the questions Ferret abstained on, the share that truly has
/// no answer in the files) and recall (of the unanswerable questions, the share it abstained on), plus whether
/// answered questions found their file. `ferret bench answers` prints it; a test holds it above 0.9.
public struct AnswerabilityEvaluation: Sendable {
    public struct Question: Sendable, Codable {
        public var language: String
        public var question: String
        public var answerable: Bool
        /// The file (relative to the corpus) that answers it; nil for unanswerable questions.
        public var file: String?
    }

    public struct QuestionSet: Sendable, Codable {
        public var questions: [Question]

        public static func load(_ url: URL) throws -> QuestionSet {
            try JSONDecoder().decode(QuestionSet.self, from: Data(contentsOf: url))
        }
    }

    /// The outcome at one floor.
    public struct Report: Sendable, Codable, Equatable {
        public var floor: Double
        public var questions: Int
        public var abstained: Int
        /// Abstained on a question without an answer.
        public var correctAbstentions: Int
        public var unanswerable: Int
        /// Answered questions whose top passage is from their file.
        public var answeredFromTheirFile: Int
        public var answered: Int
        public var answerableAnswered: Int
        public var answerable: Int

        /// Of the abstentions, the share that was right (1 when it never abstained).
        public var abstentionPrecision: Double { abstained == 0 ? 1 : Double(correctAbstentions) / Double(abstained) }
        /// Of the unanswerable questions, the share it abstained on.
        public var abstentionRecall: Double { unanswerable == 0 ? 1 : Double(correctAbstentions) / Double(unanswerable) }
        /// Of the answerable questions it answered, the share whose best passage is from the right file.
        public var fileAccuracy: Double { answerableAnswered == 0 ? 0 : Double(answeredFromTheirFile) / Double(answerableAnswered) }

        enum CodingKeys: String, CodingKey {
            case floor, questions, abstained, unanswerable, answered, answerable
            case correctAbstentions = "correct_abstentions", answeredFromTheirFile = "answered_from_their_file"
            case answerableAnswered = "answerable_answered"
        }
    }

    /// Per question, the retrieved passages (best first): scored once, judged at every floor.
    let retrieved: [(question: Question, passages: [RetrievedPassage])]

    /// Retrieves every question with `retrieve`.
    public init(questions: [Question], retrieve: (String) throws -> [RetrievedPassage]) rethrows {
        retrieved = try questions.map { ($0, try retrieve($0.question)) }
    }

    /// The outcome at `floor`; paths are matched on their ending (`en/kettle-manual.md`).
    public func report(floor: Double) -> Report {
        var report = Report(floor: floor, questions: retrieved.count, abstained: 0, correctAbstentions: 0,
                            unanswerable: 0, answeredFromTheirFile: 0, answered: 0, answerableAnswered: 0, answerable: 0)
        for (question, passages) in retrieved {
            if question.answerable { report.answerable += 1 } else { report.unanswerable += 1 }
            switch RelevanceFloor(minScore: floor).decide(passages) {
            case .abstain:
                report.abstained += 1
                if !question.answerable { report.correctAbstentions += 1 }
            case .answer(let kept):
                report.answered += 1
                guard question.answerable else { continue }
                report.answerableAnswered += 1
                let best = kept.max { $0.score < $1.score }
                if let file = question.file, best?.path.hasSuffix("/" + file) == true { report.answeredFromTheirFile += 1 }
            }
        }
        return report
    }

    /// The questions judged wrongly at `floor`, for the printout: answered without an answer, or abstained with one.
    public func mistakes(floor: Double) -> [(question: Question, best: Double?)] {
        retrieved.compactMap { question, passages in
            let abstained: Bool
            if case .abstain = RelevanceFloor(minScore: floor).decide(passages) { abstained = true } else { abstained = false }
            return abstained == question.answerable ? (question, passages.map(\.score).max()) : nil
        }
    }
}
