/// A Hugging Face repository named on the command line: `LiquidAI/LFM2-ColBERT-350M`, optionally with a revision
/// (`@main`, `@v1.0`, `@<commit sha>`) and, for GGUF repositories, one file (`:LFM2-1.2B-Q4_K_M.gguf`).
public struct RepositoryID: Sendable, Equatable, CustomStringConvertible {
    public let owner: String
    public let name: String
    public let revision: String?
    public let file: String?

    /// Parses `OWNER/NAME[@REVISION][:FILE]`; nil for anything else (a path such as `./models/x` or `/a/b/c`).
    public init?(_ argument: String) {
        var rest = Substring(argument)
        var file: String?
        if let colon = rest.lastIndex(of: ":") {
            file = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
            guard let file, Self.isName(file) else { return nil }
        }
        var revision: String?
        if let at = rest.lastIndex(of: "@") {
            revision = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
            guard let revision, Self.isRevision(revision) else { return nil }
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, Self.isName(parts[0]), Self.isName(parts[1]) else { return nil }
        owner = String(parts[0])
        name = String(parts[1])
        self.revision = revision
        self.file = file
    }

    /// A constant known to be valid (`DefaultModels`).
    init(owner: String, name: String) {
        self.owner = owner
        self.name = name
        revision = nil
        file = nil
    }

    /// Hub names: letters, digits, `-`, `_`, `.`, not starting with `.` or `-`.
    static func isName<S: StringProtocol>(_ text: S) -> Bool {
        guard let first = text.first, first != ".", first != "-", text.count <= 96 else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    /// Branch, tag or commit names: letters, digits, `._-/`. A revision becomes a path under `refs/` in the Hugging
    /// Face cache, so no component may be empty, `.` or `..` (nothing like `../../x` or `/etc` climbs out of it).
    static func isRevision(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 256,
              text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-/".contains($0)) }) else { return false }
        return text.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// `OWNER/NAME` without revision or file: the key of Ferret's store (`storeFolder/OWNER/NAME`).
    public var repository: String { "\(owner)/\(name)" }

    /// The command that downloads this repository (at this revision, only this file) into Ferret's store.
    public var pullCommand: String {
        "ferret models pull \(repository)" + (revision.map { " --revision " + $0 } ?? "") + (file.map { " --include " + $0 } ?? "")
    }

    /// `models--OWNER--NAME`: the repository's folder in a Hugging Face cache.
    public var cacheFolderName: String { "models--\(owner)--\(name)" }

    public var description: String {
        "\(owner)/\(name)" + (revision.map { "@" + $0 } ?? "") + (file.map { ":" + $0 } ?? "")
    }
}
