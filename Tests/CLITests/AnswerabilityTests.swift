import Foundation
import Testing
import TestSupport

/// The committed question set (67 questions over corpora/ in six languages, 31 answerable, several unanswerable ones
/// sharing common words with the corpus): on a lexical-only index `ask` must abstain on the unanswerable ones and
/// answer the answerable ones, both with precision and recall ≥ 0.9, and answered questions must find their file.
@Suite struct AnswerabilityTests {
    @Test func lexicalAbstentionHoldsOnTheQuestionSet() throws {
        let run = try FerretBinary.run(["bench", "answers", "--json",
                                        "--questions", Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/questions/corpus-questions.json").path,
                                        "--corpus", Fixtures.repositoryRoot.appendingPathComponent("corpora").path],
                                       environment: ["FERRET_CONFIG": "/dev/null"])
        #expect(run.status == 0, "\(run.stderr)")
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        let standard = try #require(reports.first)   // the default floor comes first
        let precision = standard["abstention_precision"] as? Double ?? 0
        let recall = standard["abstention_recall"] as? Double ?? 0
        let accuracy = standard["file_accuracy"] as? Double ?? 0
        #expect(standard["questions"] as? Int ?? 0 >= 60)
        #expect(precision >= 0.9 && recall >= 0.9, "precision \(precision), recall \(recall) at floor \(standard["floor"] ?? "?")")
        #expect(accuracy >= 0.9, "answered questions found their file \(accuracy) of the time")
    }

    @Test func askAbstainsWithTheClosestFilesAndAnswersWhatTheFilesSay() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let index = folder.appendingPathComponent("i.sqlite").path
        let env = ["FERRET_CONFIG": "/dev/null"]
        let corpus = Fixtures.repositoryRoot.appendingPathComponent("corpora").path
        #expect(try FerretBinary.run(["index", corpus, "--index", index], environment: env).status == 0)
        let mongolia = try FerretBinary.run(["ask", "What is the capital of Mongolia?", "--index", index], environment: env)
        #expect(mongolia.status == 1 && mongolia.stdout.contains("I found nothing") && mongolia.stdout.contains("Closest:"),
                "\(mongolia.stdout)\(mongolia.stderr)")
        let kettle = try FerretBinary.run(["ask", "How often should the kettle be descaled?", "--index", index, "--json"],
                                          environment: env)
        #expect(kettle.status == 0, "\(kettle.stdout)")
        // Word forms: "descaled" finds the manual's "Descale once a month".
        #expect(kettle.stdout.contains("kettle-manual.md") && kettle.stdout.contains("once a month"), "\(kettle.stdout)")
    }
}
