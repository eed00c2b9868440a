// cicu.c — ICU word and sentence boundaries for Ferret (see include/cicu.h for the contract).

#include "cicu.h"

#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <unicode/utypes.h>

// Opening a break iterator loads and clones the rules (tens of microseconds); indexing segments every passage, so
// each thread keeps one iterator per kind and only resets its text. Never freed: two small objects per thread.
static _Thread_local UBreakIterator *cached_word = NULL;
static _Thread_local UBreakIterator *cached_sentence = NULL;

static UBreakIterator *iterator(UBreakIteratorType type, UErrorCode *status) {
    UBreakIterator **slot = (type == UBRK_WORD) ? &cached_word : &cached_sentence;
    if (*slot == NULL) {
        *slot = ubrk_open(type, "", NULL, 0, status);
        if (U_FAILURE(*status)) {
            *slot = NULL;
        }
    }
    return *slot;
}

// Points `bi` at the text: UTF-8 via UText (so boundaries are byte offsets) or UTF-16 directly.
static int32_t attach(UBreakIterator *bi, const char *utf8, const uint16_t *utf16, int32_t length, UText *ut) {
    UErrorCode status = U_ZERO_ERROR;
    if (utf8 != NULL) {
        utext_openUTF8(ut, utf8, length, &status);
        if (U_FAILURE(status)) return -(int32_t)status;
        ubrk_setUText(bi, ut, &status);
    } else {
        ubrk_setText(bi, (const UChar *)utf16, length, &status);
    }
    return U_FAILURE(status) ? -(int32_t)status : 0;
}

// ICU keeps a pointer to the text; detach so a later call never sees freed memory.
static void detach(UBreakIterator *bi, UText *ut, int isUTF8) {
    static const UChar empty[1] = {0};
    UErrorCode status = U_ZERO_ERROR;
    ubrk_setText(bi, empty, 0, &status);
    if (isUTF8) utext_close(ut);
}

static int32_t words(const char *utf8, const uint16_t *utf16, int32_t length, int32_t *bounds, int32_t capacity) {
    if (length <= 0) return 0;
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *bi = iterator(UBRK_WORD, &status);
    if (bi == NULL) return -(int32_t)status;
    UText ut = UTEXT_INITIALIZER;
    int32_t failure = attach(bi, utf8, utf16, length, &ut);
    if (failure != 0) {
        detach(bi, &ut, utf8 != NULL);
        return failure;
    }
    int32_t count = 0;
    int32_t start = ubrk_first(bi);
    for (int32_t end = ubrk_next(bi); end != UBRK_DONE; start = end, end = ubrk_next(bi)) {
        if (ubrk_getRuleStatus(bi) == UBRK_WORD_NONE) continue;
        if (count < capacity && bounds != NULL) {
            bounds[2 * count] = start;
            bounds[2 * count + 1] = end;
        }
        count += 1;
    }
    detach(bi, &ut, utf8 != NULL);
    return count;
}

static int32_t sentences(const char *utf8, const uint16_t *utf16, int32_t length, int32_t *starts, int32_t capacity) {
    if (length <= 0) return 0;
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *bi = iterator(UBRK_SENTENCE, &status);
    if (bi == NULL) return -(int32_t)status;
    UText ut = UTEXT_INITIALIZER;
    int32_t failure = attach(bi, utf8, utf16, length, &ut);
    if (failure != 0) {
        detach(bi, &ut, utf8 != NULL);
        return failure;
    }
    int32_t count = 0;
    for (int32_t at = ubrk_first(bi); at != UBRK_DONE && at < length; at = ubrk_next(bi)) {
        if (count < capacity && starts != NULL) starts[count] = at;
        count += 1;
    }
    detach(bi, &ut, utf8 != NULL);
    return count;
}

int32_t ferret_word_segments(const char *utf8, int32_t length, int32_t *bounds, int32_t capacity) {
    if (length > 0 && utf8 == NULL) return -(int32_t)U_ILLEGAL_ARGUMENT_ERROR;
    return words(utf8, NULL, length, bounds, capacity);
}

int32_t ferret_word_segments_utf16(const uint16_t *utf16, int32_t length, int32_t *bounds, int32_t capacity) {
    if (length > 0 && utf16 == NULL) return -(int32_t)U_ILLEGAL_ARGUMENT_ERROR;
    return words(NULL, utf16, length, bounds, capacity);
}

int32_t ferret_sentence_breaks(const char *utf8, int32_t length, int32_t *starts, int32_t capacity) {
    if (length > 0 && utf8 == NULL) return -(int32_t)U_ILLEGAL_ARGUMENT_ERROR;
    return sentences(utf8, NULL, length, starts, capacity);
}

int32_t ferret_sentence_breaks_utf16(const uint16_t *utf16, int32_t length, int32_t *starts, int32_t capacity) {
    if (length > 0 && utf16 == NULL) return -(int32_t)U_ILLEGAL_ARGUMENT_ERROR;
    return sentences(NULL, utf16, length, starts, capacity);
}
