// cicu.h — the few ICU calls Ferret needs, behind our own header: word and sentence boundaries (cicu.c), charset
// detection and conversion (charsets.c).
//
// ICU's own headers are deliberately NOT exposed to Swift: on Linux they clash with the ICU copy bundled inside
// Foundation (`UErrorCode` redefined, build fails). Only plain C types cross this boundary.
//
// All functions are thread-safe: each thread keeps its own cached break iterators; the charset functions open and
// close their ICU objects on every call.
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

/// One candidate from `ferret_detect_charset`.
typedef struct ferret_charset_match {
    /// ICU's name for the charset, NUL-terminated: "windows-1252", "ISO-8859-1", "Shift_JIS", "GB18030", "KOI8-R",
    /// "UTF-8"… Always a name `ferret_convert` accepts.
    char name[32];
    /// The language ICU's recogniser guessed along with the charset ("fr", "ja"…), or "" when it has none.
    char language[8];
    /// ICU's confidence, 0 to 100. Below about 10 the guess is weak; on short texts even the right answer often
    /// scores under 50.
    int32_t confidence;
} ferret_charset_match;

/// Which charsets a byte buffer is probably in, best first (ICU's `ucsdet_detectAll`).
///
///     int32_t ferret_detect_charset(const char *bytes, int32_t length, ferret_charset_match *matches,
///                                   int32_t capacity);
///
/// `bytes`/`length`: the text, `length` bytes (may be NULL when `length` is 0). ICU examines all of it, so pass a
/// sample (a few tens of KB tell as much as the whole of a large file).
/// Writes the candidates, by decreasing confidence, into `matches` (at most `capacity`; `matches` may be NULL when
/// `capacity` is 0). Returns the total number of candidates ICU found (0 for empty input or when nothing fits); if
/// that exceeds `capacity`, only the first `capacity` were written (the best ones, usually all a caller needs).
/// Returns a negative value on failure: the negated ICU `UErrorCode` (-1 for a negative length or capacity).
int32_t ferret_detect_charset(const char *bytes, int32_t length, ferret_charset_match *matches, int32_t capacity);

/// Converts bytes from one charset to another (ICU's `ucnv_*`, through UTF-16), never failing on bad input.
///
///     int32_t ferret_convert(const char *to_charset, const char *from_charset, const char *source, int32_t length,
///                            char *target, int32_t capacity, int32_t *substitutions);
///
/// `to_charset`/`from_charset`: ICU converter names or aliases ("UTF-8", "windows-1252", "latin1", "Shift_JIS",
/// "EUC-JP", "GB18030", "Big5", "KOI8-R", "ISO-8859-7"…). `source`/`length`: the input, `length` bytes (may be
/// NULL when `length` is 0).
/// Input bytes that are illegal or unassigned in `from_charset` become U+FFFD, one per bad sequence; characters
/// `to_charset` cannot represent become its substitution character ('?' or 0x1A in most legacy charsets, U+FFFD
/// in the Unicode ones). Each replacement counts one in `*substitutions` (may be NULL), for the whole input.
/// Writes the converted bytes into `target` (at most `capacity`; `target` may be NULL when `capacity` is 0; no NUL
/// is appended). Returns the total length of the output; if that exceeds `capacity`, only the first `capacity`
/// bytes were written: call again with a buffer of the returned size. For `to_charset` "UTF-8", `3 * length + 4`
/// bytes are enough for every legacy charset Ferret meets, so one call usually suffices.
/// Returns a negative value on failure: the negated ICU `UErrorCode` — -1 for a bad argument, -4
/// (`U_FILE_ACCESS_ERROR`) for an unknown charset name, -8 (`U_INDEX_OUTOFBOUNDS_ERROR`) when the output would be
/// longer than `INT32_MAX` bytes.
int32_t ferret_convert(const char *to_charset, const char *from_charset, const char *source, int32_t length,
                       char *target, int32_t capacity, int32_t *substitutions);

#ifdef __cplusplus
}
#endif

#endif
