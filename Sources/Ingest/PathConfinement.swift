import Foundation

/// The folders a client of `ferret serve` may make Ferret read: a path is inside when, with `..` and every symbolic
/// link resolved, it is one of the roots or lies under one. Index paths are also compared with the roots as given,
/// because a file indexed through a symbolically linked root is stored under the link's name.
public struct PathConfinement: Sendable, Equatable {
    /// The roots as given, made absolute and lexically standardised (`/a/./b/..` → `/a`).
    public let roots: [String]
    /// The same roots with symbolic links resolved (the real places on disk).
    public let realRoots: [String]

    /// Roots that do not exist are kept lexically (nothing under them can be read until they exist).
    public init(roots: [String], relativeTo base: String = FileManager.default.currentDirectoryPath) {
        let given = roots.map { Self.absolute($0, base: base) }
        self.roots = Array(Set(given)).sorted()
        realRoots = Array(Set(given.map { Self.realPath($0) ?? $0 })).sorted()
    }

    /// Nothing is allowed.
    public static let none = PathConfinement(roots: [])

    public var isEmpty: Bool { roots.isEmpty }

    /// `path` made absolute (lexically, as the index stores paths) when it may be read: its real path, with every
    /// symbolic link resolved, lies inside the roots. A path that does not exist is judged lexically, so the answer
    /// for a path outside never depends on what exists there. Nil when outside.
    public func allowed(_ path: String, relativeTo base: String = FileManager.default.currentDirectoryPath) -> String? {
        let absolute = Self.absolute(path, base: base)
        guard let real = Self.realPath(absolute) else { return contains(indexedPath: absolute) ? absolute : nil }
        // Both: the real place is inside, and so is the name it will be stored and shown under.
        return Self.isUnder(real, anyOf: realRoots) && contains(indexedPath: absolute) ? absolute : nil
    }

    /// Whether a path already in the index (as stored) lies inside the roots.
    public func contains(indexedPath path: String) -> Bool {
        Self.isUnder(path, anyOf: roots) || Self.isUnder(path, anyOf: realRoots)
    }

    /// Whether a file about to be read really lies inside: its real path, links resolved at this moment.
    public func containsOnDisk(_ path: String) -> Bool {
        guard let real = Self.realPath(path) else { return false }
        return Self.isUnder(real, anyOf: realRoots)
    }

    static func isUnder(_ path: String, anyOf roots: [String]) -> Bool {
        roots.contains { root in root == "/" || path == root || path.hasPrefix(root + "/") }
    }

    /// Absolute and lexically standardised: `~` expanded, relative to `base`, `.` and `..` removed (never above `/`).
    static func absolute(_ path: String, base: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let joined = expanded.hasPrefix("/") ? expanded : base + "/" + expanded
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `realpath(3)`: every symbolic link resolved; nil when the path does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
