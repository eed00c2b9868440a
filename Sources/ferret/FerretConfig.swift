import Foundation
import TOMLKit

/// `ferret.toml`: defaults for the index, the models and indexing, so a user types `ferret search "…"` instead of
/// repeating flags. Looked for in the working directory, then in `$XDG_CONFIG_HOME/ferret/` (default
/// `~/.config/ferret/`); the first found is used, none is fine. Command-line flags always win.
///
/// ```toml
/// index = "~/notes/.ferret.sqlite"
/// model = "~/models/LFM2-ColBERT-350M"        # the ColBERT encoder (--model)
/// generator = "~/models/LFM2-1.2B-Q4_K_M.gguf"  # the answer model (--generator)
///
/// [indexing]
/// include = ["*.md", "*.pdf"]        # gitignore-style; only matching files are indexed
/// exclude = ["drafts/", "*.tmp"]     # as if in a root .ferretignore
/// max_file_size = "50 MB"            # or a number of bytes
/// chunk_tokens = 256                 # passage budget (at most the encoder's)
/// hidden = false
///
/// [extractors]
/// rtf = "unrtf --text {path}"        # standard output is the text; no shell
/// ```
/// Unknown keys and wrongly typed values are errors naming the file and the key, so a typo is not silently ignored.
struct FerretConfig: Equatable {
    var file: URL?
    var index: String?
    var model: String?
    var generator: String?
    var include: [String] = []
    var exclude: [String] = []
    var maxFileBytes: Int?
    var chunkTokens: Int?
    var hidden: Bool?
    var extractors: [String: String] = [:]

    static let fileName = "ferret.toml"

    /// Where the configuration is looked for, in order.
    static func searchPaths(environment: [String: String] = ProcessInfo.processInfo.environment,
                            workingDirectory: String = FileManager.default.currentDirectoryPath) -> [URL] {
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".config")
        return [URL(fileURLWithPath: workingDirectory).appendingPathComponent(fileName),
                configHome.appendingPathComponent("ferret").appendingPathComponent(fileName)]
    }

    /// The configuration in force: `$FERRET_CONFIG` if set (it must exist), else the first file of `searchPaths`,
    /// else an empty configuration.
    static func load(environment: [String: String] = ProcessInfo.processInfo.environment,
                     workingDirectory: String = FileManager.default.currentDirectoryPath) throws -> FerretConfig {
        if let explicit = environment["FERRET_CONFIG"], !explicit.isEmpty {
            return try parse(file: URL(fileURLWithPath: (explicit as NSString).expandingTildeInPath))
        }
        for url in searchPaths(environment: environment, workingDirectory: workingDirectory)
        where FileManager.default.fileExists(atPath: url.path) {
            return try parse(file: url)
        }
        return FerretConfig()
    }

    /// Loaded once per process (commands read it several times).
    nonisolated(unsafe) private static var cached: FerretConfig?
    static func current() throws -> FerretConfig {
        if let cached { return cached }
        let config = try load()
        cached = config
        return config
    }

    static func parse(file: URL) throws -> FerretConfig {
        // Through a file handle, so `FERRET_CONFIG=/dev/null` (no configuration) reads as empty.
        guard let handle = FileHandle(forReadingAtPath: file.path) else {
            throw ConfigError(file: file.path, detail: "cannot be opened; check that it exists and is readable")
        }
        defer { try? handle.close() }
        let data = (try? handle.readToEnd()) ?? Data()
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: file.path, detail: "is not UTF-8 text")
        }
        return try parse(text, file: file)
    }

    static func parse(_ text: String, file: URL) throws -> FerretConfig {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw ConfigError(file: file.path, detail: "line \(error.source.begin.line), column "
                              + "\(error.source.begin.column): \(error.description)")
        }
        var config = FerretConfig(file: file)
        let reader = ConfigReader(file: file.path)
        for key in table.keys {
            switch key {
            case "index": config.index = resolve(try reader.string(table[key], key), against: file)
            case "model": config.model = resolve(try reader.string(table[key], key), against: file)
            case "generator": config.generator = resolve(try reader.string(table[key], key), against: file)
            case "indexing":
                let section = try reader.table(table[key], key)
                for inner in section.keys {
                    let name = "indexing." + inner
                    switch inner {
                    case "include": config.include = try reader.strings(section[inner], name)
                    case "exclude": config.exclude = try reader.strings(section[inner], name)
                    case "max_file_size": config.maxFileBytes = try reader.byteCount(section[inner], name)
                    case "chunk_tokens":
                        let value = try reader.int(section[inner], name)
                        guard value >= 16 else { throw ConfigError(file: file.path, detail: "`\(name)` must be at least 16") }
                        config.chunkTokens = value
                    case "hidden": config.hidden = try reader.bool(section[inner], name)
                    default: throw reader.unknown(name)
                    }
                }
            case "extractors":
                let section = try reader.table(table[key], key)
                for ext in section.keys {
                    let command = try reader.string(section[ext], "extractors." + ext)
                    guard command.contains("{path}") else {
                        throw ConfigError(file: file.path, detail: "`extractors.\(ext)` must contain {path}, where the "
                                          + "file's path goes")
                    }
                    config.extractors[ext.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))] = command
                }
            default: throw reader.unknown(key)
            }
        }
        return config
    }

    /// `~` expanded; a relative path is relative to the configuration file's folder (as in .gitignore), so the
    /// file means the same from any working directory. A `.gguf` or folder name that is not a path stays as is.
    static func resolve(_ path: String, against file: URL) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        return file.deletingLastPathComponent().appendingPathComponent(expanded).standardizedFileURL.path
    }

    /// The configuration as TOML, for `ferret config show`.
    var rendered: String {
        func quoted(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var lines: [String] = []
        lines.append("# " + (file.map { "from " + $0.path } ?? "no ferret.toml found: defaults"))
        if let index { lines.append("index = \(quoted(index))") }
        if let model { lines.append("model = \(quoted(model))") }
        if let generator { lines.append("generator = \(quoted(generator))") }
        lines += ["", "[indexing]"]
        lines.append("include = [\(include.map(quoted).joined(separator: ", "))]")
        lines.append("exclude = [\(exclude.map(quoted).joined(separator: ", "))]")
        lines.append("max_file_size = \(maxFileBytes ?? 20_000_000)")
        if let chunkTokens { lines.append("chunk_tokens = \(chunkTokens)") }
        lines.append("hidden = \(hidden ?? false)")
        if !extractors.isEmpty {
            lines += ["", "[extractors]"]
            for (ext, command) in extractors.sorted(by: { $0.key < $1.key }) { lines.append("\(ext) = \(quoted(command))") }
        }
        return lines.joined(separator: "\n")
    }
}

/// A configuration file Ferret cannot use, with the file and what to fix.
struct ConfigError: Error, CustomStringConvertible {
    let file: String
    let detail: String
    var description: String { "\(file): \(detail)" }
}

/// Typed reads of TOML values, each error naming the key.
private struct ConfigReader {
    let file: String

    func fail(_ key: String, _ expected: String) -> ConfigError {
        ConfigError(file: file, detail: "`\(key)` must be \(expected)")
    }

    func unknown(_ key: String) -> ConfigError {
        ConfigError(file: file, detail: "unknown key `\(key)`; known: index, model, generator, [indexing] include, "
                    + "exclude, max_file_size, chunk_tokens, hidden, and [extractors] EXT = \"command {path}\"")
    }

    func string(_ value: TOMLValueConvertible?, _ key: String) throws -> String {
        guard let text = value?.string else { throw fail(key, "a string") }
        return text
    }

    func int(_ value: TOMLValueConvertible?, _ key: String) throws -> Int {
        guard let number = value?.int else { throw fail(key, "an integer") }
        return number
    }

    func bool(_ value: TOMLValueConvertible?, _ key: String) throws -> Bool {
        guard let flag = value?.bool else { throw fail(key, "true or false") }
        return flag
    }

    func table(_ value: TOMLValueConvertible?, _ key: String) throws -> TOMLTable {
        guard let table = value?.table else { throw fail(key, "a table ([\(key)])") }
        return table
    }

    func strings(_ value: TOMLValueConvertible?, _ key: String) throws -> [String] {
        guard let array = value?.array else { throw fail(key, "an array of strings") }
        return try array.map { element in
            guard let text = element.string else { throw fail(key, "an array of strings") }
            return text
        }
    }

    func byteCount(_ value: TOMLValueConvertible?, _ key: String) throws -> Int {
        if let number = value?.int, number > 0 { return number }
        if let text = value?.string, let bytes = ByteSize.parse(text) { return bytes }
        throw fail(key, "a size such as \"50 MB\", \"2 GiB\" or a number of bytes")
    }
}

/// Sizes as people write them: `50MB`, `50 MB`, `1.5 GB`, `512k`, `2 GiB`, `20000000`.
enum ByteSize {
    static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(digits), value > 0 else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        let scale: Double
        switch unit {
        case "", "b": scale = 1
        case "k", "kb": scale = 1e3
        case "m", "mb": scale = 1e6
        case "g", "gb": scale = 1e9
        case "kib": scale = 1024
        case "mib": scale = 1024 * 1024
        case "gib": scale = 1024 * 1024 * 1024
        default: return nil
        }
        let bytes = value * scale
        guard bytes >= 1, bytes <= Double(Int.max / 2) else { return nil }
        return Int(bytes)
    }
}
