#include "ckernels.h"
#include "elements.h"
#include <immintrin.h>
#include <string.h>

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
