import Foundation

/// Whether quoted words occur in a passage, forgiving only what does not change the words: letter case, runs of
/// whitespace and line breaks, curly versus straight quotes and apostrophes, full-width versus ASCII forms, and
/// punctuation at the quote's two ends. An ellipsis (`…` or `...`) inside the quote stands for omitted text: the
/// pieces must then occur in order.
public enum QuoteMatcher {
    /// True when `quote` occurs in `passage` under the rules above. An empty quote never matches.
    public static func occurs(_ quote: String, in passage: String) -> Bool {
        let haystack = normalise(passage)
        let pieces = normalise(quote).replacingOccurrences(of: "...", with: "…")
            .split(separator: "…").map { trimPunctuation(String($0)) }.filter { !$0.isEmpty }
        guard !pieces.isEmpty else { return false }
        var searchFrom = haystack.startIndex
        for piece in pieces {
            guard let found = haystack.range(of: piece, range: searchFrom..<haystack.endIndex) else { return false }
            searchFrom = found.upperBound
        }
        return true
    }

    /// Case-folded, width-folded, quotes unified, whitespace collapsed to single spaces and trimmed.
    public static func normalise(_ text: String) -> String {
        var folded = ""
        folded.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x2018, 0x2019, 0x201A, 0x2032: folded.unicodeScalars.append("'")
            case 0x201C, 0x201D, 0x201E, 0x2033: folded.unicodeScalars.append("\"")
            case 0xFF01...0xFF5E: folded.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)  // full-width ASCII
            case 0x3000: folded.unicodeScalars.append(" ")
            default: folded.unicodeScalars.append(scalar)
            }
        }
        return folded.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func trimPunctuation(_ text: String) -> String {
        let isEdge: (Character) -> Bool = { $0.isWhitespace || $0.isPunctuation }
        guard let first = text.firstIndex(where: { !isEdge($0) }),
              let last = text.lastIndex(where: { !isEdge($0) }) else { return "" }
        return String(text[first...last])
    }
}
