import Foundation
import Index
import MCP

/// `get_document`: the text the index stores for one indexed document — its passages in order, which the indexer
/// cuts without overlap — never the file on disk. A path is looked up in the index after `~`, `.` and `..` are
/// resolved; anything the index does not hold (`/etc/passwd`, `notes/../../secret`) is refused, so an agent cannot
/// use Ferret to read files the user did not index.
extension FerretMCPServer {
    /// Most characters one call returns; the rest is a `start_line` away. About 25k tokens: enough for a long note,
    /// small enough for an agent's context.
    static let documentCharacterLimit = 100_000

    struct DocumentText: Encodable {
        let path: String
        let title: String?
        /// The lines returned (of the file for text formats; of the extracted text for PDFs and office documents).
        let line_start: Int
        let line_end: Int
        /// Set when the text stops before the range asked for: call again with `start_line` = `next_line`.
        let next_line: Int?
        let text: String
    }

    func document(_ arguments: DocumentArguments) throws -> CallTool.Result {
        guard let stored = try indexedDocument(arguments.path) else { throw ToolError.notIndexed(path: arguments.path) }
        let first = arguments.startLine ?? 1, last = arguments.endLine ?? Int.max
        var text = "", shownStart: Int?, shownEnd = first, nextLine: Int?
        for passage in try database.passages(documentPath: stored.path)
        where passage.lineEnd >= first && passage.lineStart <= last {
            let (piece, start, end) = Self.lines(of: passage, from: first, through: last)
            if text.count + piece.count > Self.documentCharacterLimit && shownStart != nil {
                nextLine = start
                break
            }
            // Blank lines between passages are not stored; putting them back keeps line n of the text at line
            // `line_start + n` of the file.
            text += text.isEmpty ? piece : String(repeating: "\n", count: max(1, start - shownEnd)) + piece
            shownStart = shownStart ?? start
            shownEnd = end
        }
        guard let shownStart else {
            throw ToolError.invalid(name: "start_line", detail: "\(stored.path) has no text in lines \(first)…"
                                        + (last == Int.max ? "" : String(last)))
        }
        let result = DocumentText(path: stored.path, title: stored.title, line_start: shownStart, line_end: shownEnd,
                                  next_line: nextLine, text: text)
        var shown = CitationForm.label(path: stored.path, lineStart: shownStart, lineEnd: shownEnd, location: nil)
        if CitationForm.isContainer(path: stored.path) { shown += " (extracted text, lines \(shownStart)-\(shownEnd))" }
        let more = nextLine.map { "\n\n[cut at \(Self.documentCharacterLimit) characters: continue with start_line \($0)]" } ?? ""
        return try ToolOutput.result(text: shown + "\n\n" + text + more, structured: result)
    }

    /// The stored document `path` names, tried as given (absolute, or relative to the working directory) and with
    /// symbolic links resolved, as the indexer records both forms of its roots.
    private func indexedDocument(_ path: String) throws -> StoredDocument? {
        let expanded = (path as NSString).expandingTildeInPath
        let url = URL(fileURLWithPath: expanded).standardizedFileURL
        for candidate in [url.path, url.resolvingSymlinksInPath().path] {
            if let stored = try database.storedDocument(path: candidate) { return stored }
        }
        return nil
    }

    /// The part of `passage` inside lines `first…last`. When the passage's text has one line per line of its range
    /// (text files: it is a slice of the file) the range is cut exactly; otherwise the passage is kept whole.
    private static func lines(of passage: StoredPassage, from first: Int, through last: Int) -> (String, Int, Int) {
        let lines = passage.text.split(separator: "\n", omittingEmptySubsequences: false)
        let trailing = lines.last?.isEmpty == true ? 1 : 0
        guard lines.count - trailing == passage.lineEnd - passage.lineStart + 1,
              first > passage.lineStart || last < passage.lineEnd else {
            return (passage.text, passage.lineStart, passage.lineEnd)
        }
        let start = max(first, passage.lineStart), end = min(last, passage.lineEnd)
        let kept = lines[(start - passage.lineStart)...(end - passage.lineStart)]
        return (kept.joined(separator: "\n"), start, end)
    }
}
