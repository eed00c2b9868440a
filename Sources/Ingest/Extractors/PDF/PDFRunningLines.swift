/// Running headers and footers: the lines at the top and bottom edges of a page that repeat on many pages (a book or
/// chapter title, "Page 3 of 120", "Manual v2 — 17"), and bare page numbers there. Indexed, they would add the same
/// words to every page's passages and make every page match a query for the title.
///
/// A line is looked at when it is in one of the two highest or two lowest bands of a page (a band is the lines
/// that share a height, like a header with a left and a right part). Two lines are the same running line when they
/// are equal ignoring case, spacing and the value of numbers (each run of digits counts as one `#`), so
/// "Page 3 of 120" and "Page 17 of 120" match.
enum PDFRunningLines {
    /// Where a line is on its page: `page.blocks[block].lines[line]`.
    struct Position: Hashable, Sendable {
        var block: Int
        var line: Int
    }

    /// The share of the pages with text a line must appear on to be dropped: 40% rather than half, so a header
    /// that alternates between even and odd pages (book title, chapter title) counts even when the title page
    /// and a few chapter openings have none.
    static let minimumShare = 0.4
    /// Documents with fewer pages with text keep their repeated lines: on three pages, a repeated line is as
    /// likely to be content as a header.
    static let minimumPages = 4
    /// How many bands at the top and at the bottom of a page are candidates.
    static let edgeBands = 2

    /// For each page, the lines to drop: candidates that repeat on enough pages, and candidates that are bare page
    /// numbers ("17", "- 17 -", "Page 17 of 300", "xiv") on any page.
    static func find(in pages: [PDFLayout.Page]) -> [Set<Position>] {
        let candidates = pages.map(edgeLines)
        var pagesWithKey: [String: Int] = [:]
        for page in candidates {
            for key in Set(page.map(\.key)) { pagesWithKey[key, default: 0] += 1 }
        }
        let textPages = pages.count(where: { !$0.blocks.isEmpty })
        let threshold = max(2, Int((minimumShare * Double(textPages)).rounded(.up)))
        let running = textPages >= minimumPages ? Set(pagesWithKey.filter { $0.value >= threshold }.keys) : []
        return candidates.map { page in
            Set(page.filter { running.contains($0.key) || isPageNumber($0.text) }.map(\.position))
        }
    }

    /// The comparison key: lower-cased, spaces collapsed, each run of digits as `#`.
    static func key(_ text: String) -> String {
        var key = ""
        var previous: Character = " "
        for c in text.lowercased() {
            let mapped: Character = c.isWholeNumber ? "#" : c.isWhitespace ? " " : c
            if (mapped == "#" || mapped == " ") && mapped == previous { continue }
            key.append(mapped)
            previous = mapped
        }
        return key.trimmingSpaces
    }

    /// A line that only numbers a page: numbers (arabic, or lower-case roman up to c), the words `page`, `p`, `pg`
    /// and `of`, and the punctuation around page numbers (`- 3 -`, `3 / 120`, `[iv]`), at most five words.
    static func isPageNumber(_ text: String) -> Bool {
        let words = text.split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty, words.count <= 5 else { return false }
        var sawNumber = false
        for word in words {
            for part in word.split(whereSeparator: { pageNumberPunctuation.contains($0) }) {
                if part.allSatisfy(\.isWholeNumber) || romanNumerals.contains(String(part)) {
                    sawNumber = true
                } else if !pageNumberWords.contains(part.lowercased()) {
                    return false
                }
            }
        }
        return sawNumber
    }

    private static let pageNumberPunctuation: Set<Character> = ["-", "–", "—", "/", "|", ".", ":", ",", "(", ")", "[", "]", "·", "•"]
    private static let pageNumberWords: Set<String> = ["page", "p", "pg", "of"]
    /// i … c, the numbers of front-matter pages (only these, so that words such as "mix" or "civil" are not taken).
    private static let romanNumerals: Set<String> = Set((1...100).map(roman))

    private static func roman(_ value: Int) -> String {
        let digits: [(Int, String)] = [(100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                                       (4, "iv"), (1, "i")]
        var rest = value, out = ""
        for (amount, letters) in digits {
            while rest >= amount { out += letters; rest -= amount }
        }
        return out
    }

    private struct Candidate {
        var position: Position
        var text: String
        var key: String
    }

    /// The lines in the `edgeBands` highest and lowest bands of a page.
    private static func edgeLines(_ page: PDFLayout.Page) -> [Candidate] {
        var lines: [(position: Position, line: PDFLayout.Line)] = []
        for (b, block) in page.blocks.enumerated() {
            for (l, line) in block.lines.enumerated() { lines.append((Position(block: b, line: l), line)) }
        }
        lines.sort { ($0.line.top, $0.line.bottom) < ($1.line.top, $1.line.bottom) }
        // Bands: lines that overlap the band's height by more than a point are on the same band.
        var bands: [[Int]] = []
        var bandBottom = -Double.infinity
        for (index, entry) in lines.enumerated() {
            if bands.isEmpty || entry.line.top >= bandBottom - 1 {
                bands.append([index])
                bandBottom = entry.line.bottom
            } else {
                bands[bands.count - 1].append(index)
                bandBottom = max(bandBottom, entry.line.bottom)
            }
        }
        let edge = bands.count <= 2 * edgeBands ? bands[...] : bands.prefix(edgeBands) + bands.suffix(edgeBands)
        return edge.joined().map { index in
            let text = lines[index].line.words.joined(separator: " ")
            return Candidate(position: lines[index].position, text: text, key: key(text))
        }
    }
}

private extension String {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
