#include "ckernels.h"
#include "elements.h"
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

// Decode is bound by memory bandwidth: each kernel streams the weight rows once and widens BF16/F16 to F32 in
// registers (x stays F32, so decode keeps F32 activations).

// MARK: scalar reference

static void gemv_bf16_scalar(const uint16_t *w, size_t ldw, size_t rows, size_t k, const float *x, float *y) {
    for (size_t r = 0; r < rows; r++) {
        const uint16_t *row = w + r * ldw;
        float sum = 0;
        for (size_t i = 0; i < k; i++) sum += bf16_to_f32(row[i]) * x[i];
        y[r] = sum;
    }
}

static void gemv_f16_scalar(const uint16_t *w, size_t ldw, size_t rows, size_t k, const float *x, float *y) {
    float buffer[256];
    for (size_t r = 0; r < rows; r++) {
        const uint16_t *row = w + r * ldw;
        float sum = 0;
        for (size_t i = 0; i < k; i += 256) {
            size_t chunk = k - i < 256 ? k - i : 256;
            ck_f16_to_f32(row + i, buffer, chunk, CK_PATH_SCALAR);
            for (size_t j = 0; j < chunk; j++) sum += buffer[j] * x[i + j];
        }
        y[r] = sum;
    }
}

// Measured on Zen 4 (one thread, weights far larger than the caches): walking one row at a time streams at the
// read bandwidth (~22 GB/s), while interleaving four rows' loads stalls at 10-13 GB/s. So every kernel below reads
// one row at a time, 64 weights (two cache lines of BF16) per step.
//
// BF16 → F32 costs no shuffle: a 32-bit lane holding the pair (w[2j], w[2j+1]) gives w[2j] shifted left by 16 and
// w[2j+1] with its low half masked off. x is split once per call into its even and odd elements to match.

enum { SPLIT_CHUNK = 64 };
static _Thread_local float *split_buffer;
static _Thread_local size_t split_capacity;

/// even[j] = x[2j] (returned), odd[j] = x[2j+1] (through `odd`), zero-padded to a whole chunk; NULL when out of memory.
static float *split_even_odd(const float *x, size_t k, const float **odd_out) {
    size_t half = (k + SPLIT_CHUNK - 1) / SPLIT_CHUNK * SPLIT_CHUNK / 2;
    if (2 * half > split_capacity) {
        free(split_buffer);
        split_buffer = aligned_alloc(64, 2 * half * sizeof(float));
        split_capacity = split_buffer ? 2 * half : 0;
        if (!split_buffer) return NULL;
    }
    float *even = split_buffer, *odd = split_buffer + half;
    memset(split_buffer, 0, 2 * half * sizeof(float));
    for (size_t i = 0; i < k; i++) (i & 1 ? odd : even)[i / 2] = x[i];
    *odd_out = odd;
    return split_buffer;
}

// MARK: AVX2

__attribute__((target("avx2,fma,f16c"))) static inline float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma,f16c")))
static void gemv_bf16_avx2(const uint16_t *w, size_t ldw, size_t rows, size_t k, const float *x, float *y) {
    const float *odd, *even = split_even_odd(x, k, &odd);
    if (!even) { gemv_bf16_scalar(w, ldw, rows, k, x, y); return; }
    const __m256i high = _mm256_set1_epi32((int)0xffff0000);
    size_t body = k & ~(size_t)15;
    for (size_t r = 0; r < rows; r++) {
        const uint16_t *row = w + r * ldw;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0;
        for (size_t i = 0; i < body; i += 16) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(row + i));
            a0 = _mm256_fmadd_ps(_mm256_castsi256_ps(_mm256_slli_epi32(v, 16)), _mm256_loadu_ps(even + i / 2), a0);
            a1 = _mm256_fmadd_ps(_mm256_castsi256_ps(_mm256_and_si256(v, high)), _mm256_loadu_ps(odd + i / 2), a1);
        }
        float sum = hsum8(_mm256_add_ps(a0, a1));
        for (size_t i = body; i < k; i++) sum += bf16_to_f32(row[i]) * x[i];
        y[r] = sum;
    }
}

__attribute__((target("avx2,fma,f16c")))
static void gemv_f16_avx2(const uint16_t *w, size_t ldw, size_t rows, size_t k, const float *x, float *y) {
    size_t body = k & ~(size_t)15;
    for (size_t r = 0; r < rows; r++) {
        const uint16_t *row = w + r * ldw;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0;
        for (size_t i = 0; i < body; i += 16) {
            a0 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(row + i))), _mm256_loadu_ps(x + i), a0);
            a1 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(row + i + 8))), _mm256_loadu_ps(x + i + 8), a1);
        }
        float sum = hsum8(_mm256_add_ps(a0, a1)), tail[16];
        if (body < k) {
            gemv_f16_scalar(row + body, ldw, 1, k - body, x + body, tail);
            sum += tail[0];
        }
        y[r] = sum;
    }
}

// MARK: AVX-512

__attribute__((target("avx512f,avx512bw,avx512vl")))
static void gemv_bf16_avx512(const uint16_t *w, size_t ldw, size_t rows, size_t k, const float *x, float *y) {
    const float *odd, *even = split_even_odd(x, k, &odd);
    if (!even) { gemv_bf16_scalar(w, ldw, rows, k, x, y); return; }
    const __m512i high = _mm512_set1_epi32((int)0xffff0000);
    size_t body = k & ~(size_t)63, rest = k - body;
    __mmask32 m0 = rest >= 32 ? 0xffffffffu : (__mmask32)((1ull << rest) - 1);
    __mmask32 m1 = rest <= 32 ? 0 : (__mmask32)((1ull << (rest - 32)) - 1);
#define STEP(V, I, A, B)                                                                                     \
    A = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_slli_epi32(V, 16)), _mm512_load_ps(even + (I) / 2), A);  \
    B = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_and_si512(V, high)), _mm512_load_ps(odd + (I) / 2), B);
    for (size_t r = 0; r < rows; r++) {
        const uint16_t *row = w + r * ldw;
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (size_t i = 0; i < body; i += 64) {
            __m512i v = _mm512_loadu_si512(row + i), u = _mm512_loadu_si512(row + i + 32);
            STEP(v, i, a0, a1)
            STEP(u, i + 32, a2, a3)
        }
        if (rest) {
            __m512i v = _mm512_maskz_loadu_epi16(m0, row + body), u = _mm512_maskz_loadu_epi16(m1, row + body + 32);
            STEP(v, body, a0, a1)
            STEP(u, body + 32, a2, a3)
        }
        y[r] = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
    }
#undef STEP
}

__attribute__((target("avx512f,avx512bw,avx512vl")))
static void gemv_f16_avx512(const uint16_t *w, size_t ldw, size_t rows, size_t k, const float *x, float *y) {
    size_t body = k & ~(size_t)31, rest = k - body;
    __mmask16 m0 = rest >= 16 ? 0xffff : (__mmask16)((1u << rest) - 1);
    __mmask16 m1 = rest <= 16 ? 0 : (__mmask16)((1u << (rest - 16)) - 1);
    for (size_t r = 0; r < rows; r++) {
        const uint16_t *row = w + r * ldw;
        __m512 a0 = _mm512_setzero_ps(), a1 = a0;
        for (size_t i = 0; i < body; i += 32) {
            a0 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(row + i))), _mm512_loadu_ps(x + i), a0);
            a1 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(row + i + 16))), _mm512_loadu_ps(x + i + 16), a1);
        }
        if (rest) {
            a0 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m0, row + body)), _mm512_maskz_loadu_ps(m0, x + body), a0);
            a1 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m1, row + body + 16)),
                                 _mm512_maskz_loadu_ps(m1, x + body + 16), a1);
        }
        y[r] = _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
    }
}

void ck_gemv_bf16(const uint16_t *w, size_t ldw, size_t rows, size_t k, const float *x, float *y, ck_path path) {
    switch (path) {
    case CK_PATH_AVX512BF16:
    case CK_PATH_AVX512: gemv_bf16_avx512(w, ldw, rows, k, x, y); return;
    case CK_PATH_AVX2: gemv_bf16_avx2(w, ldw, rows, k, x, y); return;
    case CK_PATH_SCALAR: gemv_bf16_scalar(w, ldw, rows, k, x, y); return;
    }
}

void ck_gemv_f16(const uint16_t *w, size_t ldw, size_t rows, size_t k, const float *x, float *y, ck_path path) {
    switch (path) {
    case CK_PATH_AVX512BF16:
    case CK_PATH_AVX512: gemv_f16_avx512(w, ldw, rows, k, x, y); return;
    case CK_PATH_AVX2: gemv_f16_avx2(w, ldw, rows, k, x, y); return;
    case CK_PATH_SCALAR: gemv_f16_scalar(w, ldw, rows, k, x, y); return;
    }
}
