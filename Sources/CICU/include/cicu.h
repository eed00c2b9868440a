// cicu.h — the few ICU calls Ferret needs, behind our own header.
//
// ICU's own headers are deliberately NOT exposed to Swift: on Linux they clash with the ICU copy bundled inside
// Foundation (`UErrorCode` redefined, build fails). Only plain C types cross this boundary.
//
// All functions are thread-safe: each thread keeps its own cached break iterators.
// Boundaries come from ICU's root-locale rules, which include the dictionaries for Chinese, Japanese, Thai, Lao,
// Khmer and Burmese, so words inside a run of ideographs are found without spaces.

#ifndef FERRET_CICU_H
#define FERRET_CICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Sentence starts of UTF-8 text.
///
///     int32_t ferret_sentence_breaks(const char *utf8, int32_t length, int32_t *starts, int32_t capacity);
///
/// `utf8`/`length`: the text, `length` bytes (not NUL-terminated; may be NULL when `length` is 0).
/// Writes the UTF-8 byte offset of the start of every sentence, ascending, into `starts` (at most `capacity`
/// values; `starts` may be NULL when `capacity` is 0). The first value is always 0 for non-empty text; the end of
/// the text is NOT included. Each sentence keeps its trailing spaces and newline (ICU's rules).
/// Returns the total number of sentences (0 for empty text). If that exceeds `capacity`, only the first `capacity`
/// were written: call again with a larger buffer (`length + 1` values always suffice).
/// Returns a negative value on failure: the negated ICU `UErrorCode` (e.g. -10 for invalid UTF-8 that ICU rejects).
/// Invalid UTF-8 bytes are treated as U+FFFD by ICU and normally do not fail.
int32_t ferret_sentence_breaks(const char *utf8, int32_t length, int32_t *starts, int32_t capacity);

/// Word-like segments of UTF-8 text.
///
///     int32_t ferret_word_segments(const char *utf8, int32_t length, int32_t *bounds, int32_t capacity);
///
/// Writes a `[start, end)` pair of UTF-8 byte offsets for every word-like segment — letters, numbers, kana,
/// ideographs (ICU rule status not UBRK_WORD_NONE) — into `bounds` as `start0, end0, start1, end1, …`, at most
/// `capacity` pairs (so `bounds` holds `2 * capacity` values). Spaces and punctuation are skipped.
/// Returns the total number of word-like segments; if that exceeds `capacity`, only the first `capacity` pairs were
/// written: call again with a larger buffer (`length` pairs always suffice). Negative: the negated ICU error code.
int32_t ferret_word_segments(const char *utf8, int32_t length, int32_t *bounds, int32_t capacity);

/// Word-like segments of UTF-16 text: like `ferret_word_segments`, offsets in UTF-16 code units.
int32_t ferret_word_segments_utf16(const uint16_t *utf16, int32_t length, int32_t *bounds, int32_t capacity);

/// Sentence starts of UTF-16 text: like `ferret_sentence_breaks`, offsets in UTF-16 code units.
int32_t ferret_sentence_breaks_utf16(const uint16_t *utf16, int32_t length, int32_t *starts, int32_t capacity);

#ifdef __cplusplus
}
#endif

#endif
