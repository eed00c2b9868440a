import Foundation
import Generation
import LFM2
import RAG
import Testing
import TestSupport
import Tokenizers

/// Question → prompt → greedy generation on the fixture model, against `transformers.generate` on the same prompt.
@Suite struct GenerationEndToEndTests {
    @Test func greedyAnswerMatchesTransformers() throws {
        let reference = RAGReference.shared.generation
        let folder = Fixtures.url("lfm2-tiny")
        let model = try LFM2Model.load(directory: folder)
        let tokenizer = try Tokenizer.load(directory: folder)
        let builder = PromptBuilder(tokenizer: tokenizer, template: try ChatTemplate(source: tokenizer.chatTemplateSource!))
        #expect(model.config.maxPositions == reference.context_tokens)

        let prompt = try builder.build(question: reference.question, passages: reference.passages,
                                       budget: PromptBudget(contextTokens: model.config.maxPositions,
                                                            maxAnswerTokens: reference.max_new_tokens))
        #expect(prompt.text == reference.prompt_text)
        #expect(prompt.promptIDs == reference.prompt_ids)
        #expect(prompt.dropped.isEmpty && prompt.truncated.isEmpty)

        var streamed = ""
        let checker = StreamingCitationChecker(passages: prompt.included)
        var sentenceEnds: [(reported: Int, end: Int)] = []
        let result = try Generator(model: model, tokenizer: tokenizer)
            .generate(promptIDs: prompt.promptIDs, maxTokens: reference.max_new_tokens, onText: {
                streamed += $0
                for sentence in checker.append($0) { sentenceEnds.append((streamed.count, sentence.range.upperBound)) }
            })
        _ = checker.finish()
        let expected = Array(reference.greedy.prefix { $0 != 7 })
        if result.ids != expected {
            let first = zip(result.ids, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(result.ids.count, expected.count)
            Issue.record("generated ids differ from transformers at \(first): swift \(result.ids) python \(expected)")
        }
        #expect(streamed == result.text)
        // Whatever the tiny model says, every `[n]` in it becomes a citation, and one naming no given passage is
        // flagged, never kept.
        let citations = CitationChecker.check(answer: result.text, passages: prompt.included)
        let markers = result.text.matches(of: /\[(\d+)\]/).compactMap { Int($0.1) }
        #expect(Set(markers).isSubset(of: Set(citations.map(\.n))), "markers \(markers), citations \(citations.map(\.n))")
        for citation in citations where !(1...max(prompt.included.count, 1)).contains(citation.n) {
            #expect(!citation.verified && citation.problem != nil, "\(citation)")
        }
        // Checked while streaming, sentence by sentence, the same as checked whole; never before the sentence ended.
        #expect(checker.citations == citations)
        #expect(sentenceEnds.allSatisfy { $0.reported >= $0.end })
    }
}
