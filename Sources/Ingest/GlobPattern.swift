/// One path component of a gitignore pattern (the text between slashes), matched against one file name with git's
/// wildmatch rules: `*` any run of characters, `?` one character, `[a-z]`, `[!abc]`/`[^abc]` and `[[:alpha:]]`
/// classes, `\x` a literal `x`. Nothing here ever matches `/`, because names never contain one.
struct GlobPattern: Sendable, Equatable {
    enum Token: Sendable, Equatable {
        case literal(Unicode.Scalar)
        case anyRun
        case anyOne
        case characterClass(CharacterClass)
    }

    let tokens: [Token]

    /// Parses one component. A `[` without its closing `]` is taken literally.
    init(_ text: Substring) {
        let scalars = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            switch c {
            case "\\":
                // A trailing lone backslash matches nothing in git; treat it as a literal backslash.
                if i + 1 < scalars.count { tokens.append(.literal(scalars[i + 1])); i += 2 } else {
                    tokens.append(.literal(c)); i += 1
                }
            case "*":
                if tokens.last != .anyRun { tokens.append(.anyRun) }  // `**` inside a component is `*`
                i += 1
            case "?":
                tokens.append(.anyOne); i += 1
            case "[":
                if let (cls, next) = CharacterClass.parse(scalars, from: i) {
                    tokens.append(.characterClass(cls)); i = next
                } else {
                    tokens.append(.literal(c)); i += 1
                }
            default:
                tokens.append(.literal(c)); i += 1
            }
        }
        self.tokens = tokens
    }

    /// True when the pattern has no wildcards and equals `name`; lets callers skip the matcher.
    var isLiteral: Bool { tokens.allSatisfy { if case .literal = $0 { return true } else { return false } } }

    /// Whether the whole of `name` matches. Iterative, with one backtrack point for the last `*` (linear for the
    /// patterns people write, never exponential).
    func matches(_ name: Substring) -> Bool {
        let s = Array(name.unicodeScalars)
        var p = 0, i = 0
        var starP = -1, starI = 0
        while i < s.count {
            if p < tokens.count {
                switch tokens[p] {
                case .anyRun:
                    starP = p; starI = i; p += 1
                    continue
                case .anyOne:
                    p += 1; i += 1
                    continue
                case .literal(let c) where c == s[i]:
                    p += 1; i += 1
                    continue
                case .characterClass(let cls) where cls.contains(s[i]):
                    p += 1; i += 1
                    continue
                default:
                    break
                }
            }
            guard starP >= 0 else { return false }
            // Let the last `*` swallow one more character and retry from there.
            starI += 1; i = starI; p = starP + 1
        }
        while p < tokens.count, tokens[p] == .anyRun { p += 1 }
        return p == tokens.count
    }
}

/// A bracket expression: `[abc]`, `[a-z0-9]`, `[!x]` or `[^x]`, `[]]`, and the POSIX classes `[:alpha:]` etc.
struct CharacterClass: Sendable, Equatable {
    var negated = false
    var ranges: [ClosedRange<UInt32>] = []
    var named: [String] = []

    func contains(_ c: Unicode.Scalar) -> Bool {
        let hit = ranges.contains { $0.contains(c.value) } || named.contains { Self.posix(named: $0, c) }
        return hit != negated
    }

    /// Parses the class that starts at `scalars[start] == "["`; returns it and the index after its `]`.
    static func parse(_ scalars: [Unicode.Scalar], from start: Int) -> (CharacterClass, Int)? {
        var cls = CharacterClass()
        var i = start + 1
        if i < scalars.count, scalars[i] == "!" || scalars[i] == "^" { cls.negated = true; i += 1 }
        var first = true
        while i < scalars.count {
            var c = scalars[i]
            if c == "]" && !first { return (cls, i + 1) }
            first = false
            if c == "[", i + 1 < scalars.count, scalars[i + 1] == ":" {
                if let end = findPosixEnd(scalars, from: i + 2) {
                    cls.named.append(String(String.UnicodeScalarView(scalars[(i + 2)..<end])))
                    i = end + 2
                    continue
                }
            }
            if c == "\\", i + 1 < scalars.count { i += 1; c = scalars[i] }
            var upper = c
            if i + 2 < scalars.count, scalars[i + 1] == "-", scalars[i + 2] != "]" {
                upper = scalars[i + 2]
                if upper == "\\", i + 3 < scalars.count { upper = scalars[i + 3]; i += 1 }
                i += 2
            }
            if c.value <= upper.value { cls.ranges.append(c.value...upper.value) }
            i += 1
        }
        return nil
    }

    private static func findPosixEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var j = start
        while j + 1 < scalars.count {
            if scalars[j] == ":" && scalars[j + 1] == "]" { return j }
            if !scalars[j].properties.isAlphabetic { return nil }
            j += 1
        }
        return nil
    }

    private static func posix(named name: String, _ c: Unicode.Scalar) -> Bool {
        let p = c.properties
        switch name {
        case "alpha": return p.isAlphabetic
        case "digit": return ("0"..."9").contains(c)
        case "alnum": return p.isAlphabetic || ("0"..."9").contains(c)
        case "upper": return p.isUppercase
        case "lower": return p.isLowercase
        case "space": return p.isWhitespace
        case "xdigit": return p.isASCIIHexDigit
        case "punct": return c.isASCII && !p.isAlphabetic && !("0"..."9").contains(c) && c.value > 32 && c.value < 127
        case "blank": return c == " " || c == "\t"
        case "cntrl": return c.value < 32 || c.value == 127
        case "print": return c.value >= 32 && c.value != 127
        case "graph": return c.value > 32 && c.value != 127
        default: return false
        }
    }
}
