import CICU

/// Word-like segments of text from ICU's word break iterator (root locale, with the dictionaries for Chinese,
/// Japanese, Thai…), so `我昨天去了北京大学图书馆` splits into words although it has no spaces.
/// Spaces and punctuation are not segments. The same segmentation is applied to passages (for FTS5) and to queries,
/// which is what makes CJK words findable with FTS5's `unicode61` tokenizer.
public enum WordSegmenter {
    /// One word: its text and its `[start, end)` range in UTF-8 bytes of the segmented string.
    public struct Word: Sendable, Equatable {
        public var text: Substring
        public var utf8Range: Range<Int>
    }

    /// The word-like segments of `text`, in order. Empty when ICU fails (it never has on valid Swift strings).
    public static func words(_ text: String) -> [Word] {
        let ranges = utf8Ranges(text)
        let utf8 = text.utf8
        return ranges.compactMap { range -> Word? in
            guard let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound, limitedBy: utf8.endIndex),
                  let end = utf8.index(utf8.startIndex, offsetBy: range.upperBound, limitedBy: utf8.endIndex),
                  start <= end else { return nil }
            // ICU's offsets always fall on scalar boundaries of valid UTF-8, which a Swift String always is.
            return Word(text: text[start..<end], utf8Range: range)
        }
    }

    /// `[start, end)` UTF-8 byte ranges of the word-like segments of `text`.
    public static func utf8Ranges(_ text: String) -> [Range<Int>] {
        var copy = text
        return copy.withUTF8 { bytes in utf8Ranges(bytes) }
    }

    /// `[start, end)` ranges of the word-like segments of UTF-8 bytes.
    public static func utf8Ranges(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard !bytes.isEmpty, bytes.count < Int(Int32.max) else { return [] }
        var capacity = bytes.count / 3 + 8
        while true {
            var bounds = [Int32](repeating: 0, count: 2 * capacity)
            let found = bounds.withUnsafeMutableBufferPointer { out in
                bytes.withMemoryRebound(to: CChar.self) { text in
                    ferret_word_segments(text.baseAddress, Int32(text.count), out.baseAddress, Int32(capacity))
                }
            }
            guard found >= 0 else { return [] }
            if Int(found) <= capacity {
                return (0..<Int(found)).map { Int(bounds[2 * $0])..<Int(bounds[2 * $0 + 1]) }
            }
            capacity = Int(found)
        }
    }

    /// The text FTS5 indexes: the word segments joined by single spaces (`unicode61` then lower-cases and folds
    /// diacritics), each word followed by its Snowball stem in `language` when that differs. `北京大学图书馆` becomes
    /// `北京 大学 图书馆`; `Descale once a month` (en) becomes `Descale descal once a month`. Keeping the surface form
    /// means an exact word still matches (and scores both its surface and its stem), a stem-only match less.
    /// Bump `segmentationVersion` when this changes: indexes re-segment on open (`FTSResegmentation`).
    public static func ftsText(_ text: String, language: String? = nil) -> String {
        let segments = words(text)
        guard Stemmer.supports(language) else { return segments.map { String($0.text) }.joined(separator: " ") }
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 4)
        for word in segments {
            if !out.isEmpty { out += " " }
            out += word.text
            if let stem = Stemmer.stem(word.text, language: language) {
                out += " "
                out += stem
            }
        }
        return out
    }

    /// The version of `ftsText`'s output, stored as `meta.fts.segmentation`: 1 is surface words only (before
    /// stemming), 2 adds Snowball stems. An index with an older value re-segments `passage_fts` on open.
    public static let segmentationVersion = 2
}
