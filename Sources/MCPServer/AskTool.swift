import Foundation
import MCP
import RAG

/// `ask`: the answer `ferret ask` gives — generated with the generator when one is loaded, else the extractive
/// answer (the best-matching sentences, quoted) — with its citations as checked against the passages, or the
/// abstention when no passage clears the relevance floor. An abstention is a normal result, not an error: the
/// files were searched and do not answer.
extension FerretMCPServer {
    struct AskSource: Encodable {
        let n: Int
        /// `path:start-end` or `path#page=N`; nil when the marker names no given passage.
        let citation: String?
        let verified: Bool
        let support: SupportLevel
        let quote: String?
        let problem: String?
    }

    struct AskAnswer: Encodable {
        let answer: String
        let abstained: Bool
        let extracted: Bool
        let citations: [AskSource]
        let mostly_unsupported: Bool
    }

    func ask(_ arguments: AskArguments) throws -> CallTool.Result {
        var retriever = self.retriever
        retriever.k = arguments.k
        let question = arguments.question
        var answerer = QuestionAnswerer(
            retrieve: { try retriever.passages(for: $0) },
            sentenceScorer: { retriever.sentenceScorer(question: question, passages: $0) },
            generator: generator, floor: retriever.floor(minScore: nil), maxTokens: maxTokens,
            contextTokens: contextTokens, sampling: .greedy)
        answerer.support = retriever.citationSupport()
        let outcome = try answerer.answer(question)
        let sources = CitationChecker.sources(outcome.citations).map { citation in
            AskSource(n: citation.n, citation: citation.location, verified: citation.verified, support: citation.support,
                      quote: citation.span?.text ?? citation.quote, problem: citation.problem)
        }
        let answer = AskAnswer(answer: outcome.answer, abstained: outcome.abstained, extracted: outcome.extracted,
                               citations: sources, mostly_unsupported: outcome.mostly_unsupported)
        return try ToolOutput.result(text: Self.render(answer), structured: answer)
    }

    /// The answer, then a Sources block like `ferret ask`'s: `[n] path:lines — verified (quoted)`.
    static func render(_ answer: AskAnswer) -> String {
        if answer.abstained {
            return "Abstained: the indexed files do not answer this question. " + answer.answer
        }
        var text = answer.answer
        if !answer.citations.isEmpty {
            text += "\n\nSources:\n" + answer.citations.map { source in
                let check = source.verified ? "verified (\(source.support.rawValue))"
                    : "NOT verified (\(source.support.rawValue)" + (source.problem.map { ": \($0)" } ?? "") + ")"
                return "[\(source.n)] \(source.citation ?? "unknown passage") — \(check)"
            }.joined(separator: "\n")
        }
        if answer.mostly_unsupported {
            text += "\n\nWarning: most cited claims are not supported by the passages they cite."
        }
        return text
    }
}
