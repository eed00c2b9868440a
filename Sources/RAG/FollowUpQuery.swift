/// The retrieval query for a chat turn. A follow-up ("and in French?", "what about the rear one?", "wie oft?",
/// "et en hiver ?") names too little to retrieve by itself: its subject is in the turns before. A turn that looks
/// like one — few content words, or opening with a continuation ("and", "what about", "und", "et", "y", "e"), or
/// leaning on a pronoun ("it", "they", "this", "es", "il", "ça", "eso"; articles that double as pronouns are left
/// out, so "la presse" is not a follow-up) — is retrieved with the content words of the
/// recent questions added (most recent first, at most `maximumCarriedWords`), not with whole previous questions
/// whose function words would dilute it. A self-contained question is retrieved as it is.
public struct FollowUpQuery: Sendable {
    /// Content words carried over from earlier questions, at most.
    public var maximumCarriedWords = 8
    /// Earlier questions looked at, most recent first.
    public var turnsLookedAt = 2
    /// Splits text into folded content words (the retriever's own, so carried words match what it indexes).
    public let contentWords: @Sendable (String) -> [String]

    public init(contentWords: @escaping @Sendable (String) -> [String]) {
        self.contentWords = contentWords
    }

    /// `question` as retrieved, given the earlier questions of the conversation (oldest first).
    public func retrievalQuery(_ question: String, previousQuestions: [String]) -> String {
        guard !previousQuestions.isEmpty, isFollowUp(question) else { return question }
        let own = Set(contentWords(question))
        var carried: [String] = []
        for earlier in previousQuestions.suffix(turnsLookedAt).reversed() {
            for word in contentWords(earlier) where !own.contains(word) && !carried.contains(word) {
                carried.append(word)
            }
        }
        guard !carried.isEmpty else { return question }
        return question + " " + carried.prefix(maximumCarriedWords).joined(separator: " ")
    }

    /// Whether `question` leans on the conversation before it.
    public func isFollowUp(_ question: String) -> Bool {
        let lowered = question.lowercased()
        let words = lowered.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        if contentWords(question).count <= 2 { return true }
        if let first = words.first, Self.continuations.contains(first) { return true }
        if words.count >= 2, Self.continuationPairs.contains(words[0] + " " + words[1]) { return true }
        return words.contains { Self.pronouns.contains($0) }
    }

    static let continuations: Set<String> = ["and", "also", "und", "auch", "et", "aussi", "y", "también", "e", "anche", "en"]
    static let continuationPairs: Set<String> = ["what about", "how about", "and what", "und was", "et pour", "et en",
                                                 "y en", "y para", "what else"]
    static let pronouns: Set<String> = [
        "it", "its", "they", "them", "their", "this", "these", "those",
        "es", "ihn", "ihm", "dies", "diese", "dieser",
        "il", "elle", "ils", "elles", "ça", "cela", "celui", "celle",
        "él", "ella", "ellos", "eso", "esto",
    ]
}
