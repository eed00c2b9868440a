import Foundation

/// How paths are shown to a person: relative to the working directory when they lie under it (as grep and ripgrep
/// print them, clickable in editors), absolute otherwise. JSON output keeps absolute paths.
enum DisplayPath {
    static func relative(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
