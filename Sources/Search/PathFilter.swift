import Index

/// The passages a `--path` glob (and the server's confinement to its roots) leaves: their documents (for the FTS5 query), a membership bitmap indexed by
/// passage id (for candidates) and their token count (to decide whether to score them all).
struct PathFilter {
    let documents: [Int64]
    let passages: [Int64]
    let tokens: Int
    let allowed: [Bool]

    init(reader: IndexReader, keeping matches: (String) -> Bool) throws {
        documents = try reader.documents().filter { matches($0.path) }.map(\.id)
        let counts = documents.isEmpty ? [] : try reader.passageTokenCounts(documents: documents)
        passages = counts.map(\.id)
        tokens = counts.reduce(0) { $0 + $1.tokens }
        var allowed = [Bool](repeating: false, count: Int(passages.max() ?? 0) + 1)
        for id in passages { allowed[Int(id)] = true }
        self.allowed = allowed
    }
}
