import ArgumentParser
import ColBERT
import Foundation
import Index
import Search

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index: hybrid (MaxSim + BM25), semantic or lexical.",
        discussion: """
        Without --mode: hybrid when --model is given and the index has vectors, else lexical (no model needed). \
        The model must be the one the index was built with. --path keeps documents whose path matches GLOB \
        (`*` within a folder, `**` across folders; `*.md` and `docs/**` match anywhere in absolute paths). \
        --json prints an array of {rank, score, scores:{maxsim,bm25,rrf}, path, line_start, line_end, page, \
        location (page=N, slide=N, sheet=NAME, chapter=N or null), heading_path, citation (path:lines or \
        path#location), passage_id, snippet, highlights:[{start,end}]} (highlight offsets count Unicode scalars of \
        the snippet); \
        `[]` when nothing matches. QUERY `-` reads the query from stdin.
        """)

    @Argument(help: "What to look for.")
    var query: String

    @Option(name: .short, help: "Number of results.")
    var k: Int = 10

    @Option(name: .long, help: ArgumentHelp("The index file (default: indexes/ferret.sqlite in this repo, else the XDG data directory).",
                                            valueName: "file"))
    var index: String?

    @Option(name: .long, help: ArgumentHelp("The ColBERT model folder the index was built with (for hybrid and semantic).",
                                            valueName: "dir"))
    var model: String?

    @Option(name: .long, help: "hybrid, semantic or lexical.")
    var mode: SearchMode?

    @Option(name: .long, help: ArgumentHelp("Only documents whose path matches this glob.", valueName: "glob"))
    var path: String?

    @Flag(name: .long, help: "Print the hits as a JSON array.")
    var json = false

    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var precisionOptions: PrecisionOptions

    func validate() throws {
        if k < 1 { throw ValidationError("-k must be at least 1") }
        if let path { _ = try PathGlob(path) }
    }

    func run() throws {
        try reportingErrors {
            let model = try self.model ?? FerretConfig.current().model
            threadOptions.apply()
            let text = try queryText()
            let database = try IndexDatabase.openExisting(at: try IndexLocation.resolve(index))
            if model != nil, database.encoder == nil, mode != .lexical {
                Console.note("note: this index has no vectors (built without a model); searching lexically")
            }
            // The index's own encoder when none is named: found where it was last seen, said once.
            let encoder = mode == .lexical || database.encoder == nil ? nil
                : try ModelLoading.encoder(for: database, explicit: model, precision: precisionOptions.dtype)
            if let mode, mode != .lexical, encoder == nil {
                throw ValidationError("--mode \(mode.rawValue) needs the ColBERT model the index was built with: "
                                      + "--model DIR (or `model` in ferret.toml); --mode lexical needs none")
            }
            let chosen = mode ?? (encoder == nil ? .lexical : .hybrid)
            var vectors: QueryVectors?
            var locate: (@Sendable (String, [Int]) -> [Range<Int>?])?
            if chosen != .lexical, let encoder {
                try database.checkCompatible(with: EncoderIdentity(name: encoder.name, fingerprint: encoder.fingerprint,
                                                                   dimension: encoder.dimension, head: encoder.head))
                let encoded = try encoder.encodeQuery(text)
                vectors = QueryVectors(vectors: encoded.vectors, count: encoded.count, dimension: encoded.dimension)
                locate = { text, ids in encoder.tokenRanges(in: text, keptIDs: ids) }
            }
            let hits = try Searcher(database: database).search(
                SearchRequest(text: text, queryVectors: vectors, k: k, mode: chosen, pathGlob: path, locateTokens: locate))
            if json {
                try Console.printJSON(hits)
            } else if hits.isEmpty {
                Console.note("no results")
            } else {
                print(Self.render(hits, style: .forStandardOutput()), terminator: "")
            }
        }
    }

    private func queryText() throws -> String {
        guard query == "-" else { return query }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ValidationError("QUERY was `-` but stdin was empty") }
        return text
    }


    /// `rank  score  path:start-end` (or `path#page=N`, `#slide=N`…) and the heading path, then the snippet,
    /// indented; matches highlighted when colour is on.
    static func render(_ hits: [SearchHit], style: TerminalStyle) -> String {
        var output = ""
        for hit in hits {
            let shown = DisplayPath.relative(hit.path)
            let place: String
            if let location = hit.location {
                place = style.path(shown) + "#" + style.lines(location)
            } else if CitationForm.isContainer(path: hit.path) {
                place = style.path(shown)
            } else {
                let lines = hit.lineStart == hit.lineEnd ? "\(hit.lineStart)" : "\(hit.lineStart)-\(hit.lineEnd)"
                place = style.path(shown) + ":" + style.lines(lines)
            }
            let headings = hit.headingPath.isEmpty ? "" : "  " + hit.headingPath.joined(separator: " › ")
            output += String(format: "%2d  %.4f  ", hit.rank, hit.score) + place + headings + "\n"
            output += "    " + highlighted(hit, style: style) + "\n"
        }
        return output
    }

    private static func highlighted(_ hit: SearchHit, style: TerminalStyle) -> String {
        guard style.enabled, !hit.highlights.isEmpty else { return hit.snippet }
        let scalars = Array(hit.snippet.unicodeScalars)
        var result = "", position = 0
        for mark in hit.highlights.sorted(by: { $0.start < $1.start })
        where mark.start >= position && mark.end <= scalars.count && mark.start < mark.end {
            result += String(String.UnicodeScalarView(scalars[position..<mark.start]))
            result += style.match(String(String.UnicodeScalarView(scalars[mark.start..<mark.end])))
            position = mark.end
        }
        return result + String(String.UnicodeScalarView(scalars[position...]))
    }
}

extension SearchMode: ExpressibleByArgument {}
