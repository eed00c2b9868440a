#include "ckernels.h"
#include <immintrin.h>
#include <string.h>

// MARK: scalar

static inline float bf16_to_f32(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static inline uint16_t f32_to_bf16(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x40);  // quiet NaN
    u += 0x7fffu + ((u >> 16) & 1);                                             // round to nearest even
    return (uint16_t)(u >> 16);
}

static inline float f16_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff, bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {  // subnormal: normalise
            int shift = 0;
            while (!(mantissa & 0x400)) { mantissa <<= 1; shift++; }
            mantissa &= 0x3ff;
            bits = sign | ((uint32_t)(127 - 15 + 1 - shift) << 23) | (mantissa << 13);
        }
    } else if (exponent == 31) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

// MARK: AVX2 / AVX-512

__attribute__((target("avx2,fma,f16c")))
static void bf16_to_f32_avx2(const uint16_t *src, float *dst, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i v = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(src + i)));
        _mm256_storeu_ps(dst + i, _mm256_castsi256_ps(_mm256_slli_epi32(v, 16)));
    }
    for (; i < n; i++) dst[i] = bf16_to_f32(src[i]);
}

__attribute__((target("avx2,fma,f16c")))
static void f16_to_f32_avx2(const uint16_t *src, float *dst, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(src + i))));
    for (; i < n; i++) dst[i] = f16_to_f32(src[i]);
}

__attribute__((target("avx512f,avx512bw,avx512vl")))
static void bf16_to_f32_avx512(const uint16_t *src, float *dst, size_t n) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512i v = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(src + i)));
        _mm512_storeu_ps(dst + i, _mm512_castsi512_ps(_mm512_slli_epi32(v, 16)));
    }
    for (; i < n; i++) dst[i] = bf16_to_f32(src[i]);
}

__attribute__((target("avx512f,avx512bw,avx512vl")))
static void f16_to_f32_avx512(const uint16_t *src, float *dst, size_t n) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(dst + i, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(src + i))));
    for (; i < n; i++) dst[i] = f16_to_f32(src[i]);
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))
static void f32_to_bf16_avx512bf16(const float *src, uint16_t *dst, size_t n) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256bh v = _mm512_cvtneps_pbh(_mm512_loadu_ps(src + i));
        _mm256_storeu_si256((__m256i *)(dst + i), (__m256i)v);
    }
    for (; i < n; i++) dst[i] = f32_to_bf16(src[i]);
}

void ck_bf16_to_f32(const uint16_t *src, float *dst, size_t n, ck_path path) {
    switch (path) {
    case CK_PATH_AVX512BF16:
    case CK_PATH_AVX512: bf16_to_f32_avx512(src, dst, n); return;
    case CK_PATH_AVX2: bf16_to_f32_avx2(src, dst, n); return;
    case CK_PATH_SCALAR: for (size_t i = 0; i < n; i++) dst[i] = bf16_to_f32(src[i]); return;
    }
}

void ck_f16_to_f32(const uint16_t *src, float *dst, size_t n, ck_path path) {
    switch (path) {
    case CK_PATH_AVX512BF16:
    case CK_PATH_AVX512: f16_to_f32_avx512(src, dst, n); return;
    case CK_PATH_AVX2: f16_to_f32_avx2(src, dst, n); return;
    case CK_PATH_SCALAR: for (size_t i = 0; i < n; i++) dst[i] = f16_to_f32(src[i]); return;
    }
}

void ck_f32_to_bf16(const float *src, uint16_t *dst, size_t n, ck_path path) {
    if (path == CK_PATH_AVX512BF16) { f32_to_bf16_avx512bf16(src, dst, n); return; }
    for (size_t i = 0; i < n; i++) dst[i] = f32_to_bf16(src[i]);
}

void ck_bf16_remainder(const float *src, const uint16_t *high, uint16_t *low, size_t n) {
    for (size_t i = 0; i < n; i++) low[i] = f32_to_bf16(src[i] - bf16_to_f32(high[i]));
}
