import Foundation
import RAG
import TestSupport
import Tokenizers

/// `Tests/Fixtures/rag-reference.json`, written by `scripts/fixtures/rag.py`.
struct RAGReference: Decodable {
    struct Render: Decodable { let text: String; let ids: [Int] }
    struct Message: Decodable { let role: String; let content: String }
    struct Case: Decodable {
        let name: String
        let question: String
        let passages: [RetrievedPassage]
        let history: [Message]
        let renders: [String: Render]
    }
    struct Generation: Decodable {
        let question: String
        let max_new_tokens: Int
        let context_tokens: Int
        let passages: [RetrievedPassage]
        let prompt_text: String
        let prompt_ids: [Int]
        let greedy: [Int]
    }
    let system: String
    let cases: [Case]
    let generation: Generation

    static let shared = try! Fixtures.decode(RAGReference.self, from: "rag-reference.json")
}

enum RAGFixtures {
    /// Template name in the reference → fixture folder.
    static let folders = ["lfm2": "lfm2-tiny", "lfm2.5": "lfm2-tiny-sharded"]

    static func builder(_ template: String = "lfm2") throws -> PromptBuilder {
        let tokenizer = try Tokenizer.load(directory: Fixtures.url(folders[template]!))
        return PromptBuilder(tokenizer: tokenizer, template: try ChatTemplate(source: tokenizer.chatTemplateSource!))
    }

    static func passage(_ id: Int64, _ text: String, path: String? = nil, score: Double = 1) -> RetrievedPassage {
        RetrievedPassage(passageID: id, path: path ?? "doc\(id).md", lineStart: 1, lineEnd: 4, text: text, score: score)
    }
}
