// charsets.c — ICU charset detection and conversion for Ferret (see include/cicu.h for the contract).

#include "cicu.h"

#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>
#include <unicode/utypes.h>

// Copies a NUL-terminated string into a fixed field, truncating; the field always ends with a NUL.
static void copy_name(char *field, size_t size, const char *value) {
    if (value == NULL) value = "";
    size_t n = strlen(value);
    if (n >= size) n = size - 1;
    memcpy(field, value, n);
    field[n] = '\0';
}

int32_t ferret_detect_charset(const char *bytes, int32_t length, ferret_charset_match *matches, int32_t capacity) {
    if (length < 0 || capacity < 0 || (length > 0 && bytes == NULL) || (capacity > 0 && matches == NULL)) {
        return -(int32_t)U_ILLEGAL_ARGUMENT_ERROR;
    }
    if (length == 0) return 0;
    UErrorCode status = U_ZERO_ERROR;
    UCharsetDetector *detector = ucsdet_open(&status);
    if (U_FAILURE(status)) return -(int32_t)status;
    ucsdet_setText(detector, bytes, length, &status);
    int32_t found = 0;
    const UCharsetMatch **all = U_SUCCESS(status) ? ucsdet_detectAll(detector, &found, &status) : NULL;
    if (status == U_INVALID_CHAR_FOUND) {   // ICU's way of saying that no recogniser matched
        status = U_ZERO_ERROR;
        found = 0;
    }
    if (U_FAILURE(status)) {
        ucsdet_close(detector);
        return -(int32_t)status;
    }
    for (int32_t i = 0; i < found && i < capacity; i++) {
        UErrorCode field = U_ZERO_ERROR;
        copy_name(matches[i].name, sizeof matches[i].name, ucsdet_getName(all[i], &field));
        copy_name(matches[i].language, sizeof matches[i].language, ucsdet_getLanguage(all[i], &field));
        matches[i].confidence = ucsdet_getConfidence(all[i], &field);
        if (U_FAILURE(field)) {
            ucsdet_close(detector);
            return -(int32_t)field;
        }
    }
    ucsdet_close(detector);   // the names were copied: ICU owns them and frees them here
    return found;
}

// Counts every replacement in the conversion, both directions, saturating at INT32_MAX.
typedef struct {
    int32_t count;
} substitution_counter;

static void count_one(const void *context) {
    substitution_counter *counter = (substitution_counter *)(void *)(uintptr_t)context;
    if (counter->count < INT32_MAX) counter->count += 1;
}

// Bad input bytes: U+FFFD, always. (ICU's own substitute callback writes U+001A instead for single bytes in the
// charsets that define a one-byte substitution character, which would read as a control character.)
static void U_CALLCONV replace_input(const void *context, UConverterToUnicodeArgs *args, const char *units,
                                     int32_t length, UConverterCallbackReason reason, UErrorCode *status) {
    (void)units;
    (void)length;
    if (reason > UCNV_IRREGULAR) return;   // reset, close, clone: nothing to replace
    count_one(context);
    static const UChar replacement = 0xFFFD;
    *status = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, &replacement, 1, 0, status);
}

// Characters the target charset lacks: its own substitution character.
static void U_CALLCONV replace_output(const void *context, UConverterFromUnicodeArgs *args, const UChar *units,
                                      int32_t length, UChar32 codePoint, UConverterCallbackReason reason,
                                      UErrorCode *status) {
    if (reason > UCNV_IRREGULAR) return;
    count_one(context);
    UCNV_FROM_U_CALLBACK_SUBSTITUTE(NULL, args, units, length, codePoint, reason, status);
}

enum { PIVOT_UNITS = 4096, CHUNK_BYTES = 16384 };

// Encodes `pivot` into `target` (or only counts what does not fit), adding the output length to `*total`.
static UErrorCode encode(UConverter *encoder, const UChar *pivot, const UChar *pivotEnd, UBool flush,
                         char *target, int32_t capacity, int64_t *total) {
    char chunk[CHUNK_BYTES];
    for (;;) {
        UErrorCode status = U_ZERO_ERROR;
        char *out = chunk;
        ucnv_fromUnicode(encoder, &out, chunk + CHUNK_BYTES, &pivot, pivotEnd, NULL, flush, &status);
        int64_t produced = out - chunk;
        if (*total < capacity) {
            int64_t room = capacity - *total;
            memcpy(target + *total, chunk, (size_t)(produced < room ? produced : room));
        }
        *total += produced;
        if (*total > INT32_MAX) return U_INDEX_OUTOFBOUNDS_ERROR;
        if (status == U_BUFFER_OVERFLOW_ERROR) continue;   // the chunk was full: more to come
        return status;
    }
}

int32_t ferret_convert(const char *to_charset, const char *from_charset, const char *source, int32_t length,
                       char *target, int32_t capacity, int32_t *substitutions) {
    if (substitutions != NULL) *substitutions = 0;
    if (to_charset == NULL || from_charset == NULL || length < 0 || capacity < 0 || (length > 0 && source == NULL) ||
        (capacity > 0 && target == NULL)) {
        return -(int32_t)U_ILLEGAL_ARGUMENT_ERROR;
    }
    UErrorCode status = U_ZERO_ERROR;
    UConverter *decoder = ucnv_open(from_charset, &status);
    if (U_FAILURE(status)) return -(int32_t)status;
    UConverter *encoder = ucnv_open(to_charset, &status);
    if (U_FAILURE(status)) {
        ucnv_close(decoder);
        return -(int32_t)status;
    }
    substitution_counter counter = {0};
    ucnv_setToUCallBack(decoder, replace_input, &counter, NULL, NULL, &status);
    ucnv_setFromUCallBack(encoder, replace_output, &counter, NULL, NULL, &status);

    // Source → UTF-16 pivot, a buffer at a time; each pivot is encoded before the next is decoded. A surrogate pair
    // split between two pivots is held by the encoder until its second half arrives.
    static const char nothing = 0;
    UChar pivot[PIVOT_UNITS];
    const char *in = length > 0 ? source : &nothing;
    const char *inEnd = in + length;
    int64_t total = 0;
    while (U_SUCCESS(status)) {
        UChar *p = pivot;
        ucnv_toUnicode(decoder, &p, pivot + PIVOT_UNITS, &in, inEnd, NULL, /*flush*/ 1, &status);
        UBool more = status == U_BUFFER_OVERFLOW_ERROR;
        if (U_FAILURE(status) && !more) break;
        status = encode(encoder, pivot, p, /*flush*/ !more, target, capacity, &total);
        if (!more) break;
    }
    ucnv_close(encoder);
    ucnv_close(decoder);
    if (U_FAILURE(status)) return -(int32_t)status;
    if (substitutions != NULL) *substitutions = counter.count;
    return (int32_t)total;
}
