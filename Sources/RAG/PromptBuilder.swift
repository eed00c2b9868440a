import Tokenizers

/// Builds the answer prompt inside the generator's context budget, counting the tokens of the fully rendered
/// template (never an estimate), so the prompt plus `maxAnswerTokens` never exceeds the context.
///
/// What gives way when the passages do not fit, in this order:
/// 1. the oldest history messages, until the top `protectedPassages` (three) fit whole (a turn that would start with
///    an assistant reply goes with the user message before it): a long chat never crowds out the best passages;
/// 2. the lowest-ranked passages, dropped whole;
/// 3. the first passage that no longer fits whole is cut at a sentence or word boundary, when what remains is at least
///    `minimumTruncatedCharacters` long (the top passage is always kept, cut as short as needed).
/// Everything left out is reported in `AnswerPrompt`.
public struct PromptBuilder: Sendable {
    public let tokenizer: Tokenizer
    public let template: ChatTemplate
    public var layout: PromptLayout
    /// A cut passage shorter than this is dropped instead (except the top passage, which is always kept).
    public var minimumTruncatedCharacters = 80
    /// How many of the best passages history gives way to.
    public var protectedPassages = 3

    public init(tokenizer: Tokenizer, template: ChatTemplate, layout: PromptLayout = .standard) {
        self.tokenizer = tokenizer
        self.template = template
        self.layout = layout
    }

    /// Builds the prompt for `question` from `passages` (best first).
    /// - Throws: `RAGError.invalidBudget`, `RAGError.questionTooLong`, or a `ChatTemplateError` from rendering.
    public func build(question: String, passages: [RetrievedPassage], budget: PromptBudget,
                      history: [ChatMessage] = []) throws -> AnswerPrompt {
        let limit = try budget.validatedLimit()
        let bare = try render(question: question, passages: [], history: [])
        guard bare.ids.count <= limit else { throw RAGError.questionTooLong(tokens: bare.ids.count, limit: limit) }

        // 1. History yields to the top passages (whole), oldest turns first.
        var history = history
        var trimmedHistory = 0
        let top = Array(passages.prefix(protectedPassages))
        while !history.isEmpty, try render(question: question, passages: top, history: history).ids.count > limit {
            let cut = Self.oldestTurnLength(history)
            history.removeFirst(cut)
            trimmedHistory += cut
        }

        // 2. The longest prefix of whole passages that fits (token counts grow with every passage added).
        var fitting = try render(question: question, passages: passages, history: history)
        var kept = passages.count
        if fitting.ids.count > limit {
            var low = 0, high = passages.count - 1  // `low` passages fit; `high + 1` do not
            fitting = try render(question: question, passages: [], history: history)
            while low < high {
                let middle = (low + high + 1) / 2
                let attempt = try render(question: question, passages: Array(passages.prefix(middle)), history: history)
                if attempt.ids.count <= limit { low = middle; fitting = attempt } else { high = middle - 1 }
            }
            kept = low
        }
        var included = Array(passages.prefix(kept))
        var truncated: [Int64] = []

        // 3. Cut the next passage to fill the room left.
        if kept < passages.count {
            let next = passages[kept]
            if let cut = try longestFittingPrefix(of: next, before: included, question: question, history: history,
                                                  limit: limit),
               kept == 0 || cut.passage.text.count >= minimumTruncatedCharacters {
                included.append(cut.passage)
                truncated.append(next.passageID)
                fitting = cut.render
            } else if kept == 0 {
                // Not even an empty-bodied top passage fits beside the question: say so rather than answer blind.
                let headerOnly = try render(question: question, passages: [Self.emptied(next)], history: history)
                throw RAGError.questionTooLong(tokens: headerOnly.ids.count, limit: limit)
            }
        }
        let dropped = passages.dropFirst(included.count).map(\.passageID)
        return AnswerPrompt(messages: fitting.messages, text: fitting.text, promptIDs: fitting.ids,
                            included: included, dropped: dropped, truncated: truncated,
                            trimmedHistory: trimmedHistory, promptLimit: limit)
    }

    struct Render {
        var messages: [ChatMessage]
        var text: String
        var ids: [Int]
    }

    /// Renders and tokenizes like `Generator.chatPromptIDs`: the template writes BOS, so none is added.
    func render(question: String, passages: [RetrievedPassage], history: [ChatMessage]) throws -> Render {
        let messages = layout.messages(question: question, passages: passages, history: history)
        let text = try template.render(messages: messages, addGenerationPrompt: true,
                                       bosToken: tokenizer.bosToken, eosToken: tokenizer.eosToken)
        return Render(messages: messages, text: text, ids: tokenizer.encode(text, addSpecialTokens: false))
    }

    /// The longest cut of `passage` that fits after `before`; nil when even the shortest cut does not fit.
    func longestFittingPrefix(of passage: RetrievedPassage, before: [RetrievedPassage], question: String,
                              history: [ChatMessage], limit: Int) throws -> (passage: RetrievedPassage, render: Render)? {
        let text = PromptLayout.trimmed(passage.text)
        let cuts = TextCuts(text)
        func attempt(_ end: String.Index) throws -> (RetrievedPassage, Render)? {
            var shortened = passage
            shortened.text = PromptLayout.trimmed(String(text[..<end]))
            guard !shortened.text.isEmpty else { return nil }
            let render = try self.render(question: question, passages: before + [shortened], history: history)
            return render.ids.count <= limit ? (shortened, render) : nil
        }
        // Word (and sentence) boundaries first; character boundaries only for text without spaces (CJK).
        for candidates in [cuts.words, cuts.characters] where !candidates.isEmpty {
            var low = -1, high = candidates.count - 1  // candidates[...low] fit; candidates[(high + 1)...] do not
            var best: (RetrievedPassage, Render)?
            while low < high {
                let middle = (low + high + 1) / 2
                if let fit = try attempt(candidates[middle]) { low = middle; best = fit } else { high = middle - 1 }
            }
            guard let found = best else { continue }
            // Prefer ending on a sentence when that keeps at least half of the word cut.
            let wordEnd = candidates[low]
            if let sentenceEnd = cuts.sentences.last(where: { $0 <= wordEnd }), sentenceEnd < wordEnd,
               text.distance(from: text.startIndex, to: sentenceEnd) * 2 >= text.distance(from: text.startIndex, to: wordEnd),
               let fit = try attempt(sentenceEnd) {
                return fit
            }
            return found
        }
        return nil
    }

    /// How many messages the oldest turn spans: the first message plus any assistant replies right after it.
    static func oldestTurnLength(_ history: [ChatMessage]) -> Int {
        var length = 1
        while length < history.count, history[length].role == "assistant" { length += 1 }
        return length
    }

    static func emptied(_ passage: RetrievedPassage) -> RetrievedPassage {
        var copy = passage
        copy.text = ""
        return copy
    }
}
