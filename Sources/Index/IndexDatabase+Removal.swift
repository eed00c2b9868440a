import Foundation

extension IndexDatabase {
    /// What `forget(matching:)` did.
    public struct Removal: Sendable, Codable, Equatable {
        /// The indexed paths removed, sorted.
        public var removed: [String]
        /// Arguments that matched nothing in the index.
        public var unmatched: [String]
    }

    /// Removes every indexed document whose path is one of `arguments` (as given, made absolute, or with symlinks
    /// resolved) or lies under one of them (a folder), forgets their skip records, and keeps the candidate
    /// structure in shape. `ferret remove` and `DELETE /v1/documents`.
    public func forget(matching arguments: [String]) throws -> Removal {
        let indexed = try documentPaths()
        var doomed = Set<String>()
        var unmatched: [String] = []
        for argument in arguments {
            let matches = Self.documents(matching: argument, in: indexed)
            if matches.isEmpty { unmatched.append(argument) }
            doomed.formUnion(matches)
        }
        let removed = doomed.sorted()
        try removeDocuments(paths: removed)
        for path in removed { try clearSkipped(path: path) }
        try maintain()
        return Removal(removed: removed, unmatched: unmatched)
    }

    /// Indexed paths equal to `argument` (as given or made absolute) or under it when it names a folder.
    static func documents(matching argument: String, in indexed: [String]) -> [String] {
        let absolute = URL(fileURLWithPath: (argument as NSString).expandingTildeInPath).standardizedFileURL
        let candidates = Set([argument, absolute.path, absolute.resolvingSymlinksInPath().path])
        return indexed.filter { path in
            candidates.contains(path) || candidates.contains { path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
        }
    }
}
