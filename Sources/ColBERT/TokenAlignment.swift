import Kernels

extension ColBERTEncoder {
    /// Where each kept token of a document lies in `text`: UTF-8 byte ranges, nil for BOS, the prefix token and any
    /// token that cannot be placed. `keptIDs` are the ids `encodeDocument(text)` kept (or the index stored), in order.
    ///
    /// Tokens are found by their bytes, left to right, each at most `slack` bytes past the previous one: skiplisted
    /// punctuation and whitespace leave gaps, and a token that does not occur nearby (text the tokenizer normalised)
    /// is left unplaced rather than matched somewhere far away.
    public func tokenRanges(in text: String, keptIDs: [Int], slack: Int = 32) -> [Range<Int>?] {
        let haystack = Array(text.utf8)
        var cursor = 0
        return keptIDs.map { id -> Range<Int>? in
            guard let needle = builder.tokenizer.bytes(of: id), !needle.isEmpty else { return nil }
            let last = min(haystack.count - needle.count, cursor + slack)
            guard last >= cursor else { return nil }
            for start in cursor...last where haystack[start] == needle[0] {
                if haystack[start ..< start + needle.count].elementsEqual(needle) {
                    cursor = start + needle.count
                    return start ..< cursor
                }
            }
            return nil
        }
    }

    /// MaxSim of `query` restricted to parts of a document: for each span (UTF-8 byte ranges of the document's text),
    /// the mean over query vectors of the best dot product with a document token lying in that span (`ranges` from
    /// `tokenRanges`). A span holding no placed token scores 0. One SGEMM for the whole document.
    public static func spanScores(query: TokenVectors, document: TokenVectors, ranges: [Range<Int>?],
                                  spans: [Range<Int>]) -> [Double] {
        precondition(ranges.count == document.count, "one range per document vector")
        precondition(query.dimension == document.dimension, "query and document widths differ")
        let (q, d) = (query.count, document.count)
        guard q > 0, d > 0 else { return spans.map { _ in 0 } }
        let similarities = similarities(query: query, document: document)  // [q, d]
        return spans.map { span in
            let tokens = ranges.indices.filter { ranges[$0].map { $0.overlaps(span) } ?? false }
            guard !tokens.isEmpty else { return 0 }
            var total: Float = 0
            for row in 0..<q {
                var best = -Float.infinity
                for column in tokens { best = max(best, similarities[row * d + column]) }
                total += best
            }
            return Double(total) / Double(q)
        }
    }
}
