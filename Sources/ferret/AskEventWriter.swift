import Foundation
import RAG

/// What `ferret ask` prints while the answer streams and after it: the text and the Sources block (on a terminal,
/// markers of unsupported claims turn red `[n?]` and weak ones dim), JSON lines (`delta`, then `citation` and
/// `source` as soon as each sentence is complete, then `done`), or one JSON object at the end.
final class AskEventWriter {
    enum Mode { case text(TerminalStyle), jsonLines, silent }
    let mode: Mode
    /// Styled text mode: the answer so far, and how much of it is on screen. Text from a `[` on waits until its
    /// sentence is checked, so its markers can be printed marked.
    private var answer: [Character] = []
    private var printed = 0
    /// Passage numbers whose `source` event went out.
    private var sourcesSent = Set<Int>()

    init(mode: Mode) { self.mode = mode }

    func delta(_ text: String) {
        switch mode {
        case .text(let style) where style.enabled:
            answer += Array(text)
            let held = answer[printed...].firstIndex(of: "[") ?? answer.count
            if held > printed { Console.stream(String(answer[printed..<held])); printed = held }
        case .text: Console.stream(text)
        case .jsonLines: try? Console.printJSON(["type": "delta", "text": text])
        case .silent: break
        }
    }

    /// A sentence of the answer is complete and its citations checked.
    func sentence(_ checked: CheckedSentence) {
        switch mode {
        case .text(let style) where style.enabled:
            let end = min(checked.range.upperBound, answer.count)
            guard end > printed else { return }
            var out = "", cursor = printed
            for marker in checked.markers where marker.range.lowerBound >= cursor && marker.range.upperBound <= end {
                out += String(answer[cursor..<marker.range.lowerBound])
                out += Self.marked(marker, written: String(answer[marker.range]), style: style)
                cursor = marker.range.upperBound
            }
            out += String(answer[cursor..<end])
            Console.stream(out)
            printed = end
        case .jsonLines:
            for citation in checked.citations {
                try? Console.printJSON(Event(type: "citation", citation: citation))
                if sourcesSent.insert(citation.n).inserted { try? Console.printJSON(Event(type: "source", citation: citation)) }
            }
        case .text, .silent: break
        }
    }

    func finish(_ outcome: AnswerOutcome) {
        switch mode {
        case .silent:
            try? Console.printJSON(outcome)
        case .jsonLines:
            try? Console.printJSON(Done(type: "done", abstained: outcome.abstained, extracted: outcome.extracted,
                                        dropped_passages: outcome.dropped_passages, unsupported: outcome.unsupported,
                                        mostly_unsupported: outcome.mostly_unsupported, timings: outcome.timings))
        case .text(let style):
            if printed < answer.count { Console.stream(String(answer[printed...])) }
            Console.stream("\n")
            guard !outcome.abstained else { return }
            Console.stream(Self.sourcesBlock(outcome, style: style))
            if !outcome.dropped_passages.isEmpty {
                Console.note("note: \(outcome.dropped_passages.count) passages did not fit the context and were left out")
            }
        }
    }

    /// The Sources block: per cited passage its place, the supporting words (the aligned span, whether or not the
    /// model quoted), and what is wrong when it does not support the claim; a warning line last when most claims
    /// are unsupported.
    static func sourcesBlock(_ outcome: AnswerOutcome, style: TerminalStyle) -> String {
        var lines = ["", "Sources"]
        for source in CitationChecker.sources(outcome.citations) {
            let place = source.location.map(DisplayPath.relative) ?? "(unknown passage)"
            let words = (source.span?.text ?? source.quote).map { "  “\(shortened(oneLine($0), to: 120))”" } ?? ""
            let mark: String
            switch source.support {
            case .quoted, .supported: mark = ""
            case .weak: mark = "  ? " + (source.problem ?? "weakly supported")
            case .unsupported: mark = "  ✗ " + (source.problem ?? "not supported")
            }
            lines.append("[\(source.n)] \(place)\(words)\(mark)")
        }
        if outcome.citations.isEmpty { lines.append("(the answer cites no passage)") }
        if outcome.mostly_unsupported { lines += ["", style.match(UnsupportedClaim.warning)] }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `[1][3?]`: unsupported numbers red with `?`, weak ones dim; the marker as written when all are verified.
    static func marked(_ marker: CheckedSentence.Marker, written: String, style: TerminalStyle) -> String {
        guard !marker.citations.allSatisfy(\.verified) else { return written }
        return marker.citations.map { citation in
            switch citation.support {
            case .quoted, .supported: "[\(citation.n)]"
            case .weak: style.dim("[\(citation.n)]")
            case .unsupported: style.match("[\(citation.n)?]")
            }
        }.joined()
    }

    /// At most `limit` characters, cut at a word boundary with `…` when it is longer.
    static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        let head = text.prefix(limit)
        let cut = head.lastIndex(of: " ").map { head[..<$0] } ?? head
        return cut + "…"
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    struct Event: Encodable { let type: String; let citation: Citation }
    struct Done: Encodable {
        let type: String; let abstained: Bool; let extracted: Bool; let dropped_passages: [Int64]
        let unsupported: [UnsupportedClaim]; let mostly_unsupported: Bool
        let timings: AnswerOutcome.Timings
    }
}
