import Digests
import Foundation

/// The long tail of formats: a command the user configured for an extension (`ferret.toml`:
/// `[extractors] rtf = "unrtf --text {path}"`) whose standard output is the document's text.
///
/// The command line is split into words (double or single quotes group words; no shell, so a file name cannot
/// inject anything) and `{path}` is replaced by the file's path in each word. It runs with a time limit; a non-zero
/// exit status, a crash or a timeout is an extraction failure quoting the start of its standard error.
struct CommandExtractor {
    let command: String
    var timeoutSeconds: Double = 120

    /// The extractor identity stored per document: the command itself, so changing it re-extracts.
    var identity: String { "command:" + command }

    func extract(bytes: [UInt8], path: String, maxOutputBytes: Int) throws -> ExtractedText {
        let output = try Self.withPlainPath(path) { plain in
            let words = Self.words(command).map { $0.replacingOccurrences(of: "{path}", with: plain) }
            guard let program = words.first else {
                throw IngestError.unreadable(file: path, reason: "the extractor command for this extension is empty")
            }
            return try ProcessRunner.run(program: program, arguments: Array(words.dropFirst()),
                                         timeoutSeconds: timeoutSeconds, maxOutputBytes: maxOutputBytes)
        }
        if output.truncated {
            throw IngestError.extractorFailed(file: path, extractor: command, detail: "its output passed the size limit "
                                              + "of \(ByteCount.format(Int64(maxOutputBytes)))")
        }
        guard output.status == 0 else {
            let reason = output.timedOut ? "timed out after \(Int(timeoutSeconds)) s"
                : "exited with status \(output.status)"
            throw IngestError.extractorFailed(file: path, extractor: command,
                                              detail: reason + Self.firstLine(of: output.standardError))
        }
        let decoded: TextDecoding.Decoded
        switch TextDecoding.decode(output.standardOutput) {
        case .success(let value): decoded = value
        case .failure(.binary(let detail)):
            throw IngestError.extractorFailed(file: path, extractor: command,
                                              detail: "its output is not text (\(detail))")
        }
        return ExtractedText(text: decoded.text, title: nil, language: LanguageGuess.guess(decoded.text),
                             contentHash: Digest.sha256Hex(bytes), format: .plainText, warnings: decoded.warnings,
                             extractor: identity, citesLines: false)
    }

    /// Calls `body` with a path the command can be given. A program's arguments are text (UTF-8), so a path whose
    /// name is not valid UTF-8 (`PathBytes` escapes) cannot be passed as is: the command gets a temporary symbolic
    /// link with a plain name (and the same extension) instead.
    static func withPlainPath<Result>(_ path: String, _ body: (String) throws -> Result) throws -> Result {
        guard PathBytes.hasEscapes(path) else { return try body(path) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferret-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw IngestError.unreadable(file: path, reason: "no temporary folder for the extractor command: \(error)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let ext = URL(fileURLWithPath: path).pathExtension
        let name = ext.isEmpty || PathBytes.hasEscapes(ext) ? "document" : "document." + ext
        let link = folder.appendingPathComponent(name).path
        let failure: Int32? = PathBytes.withCString(path) { target in
            symlink(target, link) == 0 ? nil : errno
        }
        if let failure {
            throw IngestError.unreadable(file: path, reason: "cannot link it for the extractor command: "
                                         + SystemError(errno: failure).description)
        }
        return try body(link)
    }

    private static func firstLine(of bytes: [UInt8]) -> String {
        let line = String(decoding: bytes.prefix(300), as: UTF8.self).split(separator: "\n").first.map(String.init)
        return line.map { ": " + $0 } ?? ""
    }

    /// Splits a command line into words: whitespace separates, quotes group, a backslash escapes the next character.
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for c in line {
            if escaped { current.append(c); escaped = false; inWord = true; continue }
            if c == "\\" && quote != "'" { escaped = true; continue }
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
                continue
            }
            if c == "\"" || c == "'" { quote = c; inWord = true; continue }
            if c.isWhitespace {
                if inWord { words.append(current); current = ""; inWord = false }
                continue
            }
            current.append(c)
            inWord = true
        }
        if inWord { words.append(current) }
        return words
    }
}
