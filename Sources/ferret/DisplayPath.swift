import Foundation
import Ingest

/// How paths are shown to a person: relative to the working directory when they lie under it (as grep and ripgrep
/// print them, clickable in editors), absolute otherwise; bytes of a name that is not UTF-8 and control characters
/// shown as `\xHH` (`PathBytes.display`). JSON output keeps absolute paths.
enum DisplayPath {
    static func relative(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return PathBytes.display(path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path)
    }
}
