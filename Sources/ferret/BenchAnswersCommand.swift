import ArgumentParser
import Foundation
import Index
import Indexing
import Ingest
import RAG
import Retrieval

/// `ferret bench answers`: abstention precision and recall of `ask`'s relevance floor on the labelled question set.
struct BenchAnswersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answers",
        abstract: "Abstention precision and recall of `ask` on a labelled question set (default: the sample corpus).",
        discussion: """
        Indexes the corpus into a temporary index (lexical-only without --model), retrieves every question and \
        judges it at the default floor and at a sweep of floors: precision = abstentions that were right, recall = \
        unanswerable questions abstained on, file accuracy = answered questions whose best passage is their file.
        """)

    @Option(name: .long, help: ArgumentHelp("The question set (JSON).", valueName: "file"))
    var questions: String?

    @Option(name: .long, help: ArgumentHelp("The folder the questions are about.", valueName: "dir"))
    var corpus: String?

    @Option(name: .long, help: ArgumentHelp("A ColBERT model folder: judge the semantic floor instead.", valueName: "dir"))
    var model: String?

    @Option(name: .long, help: "Passages retrieved per question.")
    var k = 5

    @Flag(name: .long, help: "Print the reports as JSON.")
    var json = false

    @OptionGroup var precisionOptions: PrecisionOptions

    func run() throws {
        try reportingErrors {
            let root = IndexLocation.repositoryRoot() ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let questionFile = questions.map { URL(fileURLWithPath: $0) }
                ?? root.appendingPathComponent("Tests/Fixtures/questions/corpus-questions.json")
            let corpusFolder = URL(fileURLWithPath: corpus ?? root.appendingPathComponent("corpora").path)
            let set = try AnswerabilityEvaluation.QuestionSet.load(questionFile)
            let encoder = try model.map { try ModelLoading.encoder($0, precision: precisionOptions.dtype) }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferret-bench-answers-\(getpid())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let database = try IndexDatabase.open(
                at: folder.appendingPathComponent("index.sqlite"),
                encoder: encoder.map { EncoderIdentity(name: $0.name, fingerprint: $0.fingerprint, dimension: $0.dimension, head: $0.head) })
            _ = try Indexer(database: database, encoder: encoder).run(roots: [corpusFolder])
            let retriever = try Retriever(database: database, encoder: encoder, k: k)
            let evaluation = try AnswerabilityEvaluation(questions: set.questions) { try retriever.passages(for: $0) }
            let standard = retriever.floor(minScore: nil).minScore
            let sweep = stride(from: 0.2, through: 0.8, by: 0.05).map { ($0 * 100).rounded() / 100 }
            let reports = ([standard] + sweep.filter { $0 != standard }).map { evaluation.report(floor: $0) }
            if json {
                try Console.printJSON(reports.map(Row.init))
                return
            }
            print("\(set.questions.count) questions (\(reports[0].answerable) answerable) over \(corpusFolder.path); "
                  + "\(encoder == nil ? "lexical coverage" : "normalised MaxSim") floor")
            print(" floor  precision  recall  answered  file accuracy")
            for report in reports {
                print(String(format: " %4.2f   %6.3f    %6.3f  %3d/%-3d   %6.3f%@", report.floor, report.abstentionPrecision,
                             report.abstentionRecall, report.answered, report.questions, report.fileAccuracy,
                             report.floor == standard ? "   ← default" : ""))
            }
            let mistakes = evaluation.mistakes(floor: standard)
            if !mistakes.isEmpty {
                print("judged wrongly at the default floor:")
                for (question, best) in mistakes {
                    print("  [\(question.language)] \(question.question) — \(question.answerable ? "abstained" : "answered")"
                          + (best.map { String(format: " (best %.3f)", $0) } ?? ""))
                }
            }
        }
    }

    /// One report with its derived rates, for `--json`.
    struct Row: Encodable {
        let report: AnswerabilityEvaluation.Report
        enum CodingKeys: String, CodingKey { case report, precision = "abstention_precision", recall = "abstention_recall", accuracy = "file_accuracy" }
        init(_ report: AnswerabilityEvaluation.Report) { self.report = report }
        func encode(to encoder: Encoder) throws {
            try report.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(report.abstentionPrecision, forKey: .precision)
            try c.encode(report.abstentionRecall, forKey: .recall)
            try c.encode(report.fileAccuracy, forKey: .accuracy)
        }
    }
}
