/// A query's words as FTS5 alternatives: each word becomes a group of its surface form and its Snowball stems under
/// the given languages (the languages of the indexed documents: a short query's own language guess is unreliable,
/// and a stem in a language no document has cannot match a stem in the index anyway). The FTS5 expression ORs every
/// alternative, each a quoted string, so FTS5 syntax in the query stays inert.
public struct LexicalQuery: Sendable, Equatable {
    /// One query word and what it may match: `alternatives[0]` is the surface form, then its distinct stems.
    public struct Group: Sendable, Equatable {
        public var alternatives: [String]
    }

    /// Distinct words in order of first appearance (case-insensitive), each with its stems.
    public var groups: [Group]

    /// `words` (empty ones dropped) with their stems under `languages`.
    public init(words: [String], languages: [String]) {
        var seen = Set<String>()
        groups = []
        for word in words where !word.isEmpty {
            let key = word.lowercased()
            guard seen.insert(key).inserted else { continue }
            var alternatives = [word]
            for stem in Stemmer.stems(word, languages: languages) where stem != key {
                alternatives.append(stem)
            }
            groups.append(Group(alternatives: alternatives))
        }
    }

    init(groups: [Group]) { self.groups = groups }

    /// Every alternative of every group, once each (as written; FTS5 folds case and diacritics itself).
    public var terms: [String] {
        var seen = Set<String>()
        return groups.flatMap(\.alternatives).filter { seen.insert($0.lowercased()).inserted }
    }

    /// The FTS5 MATCH expression: every term a quoted string (`"` doubled), joined by OR. Empty when there are none.
    public var expression: String {
        terms.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " OR ")
    }
}
