import Tokenizers

/// The words and separators of the answer prompt, in one place. The layout follows LFM2-1.2B-RAG (documents in the
/// user turn after `Use the following context to answer questions:\n`), with numbered, located passages and the
/// question last:
///
/// ```
/// system: <rules>
/// user:   Use the following context to answer questions:
///         [1] notes/paris.md:1-3
///         <passage text>
///
///         [2] report.pdf#page=4
///         <passage text>
///
///         Question: <question>
/// ```
/// `scripts/fixtures/rag.py` writes the same layout in Python; the golden tests compare the two renders byte for byte,
/// so change both together.
public struct PromptLayout: Sendable, Equatable {
    /// The system message; empty leaves the system turn out.
    public var system: String
    /// The first line of the user turn (LFM2-1.2B-RAG's literal header, newline included).
    public var contextHeader: String
    /// Put before the question, after the passages.
    public var questionLabel: String

    public init(system: String, contextHeader: String, questionLabel: String) {
        self.system = system
        self.contextHeader = contextHeader
        self.questionLabel = questionLabel
    }

    /// Ferret's prompt: answer only from the passages, cite `[n]`, quote the supporting words, admit ignorance, answer
    /// in the question's language.
    public static let standard = PromptLayout(
        system: """
            You answer questions using only the numbered passages from the user's files. \
            After each claim, cite the passage it comes from as [n], for example [1] or [2][3]. \
            When you can, quote the supporting words exactly, in double quotes, next to the citation. \
            If the passages do not contain the answer, say that you don't know. \
            Answer in the language of the question.
            """,
        contextHeader: "Use the following context to answer questions:\n",
        questionLabel: "Question: ")

    /// One passage: `[n] location`, a newline, the text with surrounding whitespace trimmed.
    public func passageBlock(number: Int, passage: RetrievedPassage) -> String {
        "[\(number)] \(passage.location)\n\(Self.trimmed(passage.text))"
    }

    /// The user turn: header, passage blocks separated by blank lines, a blank line, the labelled question.
    /// With no passages the header is left out too.
    public func userContent(question: String, passages: [RetrievedPassage]) -> String {
        let question = questionLabel + Self.trimmed(question)
        guard !passages.isEmpty else { return question }
        let blocks = passages.enumerated().map { passageBlock(number: $0.offset + 1, passage: $0.element) }
        return contextHeader + blocks.joined(separator: "\n\n") + "\n\n" + question
    }

    /// The messages in rendering order: system (when non-empty), history, the new user turn.
    /// This layout with a caller's instructions (an API client's system message) after Ferret's rules: the rules
    /// come first and stay, the caller can add to them but not replace them.
    public func withInstructions(_ instructions: String?) -> PromptLayout {
        guard let extra = instructions?.trimmingCharacters(in: .whitespacesAndNewlines), !extra.isEmpty else { return self }
        var layout = self
        layout.system = system.isEmpty ? extra : system + "\n\n" + extra
        return layout
    }

    public func messages(question: String, passages: [RetrievedPassage], history: [ChatMessage]) -> [ChatMessage] {
        var messages: [ChatMessage] = []
        if !system.isEmpty { messages.append(ChatMessage(role: "system", content: system)) }
        messages += history
        messages.append(ChatMessage(role: "user", content: userContent(question: question, passages: passages)))
        return messages
    }

    /// Trims spaces, tabs and line breaks only, matching Python's `str.strip(" \t\r\n")` in the fixture script.
    static func trimmed(_ text: String) -> String {
        let blank: Set<Character> = [" ", "\t", "\n", "\r", "\r\n"]
        guard let first = text.firstIndex(where: { !blank.contains($0) }),
              let last = text.lastIndex(where: { !blank.contains($0) }) else { return "" }
        return String(text[first...last])
    }
}
