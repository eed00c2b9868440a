import CICU

/// Sentence and word boundaries of UTF-8 text, as byte offsets, from ICU's break iterators (root locale, with the
/// dictionaries for Chinese, Japanese, Thai… so `。` ends a sentence and ideograph runs split into words).
/// Should ICU ever fail (it returns an error code instead of boundaries) the text is treated as one sentence or one
/// word: the chunker then falls back to cutting between characters, so a failure costs quality, never the budget.
enum Segmenter {
    /// Byte offsets where sentences start: 0 first for non-empty input, strictly increasing. A sentence runs to the
    /// next start (or the end) and keeps its trailing spaces.
    static func sentenceStarts(_ utf8: ArraySlice<UInt8>) -> [Int] {
        let starts = callICU(utf8, valuesPerResult: 1, ferret_sentence_breaks)
        return starts.isEmpty && !utf8.isEmpty ? [0] : starts
    }

    /// Byte offsets where a long sentence may be cut: 0 and the start of every word-like segment (letters, numbers,
    /// kana, ideographs). Punctuation and spaces stay with the word before them. Strictly increasing.
    static func wordStarts(_ utf8: ArraySlice<UInt8>) -> [Int] {
        guard !utf8.isEmpty else { return [] }
        let bounds = callICU(utf8, valuesPerResult: 2, ferret_word_segments)
        var starts = [0]
        for k in stride(from: 0, to: bounds.count, by: 2) where bounds[k] > starts[starts.count - 1] {
            starts.append(bounds[k])
        }
        return starts
    }

    /// Runs one of the `cicu.h` functions with a buffer that grows until the results fit.
    /// Returns no values for empty input, oversized input or an ICU error.
    private static func callICU(
        _ utf8: ArraySlice<UInt8>, valuesPerResult: Int,
        _ function: (UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<Int32>?, Int32) -> Int32
    ) -> [Int] {
        guard !utf8.isEmpty, utf8.count < Int(Int32.max) else { return [] }
        var capacity = utf8.count / 16 + 16
        while true {
            var buffer = [Int32](repeating: 0, count: capacity * valuesPerResult)
            let found = utf8.withUnsafeBytes { raw in
                buffer.withUnsafeMutableBufferPointer { out in
                    function(raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count),
                             out.baseAddress, Int32(capacity))
                }
            }
            guard found >= 0 else { return [] }
            if Int(found) <= capacity { return buffer.prefix(Int(found) * valuesPerResult).map(Int.init) }
            capacity = Int(found)
        }
    }
}
