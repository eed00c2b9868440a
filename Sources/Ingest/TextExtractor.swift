import Digests
import Foundation

/// Reads one file and returns its searchable text (see `DocumentFormat` for what is read and how).
///
/// Rules, in order: unsupported extension → `unsupportedType`; larger than `maxBytes` → `tooLarge` (checked before
/// reading); cannot open or read → `unreadable`; NUL bytes or more than 10% control bytes in the first 8 KB (and not
/// UTF-16 or UTF-32) → `binary`. Any encoding is read (`TextDecoding`): Unicode with or without a byte-order mark,
/// legacy charsets through ICU's detector, invalid bytes replaced with U+FFFD; `warnings` says what was guessed or
/// replaced.
/// Formats: plain text, Markdown, reStructuredText, CSV and source as is; HTML through `HTMLExtractor`; JSON as is,
/// or re-indented when minified (`JSONLayout`) so it has lines to chunk.
public enum TextExtractor {
    /// The version of the text formats' extraction, stored per document (bump it when output changes).
    public static let identity = "text/1"

    /// The extractor identity (`text/1`, `pdf/1`, `command:…`) a file of this name gets with `options`: stored per
    /// document, so a change of extractor or of its version re-extracts.
    public static func identity(forFileName name: String, options: IngestOptions) -> String {
        let ext = (name as NSString).pathExtension.lowercased()
        if let command = options.extractorCommands[ext] { return CommandExtractor(command: command).identity }
        let format = DocumentFormat(fileName: (name as NSString).lastPathComponent)
        return format.flatMap { ExtractorRegistry.extractor(for: $0)?.identity } ?? identity
    }

    /// Extracts `file`. Every thrown `IngestError` names the file and what to do.
    public static func extract(_ file: URL, maxBytes: Int) throws -> ExtractedText {
        var options = IngestOptions()
        options.maxFileBytes = maxBytes
        return try extract(file, options: options)
    }

    /// Extracts `file` with the size limit and extractor commands of `options`: a command configured for the
    /// file's extension wins over the built-in extractors.
    public static func extract(_ file: URL, options: IngestOptions) throws -> ExtractedText {
        let path = file.standardizedFileURL.path
        let command = options.extractorCommands[file.pathExtension.lowercased()]
        let format = DocumentFormat(fileName: file.lastPathComponent)
        guard command != nil || format != nil else {
            let ext = file.pathExtension.isEmpty ? "(no extension)" : "." + file.pathExtension
            throw IngestError.unsupportedType(file: path, detail: ext)
        }
        let bytes = try readBytes(path, maxBytes: options.maxFileBytes)
        if let command {
            return try CommandExtractor(command: command).extract(bytes: bytes, path: path,
                                                                   maxOutputBytes: options.maxFileBytes)
        }
        return try extract(bytes: bytes, format: format!, path: path)
    }

    /// Extracts text already in memory, as if read from `path` (which only names it in errors).
    public static func extract(bytes: [UInt8], format: DocumentFormat, path: String) throws -> ExtractedText {
        let hash = Digest.sha256Hex(bytes)
        if let extractor = ExtractorRegistry.extractor(for: format) {
            let structured = try extractor.extract(bytes: bytes, format: format, path: path)
            if structured.isBlank {
                throw IngestError.noText(file: path, reason: "no text found in this \(format.displayName) file")
            }
            return structured.assemble(format: format, contentHash: hash, extractor: extractor.identity)
        }
        let decoded: TextDecoding.Decoded
        switch TextDecoding.decode(bytes) {
        case .failure(.binary(let detail)):
            throw IngestError.binary(file: path, detail: detail)
        case .success(let value):
            decoded = value
        }
        var text = decoded.text
        var title: String?
        var spans: [ClosedRange<Int>]?
        switch format {
        case .html:
            let html = HTMLExtractor.extract(text)
            (text, title, spans) = (html.text, html.title, html.sourceLineSpans)
        case .markdown:
            title = DocumentTitle.markdown(text)
        case .restructuredText:
            title = DocumentTitle.restructuredText(text)
        case .json where JSONLayout.isMinified(text):
            (text, spans) = JSONLayout.reindent(text)
        case .json, .plainText, .csv, .source:
            break
        case .pdf, .docx, .pptx, .xlsx, .odt, .odp, .ods, .epub:
            preconditionFailure("container format \(format) has no extractor in ExtractorRegistry")
        }
        return ExtractedText(text: text, title: title, language: LanguageGuess.guess(text), contentHash: hash,
                             format: format, warnings: decoded.warnings, sourceLineSpans: spans)
    }

    /// The whole file, refusing to read more than `maxBytes`.
    static func readBytes(_ path: String, maxBytes: Int) throws -> [UInt8] {
        let status: FileStatus
        switch FileStatus.of(path, followLinks: true) {
        case .failure(let error): throw IngestError.unreadable(file: path, reason: error.description)
        case .success(let value): status = value
        }
        guard status.kind == .regular else {
            throw IngestError.unreadable(file: path, reason: status.kind == .directory ? "is a directory" : "not a regular file")
        }
        if status.size > Int64(maxBytes) { throw IngestError.tooLarge(file: path, size: status.size, limit: maxBytes) }
        let (fd, failure) = PathBytes.withCString(path) { name in
            let fd = open(name, O_RDONLY)
            return (fd, fd < 0 ? errno : 0)
        }
        guard fd >= 0 else { throw IngestError.unreadable(file: path, reason: SystemError(errno: failure).description) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(status.size))
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IngestError.unreadable(file: path, reason: SystemError(errno: errno).description)
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            // The file may have grown since it was measured.
            if bytes.count > maxBytes { throw IngestError.tooLarge(file: path, size: Int64(bytes.count), limit: maxBytes) }
        }
        return bytes
    }
}
