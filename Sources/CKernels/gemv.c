#include "ckernels.h"
#include <immintrin.h>
#include <string.h>

// Decode is bound by memory bandwidth: each kernel streams the weight rows once, four rows at a time so every load
// of x serves four rows, and widens BF16/F16 to F32 in registers (x stays F32, so decode keeps F32 activations).

// MARK: scalar reference

static inline float bf16_value(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static void gemv_bf16_scalar(const uint16_t *w, size_t ldw, size_t rows, size_t k, const float *x, float *y) {
    for (size_t r = 0; r < rows; r++) {
        const uint16_t *row = w + r * ldw;
        float sum = 0;
        for (size_t i = 0; i < k; i++) sum += bf16_value(row[i]) * x[i];
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

// MARK: AVX2

__attribute__((target("avx2,fma,f16c"))) static inline __m256 load8_bf16(const uint16_t *p) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p)), 16));
}
__attribute__((target("avx2,fma,f16c"))) static inline __m256 load8_f16(const uint16_t *p) {
    return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p));
}
__attribute__((target("avx2,fma,f16c"))) static inline float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

#define GEMV_AVX2(NAME, LOAD, TAIL)                                                                         \
    __attribute__((target("avx2,fma,f16c")))                                                                \
    static void NAME(const uint16_t *w, size_t ldw, size_t rows, size_t k, const float *x, float *y) {      \
        size_t r = 0, body = k & ~(size_t)7;                                                                \
        for (; r + 4 <= rows; r += 4) {                                                                     \
            const uint16_t *w0 = w + r * ldw, *w1 = w0 + ldw, *w2 = w1 + ldw, *w3 = w2 + ldw;               \
            __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;                                     \
            for (size_t i = 0; i < body; i += 8) {                                                          \
                __m256 xv = _mm256_loadu_ps(x + i);                                                         \
                a0 = _mm256_fmadd_ps(LOAD(w0 + i), xv, a0);                                                 \
                a1 = _mm256_fmadd_ps(LOAD(w1 + i), xv, a1);                                                 \
                a2 = _mm256_fmadd_ps(LOAD(w2 + i), xv, a2);                                                 \
                a3 = _mm256_fmadd_ps(LOAD(w3 + i), xv, a3);                                                 \
            }                                                                                               \
            y[r] = hsum8(a0); y[r + 1] = hsum8(a1); y[r + 2] = hsum8(a2); y[r + 3] = hsum8(a3);             \
            if (body < k) {                                                                                 \
                float tail[4];                                                                              \
                TAIL(w0 + body, ldw, 4, k - body, x + body, tail);                                          \
                for (int j = 0; j < 4; j++) y[r + j] += tail[j];                                            \
            }                                                                                               \
        }                                                                                                   \
        for (; r < rows; r++) {                                                                             \
            const uint16_t *w0 = w + r * ldw;                                                               \
            __m256 a0 = _mm256_setzero_ps();                                                                \
            for (size_t i = 0; i < body; i += 8) a0 = _mm256_fmadd_ps(LOAD(w0 + i), _mm256_loadu_ps(x + i), a0); \
            y[r] = hsum8(a0);                                                                               \
            if (body < k) { float tail; TAIL(w0 + body, ldw, 1, k - body, x + body, &tail); y[r] += tail; } \
        }                                                                                                   \
    }

GEMV_AVX2(gemv_bf16_avx2, load8_bf16, gemv_bf16_scalar)
GEMV_AVX2(gemv_f16_avx2, load8_f16, gemv_f16_scalar)

// MARK: AVX-512 (masked tails, no scalar remainder)

__attribute__((target("avx512f,avx512bw,avx512vl"))) static inline __m512 load16_bf16(const uint16_t *p, __mmask16 m) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(m, p)), 16));
}
__attribute__((target("avx512f,avx512bw,avx512vl"))) static inline __m512 load16_f16(const uint16_t *p, __mmask16 m) {
    return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, p));
}

#define GEMV_AVX512(NAME, LOAD)                                                                             \
    __attribute__((target("avx512f,avx512bw,avx512vl")))                                                    \
    static void NAME(const uint16_t *w, size_t ldw, size_t rows, size_t k, const float *x, float *y) {      \
        const __mmask16 all = 0xffff, tailMask = (__mmask16)((1u << (k & 15)) - 1);                         \
        size_t body = k & ~(size_t)15, r = 0;                                                               \
        for (; r + 4 <= rows; r += 4) {                                                                     \
            const uint16_t *w0 = w + r * ldw, *w1 = w0 + ldw, *w2 = w1 + ldw, *w3 = w2 + ldw;               \
            __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;                                     \
            for (size_t i = 0; i < body; i += 16) {                                                         \
                __m512 xv = _mm512_loadu_ps(x + i);                                                         \
                a0 = _mm512_fmadd_ps(LOAD(w0 + i, all), xv, a0);                                            \
                a1 = _mm512_fmadd_ps(LOAD(w1 + i, all), xv, a1);                                            \
                a2 = _mm512_fmadd_ps(LOAD(w2 + i, all), xv, a2);                                            \
                a3 = _mm512_fmadd_ps(LOAD(w3 + i, all), xv, a3);                                            \
            }                                                                                               \
            if (body < k) {                                                                                 \
                __m512 xv = _mm512_maskz_loadu_ps(tailMask, x + body);                                      \
                a0 = _mm512_fmadd_ps(LOAD(w0 + body, tailMask), xv, a0);                                    \
                a1 = _mm512_fmadd_ps(LOAD(w1 + body, tailMask), xv, a1);                                    \
                a2 = _mm512_fmadd_ps(LOAD(w2 + body, tailMask), xv, a2);                                    \
                a3 = _mm512_fmadd_ps(LOAD(w3 + body, tailMask), xv, a3);                                    \
            }                                                                                               \
            y[r] = _mm512_reduce_add_ps(a0); y[r + 1] = _mm512_reduce_add_ps(a1);                           \
            y[r + 2] = _mm512_reduce_add_ps(a2); y[r + 3] = _mm512_reduce_add_ps(a3);                       \
        }                                                                                                   \
        for (; r < rows; r++) {                                                                             \
            const uint16_t *w0 = w + r * ldw;                                                               \
            __m512 a0 = _mm512_setzero_ps();                                                                \
            for (size_t i = 0; i < body; i += 16) a0 = _mm512_fmadd_ps(LOAD(w0 + i, all), _mm512_loadu_ps(x + i), a0); \
            if (body < k) a0 = _mm512_fmadd_ps(LOAD(w0 + body, tailMask), _mm512_maskz_loadu_ps(tailMask, x + body), a0); \
            y[r] = _mm512_reduce_add_ps(a0);                                                                \
        }                                                                                                   \
    }

GEMV_AVX512(gemv_bf16_avx512, load16_bf16)
GEMV_AVX512(gemv_f16_avx512, load16_f16)

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
