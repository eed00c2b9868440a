import Foundation

/// One rule of a `.gitignore` or `.ferretignore`, with git's semantics
/// (https://git-scm.com/docs/gitignore#_pattern_format): a pattern without a slash (other than a trailing one)
/// matches a name at any depth below its file's directory; one with a leading or middle slash is anchored to that
/// directory; a trailing `/` matches directories only; `**` as a whole component matches zero or more directories
/// (one or more when it ends the pattern: `abc/**` is everything inside `abc`); `!` re-includes; `#` starts a comment;
/// `\` escapes the next character, including a leading `#` or `!` and trailing spaces, which are otherwise dropped.
struct IgnoreRule: Sendable {
    enum Component: Sendable, Equatable {
        case anyDirectories
        case glob(GlobPattern)
    }

    let components: [Component]
    let negated: Bool
    let directoryOnly: Bool
    /// Where the rule came from, for skip reasons: `docs/.gitignore:3`.
    let origin: String
    let text: String

    /// Parses one line; nil for blank lines and comments.
    init?(line rawLine: Substring, origin: String) {
        var line = Self.trimTrailingSpaces(rawLine)
        guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
        text = String(line)
        negated = line.hasPrefix("!")
        if negated { line = line.dropFirst() }
        directoryOnly = line.hasSuffix("/") && !line.hasSuffix("\\/")
        if directoryOnly { line = line.dropLast() }
        guard !line.isEmpty else { return nil }
        let anchored = line.contains("/")
        if line.hasPrefix("/") { line = line.dropFirst() }
        var components: [Component] = line.split(separator: "/", omittingEmptySubsequences: true).map {
            $0 == "**" ? .anyDirectories : .glob(GlobPattern($0))
        }
        // A pattern without a slash matches at any depth: `foo` behaves as `**/foo`.
        if !anchored { components.insert(.anyDirectories, at: 0) }
        guard !components.isEmpty else { return nil }
        self.components = components
        self.origin = origin
    }

    /// Whether the rule matches `path` (components relative to the ignore file's directory).
    func matches(_ path: ArraySlice<Substring>, isDirectory: Bool) -> Bool {
        if directoryOnly && !isDirectory { return false }
        return Self.match(components[...], path)
    }

    private static func match(_ pattern: ArraySlice<Component>, _ path: ArraySlice<Substring>) -> Bool {
        guard let head = pattern.first else { return path.isEmpty }
        switch head {
        case .anyDirectories:
            let rest = pattern.dropFirst()
            // A trailing `**` must match at least one component (everything *inside* the directory).
            if rest.isEmpty { return !path.isEmpty }
            var tail = path
            while true {
                if match(rest, tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        case .glob(let glob):
            guard let name = path.first, glob.matches(name) else { return false }
            return match(pattern.dropFirst(), path.dropFirst())
        }
    }

    /// Drops trailing spaces and tabs unless escaped with a backslash (`foo\ ` keeps one space).
    private static func trimTrailingSpaces(_ line: Substring) -> Substring {
        var line = line
        if line.hasSuffix("\r") { line = line.dropLast() }
        while let last = line.last, last == " " || last == "\t" {
            let beforeLast = line.dropLast()
            let backslashes = beforeLast.reversed().prefix { $0 == "\\" }.count
            if backslashes % 2 == 1 { break }
            line = beforeLast
        }
        return line
    }
}

/// The rules of one ignore file, anchored at the directory that holds it.
struct IgnoreFile: Sendable {
    /// Depth of the file's directory below the walk root (0 = the root itself).
    let depth: Int
    let rules: [IgnoreRule]

    /// Git's own limit for pattern files (`PATTERN_MAX_FILE_SIZE`, 100 MiB); larger ones are not read, as in git.
    static let maximumBytes: Int64 = 100 << 20

    /// Reads `directory/name` if it exists; `displayPath` names it in skip reasons. Only a regular file of at most
    /// `maximumBytes` is read: a FIFO would block the walk forever, a link to `/dev/zero` would fill the memory.
    /// Patterns are read like file names (`PathBytes`): bytes that are not UTF-8 match the same bytes in a name.
    static func load(directory: URL, name: String, depth: Int, displayPath: String) -> IgnoreFile? {
        let path = directory.appendingPathComponent(name).path
        // `readBytes` takes only a regular file within the limit, and opens it through `PathBytes`.
        guard let bytes = try? TextExtractor.readBytes(path, maxBytes: Int(maximumBytes)) else { return nil }
        let text = PathBytes.string(fromRaw: bytes)
        var rules: [IgnoreRule] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let rule = IgnoreRule(line: line, origin: "\(displayPath):\(number + 1)") { rules.append(rule) }
        }
        return rules.isEmpty ? nil : IgnoreFile(depth: depth, rules: rules)
    }
}

/// The ignore files in force for one directory during a walk: those of the root and of every directory between it
/// and here. Deeper files override shallower ones, `.ferretignore` overrides `.gitignore` of the same directory, and
/// within a file the last matching rule wins, as in git.
struct IgnoreStack: Sendable {
    static let fileNames = [".gitignore", ".ferretignore"]

    private(set) var files: [IgnoreFile] = []

    init() {}

    /// A stack starting with `patterns` (gitignore syntax, relative to the walk root) from the configuration.
    init(configured patterns: [String], origin: String) {
        let rules = patterns.compactMap { IgnoreRule(line: Substring($0), origin: origin) }
        if !rules.isEmpty { files = [IgnoreFile(depth: 0, rules: rules)] }
    }

    /// The stack for a subdirectory at `depth`, with that directory's own ignore files pushed.
    func entering(directory: URL, depth: Int, displayPath: String) -> IgnoreStack {
        var next = self
        for name in Self.fileNames {
            let shown = displayPath.isEmpty ? name : displayPath + "/" + name
            if let file = IgnoreFile.load(directory: directory, name: name, depth: depth, displayPath: shown) {
                next.files.append(file)
            }
        }
        return next
    }

    /// The rule that decides `path` (components relative to the walk root), if it is ignored; nil when it is not
    /// ignored (no rule matched, or the last match was a `!` re-include).
    func ignoringRule(for path: [Substring], isDirectory: Bool) -> IgnoreRule? {
        for file in files.reversed() {
            guard file.depth < path.count else { continue }
            let relative = path[file.depth...]
            for rule in file.rules.reversed() where rule.matches(relative, isDirectory: isDirectory) {
                return rule.negated ? nil : rule
            }
        }
        return nil
    }
}
