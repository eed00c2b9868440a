/// Every bound the API enforces, in one place: the request checks use these, and `OpenAPIDocument` publishes the
/// same numbers, so the document and the server cannot disagree.
enum APILimits {
    /// Largest request body, in bytes.
    static let bodyBytes = 8 << 20
    /// Longest search query or question, in characters.
    static let queryCharacters = 4_000
    /// Hits a search may ask for.
    static let searchK = 1...100
    /// Passages an answer may be given.
    static let answerTopK = 1...50
    /// Documents a rerank, and texts an encode, may carry.
    static let batchItems = 1...1_000
    /// Stop strings and their length.
    static let stopStrings = 4
    static let stopCharacters = 200
    static let temperature = 0.0...2.0
    /// Answer tokens a request may ask for (the context still bounds the prompt plus the answer).
    static let maxTokens = 1...32_768
    /// Paths one index or forget request may name.
    static let paths = 1...1_000
}

extension APILimits {
    static func checkQuery(_ text: String, field: String) throws {
        guard !text.isEmpty else { throw APIError.invalidRequest("\(field) is empty", code: "empty_query") }
        guard text.count <= queryCharacters else {
            throw APIError.invalidRequest("\(field) has \(text.count) characters; at most \(queryCharacters)", code: "query_too_long")
        }
    }

    static func checkMaxTokens(_ value: Int) throws {
        guard maxTokens.contains(value) else {
            throw APIError.invalidRequest("`max_tokens` must be between 1 and \(maxTokens.upperBound)", code: "invalid_max_tokens")
        }
    }

    static func checkPaths(_ paths: [String]) throws {
        guard self.paths.contains(paths.count) else {
            throw APIError.invalidRequest("`paths` takes 1 to \(self.paths.upperBound) paths", code: "no_paths")
        }
    }
}
