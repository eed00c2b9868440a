import Foundation

/// Where the index lives: `--index FILE` if given; `<repo>/indexes/ferret.sqlite` when run inside a checkout of this
/// repository; else `$XDG_DATA_HOME/ferret/index.sqlite` (default `~/.local/share/ferret/index.sqlite`).
enum IndexLocation {
    static func resolve(_ explicit: String?) throws -> URL {
        if let explicit = try explicit ?? FerretConfig.current().index {
            return URL(fileURLWithPath: (explicit as NSString).expandingTildeInPath).standardizedFileURL
        }
        if let repo = repositoryRoot() {
            return repo.appendingPathComponent("indexes/ferret.sqlite")
        }
        let environment = ProcessInfo.processInfo.environment
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share")
        let folder = data.appendingPathComponent("ferret")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("index.sqlite")
    }

    /// The nearest enclosing folder with this project's Package.swift and an `indexes/` folder.
    static func repositoryRoot() -> URL? {
        var folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        while true {
            let manifest = folder.appendingPathComponent("Package.swift")
            if let text = try? String(contentsOf: manifest, encoding: .utf8), text.contains("name: \"Ferret\""),
               FileManager.default.fileExists(atPath: folder.appendingPathComponent("indexes").path) {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }
}
