/// The lexical pass behind `CitationChecker`: quoted spans and citation markers, as ranges of characters.
enum AnswerScanner {
    struct Quote: Equatable {
        /// From the opening to just after the closing quote mark.
        var outer: Range<Int>
        /// The words between the marks.
        var inner: Range<Int>
    }

    enum Marker: Equatable {
        case number(Int)
        /// Written like a marker but unusable (a reversed or huge range); `first` is its first number.
        case malformed(written: String, first: Int)
    }

    /// Markers separated only by whitespace.
    struct Group: Equatable {
        var range: Range<Int>
        var markers: [Marker]
    }

    static let closers: [Character: Character] = ["\"": "\"", "“": "”", "«": "»", "「": "」", "『": "』", "„": "“"]
    /// A quote longer than this is more likely an unclosed mark than a quotation.
    static let longestQuote = 1_000
    /// `[2-40]` expands; a range wider than this is reported as malformed.
    static let widestRange = 20

    static func quotes(in text: [Character]) -> [Quote] {
        var quotes: [Quote] = []
        var index = 0
        while index < text.count {
            if let closer = closers[text[index]],
               let end = text[(index + 1)..<min(text.count, index + 1 + longestQuote)].firstIndex(of: closer),
               end > index + 1 {
                quotes.append(Quote(outer: index..<(end + 1), inner: (index + 1)..<end))
                index = end + 1
            } else {
                index += 1
            }
        }
        return quotes
    }

    static func markerGroups(in text: [Character]) -> [Group] {
        var groups: [Group] = []
        var index = 0
        while index < text.count {
            guard text[index] == "[", let (end, markers) = marker(in: text, at: index) else { index += 1; continue }
            if let last = groups.last, onlyGap(text, last.range.upperBound..<index, allowing: []) {
                groups[groups.count - 1].range = last.range.lowerBound..<end
                groups[groups.count - 1].markers += markers
            } else {
                groups.append(Group(range: index..<end, markers: markers))
            }
            index = end
        }
        return groups
    }

    /// Parses `[1]`, `[1, 3]`, `[2-4]` starting at `start` (a `[`); returns the index after `]` and the numbers.
    static func marker(in text: [Character], at start: Int) -> (Int, [Marker])? {
        guard let close = text[(start + 1)..<min(text.count, start + 40)].firstIndex(of: "]"), close > start + 1
        else { return nil }
        let body = String(text[(start + 1)..<close])
        let allowed = Set("0123456789 ,-–")
        guard body.allSatisfy({ allowed.contains($0) }), body.contains(where: \.isNumber) else { return nil }
        var markers: [Marker] = []
        for part in body.split(separator: ",") {
            let bounds = part.split(whereSeparator: { $0 == "-" || $0 == "–" })
                .map { $0.trimmingSpaces }.filter { !$0.isEmpty }.compactMap { Int($0) }
            switch bounds.count {
            case 1 where !part.contains("-") && !part.contains("–"):
                markers.append(.number(bounds[0]))
            case 2 where bounds[0] <= bounds[1] && bounds[1] - bounds[0] <= widestRange:
                markers += (bounds[0]...bounds[1]).map { .number($0) }
            default:
                markers.append(.malformed(written: body, first: bounds.first ?? 0))
            }
        }
        return markers.isEmpty ? nil : (close + 1, markers)
    }

    /// True when `range` of `text` holds only whitespace and the `allowing` characters.
    static func onlyGap(_ text: [Character], _ range: Range<Int>, allowing: Set<Character>) -> Bool {
        text[range].allSatisfy { $0.isWhitespace && !$0.isNewline || allowing.contains($0) }
    }
}

extension Substring {
    var trimmingSpaces: String { String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()) }
}
