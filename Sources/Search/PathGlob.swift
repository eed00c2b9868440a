/// A shell-style pattern over document paths, for `--path`.
///
/// `*` matches within one path component, `**` across components, `?` one character, `[abc]`, `[a-z]` and `[!abc]`
/// a character class. A pattern that does not start with `/` may match the whole path or any trailing part of it
/// that starts a component, so `*.md` and `docs/*.md` work on absolute paths as they would inside the folder.
public struct PathGlob: Sendable, Equatable {
    public let pattern: String
    private let scalars: [Unicode.Scalar]

    public init(_ pattern: String) throws {
        guard !pattern.isEmpty else { throw SearchError.invalidGlob(pattern, reason: "the pattern is empty") }
        var depth = 0
        for scalar in pattern.unicodeScalars {
            if scalar == "[" { depth += 1 } else if scalar == "]" && depth > 0 { depth -= 1 }
        }
        guard depth == 0 else { throw SearchError.invalidGlob(pattern, reason: "a [ has no closing ]") }
        self.pattern = pattern
        scalars = Array(pattern.unicodeScalars)
    }

    public func matches(_ path: String) -> Bool {
        let text = Array(path.unicodeScalars)
        if Self.match(scalars[...], text[...]) { return true }
        guard scalars.first != "/" else { return false }
        for (i, scalar) in text.enumerated() where scalar == "/" && Self.match(scalars[...], text[(i + 1)...]) {
            return true
        }
        return false
    }

    private static func match(_ pattern: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let head = pattern.first else { return text.isEmpty }
        switch head {
        case "*":
            let doubled = pattern.dropFirst().first == "*"
            var rest = pattern.dropFirst(doubled ? 2 : 1)
            if doubled, rest.first == "/" {
                // `**/` also matches no directory at all.
                if match(rest.dropFirst(), text) { return true }
                rest = pattern.dropFirst(2)
            }
            var position = text.startIndex
            while true {
                if match(rest, text[position...]) { return true }
                guard position < text.endIndex, doubled || text[position] != "/" else { return false }
                position += 1
            }
        case "?":
            guard let first = text.first, first != "/" else { return false }
            return match(pattern.dropFirst(), text.dropFirst())
        case "[":
            guard let first = text.first, let close = pattern.dropFirst(2).firstIndex(of: "]") else { return false }
            var set = pattern[(pattern.startIndex + 1)..<close]
            let negated = set.first == "!" || set.first == "^"
            if negated { set = set.dropFirst() }
            var inSet = false
            var i = set.startIndex
            while i < set.endIndex {
                if i + 2 < set.endIndex, set[i + 1] == "-" {
                    if set[i].value <= first.value && first.value <= set[i + 2].value { inSet = true }
                    i += 3
                } else {
                    if set[i] == first { inSet = true }
                    i += 1
                }
            }
            guard inSet != negated, first != "/" else { return false }
            return match(pattern[(close + 1)...], text.dropFirst())
        default:
            guard text.first == head else { return false }
            return match(pattern.dropFirst(), text.dropFirst())
        }
    }
}
