#include "quants.h"
#include <immintrin.h>

// SIMD activation quantisers (AVX2, AVX-512) and dequantisers (AVX-512), bit-identical to quants_ref.c: the same
// F32 operations in the same order, products never fused.
#pragma clang fp contract(off)

#define AVX2 __attribute__((target("avx2,fma,f16c")))
#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl")))
#define AVX512BF16 __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

// MARK: AVX-512 quantisers

/// roundf (halves away from zero) of |v| < 2²³, as int32: truncate, then step away from zero when the dropped
/// fraction (exact) is at least a half.
AVX512 static inline __m512i round_away_512(__m512 v) {
    __m512 t = _mm512_roundscale_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    __m512 fraction = _mm512_sub_ps(v, t);
    __m512i q = _mm512_cvttps_epi32(t);
    q = _mm512_mask_add_epi32(q, _mm512_cmp_ps_mask(fraction, _mm512_set1_ps(0.5f), _CMP_GE_OQ), q, _mm512_set1_epi32(1));
    return _mm512_mask_sub_epi32(q, _mm512_cmp_ps_mask(fraction, _mm512_set1_ps(-0.5f), _CMP_LE_OQ), q, _mm512_set1_epi32(1));
}

/// quantize_row_q8_0_ref / _q8_1_ref for one block: the quants, the scale (F16 bits) and the exact F32 scale.
AVX512 static inline __m256i q8_block_512(const float *x, float *d_out, int *sum) {
    __m512 a = _mm512_loadu_ps(x), b = _mm512_loadu_ps(x + 16);
    float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(a), _mm512_abs_ps(b)));
    float d = amax / 127, id = d != 0 ? 1.0f / d : 0.0f;
    __m512i qa = round_away_512(_mm512_mul_ps(a, _mm512_set1_ps(id)));
    __m512i qb = round_away_512(_mm512_mul_ps(b, _mm512_set1_ps(id)));
    *d_out = d;
    *sum = _mm512_reduce_add_epi32(_mm512_add_epi32(qa, qb));
    return _mm256_inserti128_si256(_mm256_castsi128_si256(_mm512_cvtepi32_epi8(qa)), _mm512_cvtepi32_epi8(qb), 1);
}

/// quantize_row_q8_K_ref for one super-block.
AVX512 static inline void q8_K_block_512(const float *x, block_q8_K *y) {
    __m512 amax_v = _mm512_setzero_ps();
    for (int i = 0; i < 16; i++) amax_v = _mm512_max_ps(amax_v, _mm512_abs_ps(_mm512_loadu_ps(x + 16 * i)));
    float amax = _mm512_reduce_max_ps(amax_v), max = 0;
    if (amax == 0) {
        memset(y, 0, sizeof *y);
        return;
    }
    for (int i = 0; i < 16; i++) {  // the first element of that magnitude gives the sign
        __mmask16 at = _mm512_cmp_ps_mask(_mm512_abs_ps(_mm512_loadu_ps(x + 16 * i)), _mm512_set1_ps(amax), _CMP_EQ_OQ);
        if (at) {
            max = x[16 * i + __builtin_ctz(at)];
            break;
        }
    }
    float iscale = -127.f / max;
    for (int i = 0; i < 16; i++) {  // round half to even, as nearest_int
        __m512i q = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(x + 16 * i), _mm512_set1_ps(iscale)));
        q = _mm512_min_epi32(q, _mm512_set1_epi32(127));
        _mm_storeu_si128((__m128i *)(y->qs + 16 * i), _mm512_cvtepi32_epi8(q));
        y->bsums[i] = (int16_t)_mm512_reduce_add_epi32(q);
    }
    y->d = 1 / iscale;
}

AVX512 int ck_quantize_row_avx512(ck_type type, const float *x, void *dst, size_t count) {
    float d;
    int sum;
    switch (type) {
    case CK_TYPE_Q8_0:
        for (size_t i = 0; i < count / QK; i++) {
            block_q8_0 *y = (block_q8_0 *)dst + i;
            _mm256_storeu_si256((__m256i *)y->qs, q8_block_512(x + i * QK, &d, &sum));
            y->d = f32_to_f16(d);
        }
        return 1;
    case CK_TYPE_Q8_1:
        for (size_t i = 0; i < count / QK; i++) {
            block_q8_1 *y = (block_q8_1 *)dst + i;
            _mm256_storeu_si256((__m256i *)y->qs, q8_block_512(x + i * QK, &d, &sum));
            y->d = f32_to_f16(d);
            y->s = f32_to_f16((float)sum * d);
        }
        return 1;
    case CK_TYPE_Q8_K:
        for (size_t i = 0; i < count / QK_K; i++) q8_K_block_512(x + i * QK_K, (block_q8_K *)dst + i);
        return 1;
    default: return 0;
    }
}

// MARK: AVX2 quantisers

AVX2 static inline __m256i round_away_256(__m256 v) {
    __m256 t = _mm256_round_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    __m256 fraction = _mm256_sub_ps(v, t);
    __m256i q = _mm256_cvttps_epi32(t);
    __m256i up = _mm256_castps_si256(_mm256_cmp_ps(fraction, _mm256_set1_ps(0.5f), _CMP_GE_OQ));
    __m256i down = _mm256_castps_si256(_mm256_cmp_ps(fraction, _mm256_set1_ps(-0.5f), _CMP_LE_OQ));
    return _mm256_add_epi32(_mm256_sub_epi32(q, up), down);  // masks are −1 where set
}

AVX2 static inline float hmax_256(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    return _mm_cvtss_f32(_mm_max_ss(m, _mm_movehdup_ps(m)));
}

AVX2 static inline int hsum_i32_256(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
    return _mm_cvtsi128_si32(_mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1))));
}

/// 4 × 8 int32 (each within int8) → 32 bytes in order.
AVX2 static inline __m256i pack_bytes_256(__m256i a, __m256i b, __m256i c, __m256i d) {
    __m256i packed = _mm256_packs_epi16(_mm256_packs_epi32(a, b), _mm256_packs_epi32(c, d));
    return _mm256_permutevar8x32_epi32(packed, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

AVX2 static inline __m256i q8_block_256(const float *x, float *d_out, int *sum) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 v[4], amax_v = _mm256_setzero_ps();
    for (int i = 0; i < 4; i++) {
        v[i] = _mm256_loadu_ps(x + 8 * i);
        amax_v = _mm256_max_ps(amax_v, _mm256_andnot_ps(sign, v[i]));
    }
    float amax = hmax_256(amax_v);
    float d = amax / 127, id = d != 0 ? 1.0f / d : 0.0f;
    __m256i q[4];
    for (int i = 0; i < 4; i++) q[i] = round_away_256(_mm256_mul_ps(v[i], _mm256_set1_ps(id)));
    *d_out = d;
    *sum = hsum_i32_256(_mm256_add_epi32(_mm256_add_epi32(q[0], q[1]), _mm256_add_epi32(q[2], q[3])));
    return pack_bytes_256(q[0], q[1], q[2], q[3]);
}

AVX2 static inline void q8_K_block_256(const float *x, block_q8_K *y) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 amax_v = _mm256_setzero_ps();
    for (int i = 0; i < 32; i++) amax_v = _mm256_max_ps(amax_v, _mm256_andnot_ps(sign, _mm256_loadu_ps(x + 8 * i)));
    float amax = hmax_256(amax_v), max = 0;
    if (amax == 0) {
        memset(y, 0, sizeof *y);
        return;
    }
    for (int i = 0; i < QK_K; i++) {
        if (__builtin_fabsf(x[i]) == amax) {
            max = x[i];
            break;
        }
    }
    float iscale = -127.f / max;
    for (int i = 0; i < 8; i++) {
        __m256i q[4];
        for (int j = 0; j < 4; j++) {
            q[j] = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + 32 * i + 8 * j), _mm256_set1_ps(iscale)));
            q[j] = _mm256_min_epi32(q[j], _mm256_set1_epi32(127));
        }
        _mm256_storeu_si256((__m256i *)(y->qs + 32 * i), pack_bytes_256(q[0], q[1], q[2], q[3]));
        y->bsums[2 * i] = (int16_t)hsum_i32_256(_mm256_add_epi32(q[0], q[1]));
        y->bsums[2 * i + 1] = (int16_t)hsum_i32_256(_mm256_add_epi32(q[2], q[3]));
    }
    y->d = 1 / iscale;
}

AVX2 int ck_quantize_row_avx2(ck_type type, const float *x, void *dst, size_t count) {
    float d;
    int sum;
    switch (type) {
    case CK_TYPE_Q8_0:
        for (size_t i = 0; i < count / QK; i++) {
            block_q8_0 *y = (block_q8_0 *)dst + i;
            _mm256_storeu_si256((__m256i *)y->qs, q8_block_256(x + i * QK, &d, &sum));
            y->d = f32_to_f16(d);
        }
        return 1;
    case CK_TYPE_Q8_1:
        for (size_t i = 0; i < count / QK; i++) {
            block_q8_1 *y = (block_q8_1 *)dst + i;
            _mm256_storeu_si256((__m256i *)y->qs, q8_block_256(x + i * QK, &d, &sum));
            y->d = f32_to_f16(d);
            y->s = f32_to_f16((float)sum * d);
        }
        return 1;
    case CK_TYPE_Q8_K:
        for (size_t i = 0; i < count / QK_K; i++) q8_K_block_256(x + i * QK_K, (block_q8_K *)dst + i);
        return 1;
    default: return 0;
    }
}

// MARK: AVX-512 activation extras

/// Σ of each 4 bytes times `factor`, as int32 lanes.
AVX512 static inline __m512i sums4(__m512i q, int factor) {
    __m512i sums = _mm512_madd_epi16(_mm512_maddubs_epi16(_mm512_set1_epi8(1), q), _mm512_set1_epi16(1));
    return _mm512_mullo_epi32(sums, _mm512_set1_epi32(factor));
}

AVX512 int ck_activation_extras_avx512(ck_type companion, const ck_activations *a) {
    if (companion == CK_TYPE_Q8_K) {
        int8_t *qs = (int8_t *)(uintptr_t)a->qs, *k4 = (int8_t *)(uintptr_t)a->k4;
        const block_q8_K *b = a->block;
        for (size_t i = 0; i < a->blocks; i++) {
            for (int h = 0; h < QK_K; h += 128) {
                __m512i lo = _mm512_loadu_si512(b[i].qs + h), hi = _mm512_loadu_si512(b[i].qs + h + 64);
                _mm512_store_si512(qs + i * QK_K + h, lo);
                _mm512_store_si512(qs + i * QK_K + h + 64, hi);
                _mm512_store_si512(k4 + i * QK_K + h, _mm512_inserti64x4(lo, _mm512_castsi512_si256(hi), 1));
                _mm512_store_si512(k4 + i * QK_K + h + 64, _mm512_shuffle_i64x2(lo, hi, _MM_SHUFFLE(3, 2, 3, 2)));
            }
        }
        return 1;
    }
    if (companion != CK_TYPE_Q8_0 && companion != CK_TYPE_Q8_1) return 0;
    const int one = companion == CK_TYPE_Q8_1;
    const size_t stride = one ? sizeof(block_q8_1) : sizeof(block_q8_0), offset = one ? 4 : 2;
    const uint8_t *blocks = a->block;
    int8_t *split = (int8_t *)(uintptr_t)a->split, *qs = (int8_t *)(uintptr_t)a->qs;
    float *block_d = (float *)(uintptr_t)a->block_d, *block_s = (float *)(uintptr_t)a->block_s;
    for (size_t i = 0; i < a->blocks; i++) {
        const uint8_t *p = blocks + i * stride;
        uint16_t bits[2];
        memcpy(bits, p, 4);
        block_d[i] = f16_to_f32(bits[0]);
        if (one) block_s[i] = f16_to_f32(bits[1]);
        __m256i q = _mm256_loadu_si256((const __m256i *)(p + offset));
        int8_t *group = split + i / 4 * 128 + i % 4 * 16;
        _mm_store_si128((__m128i *)group, _mm256_castsi256_si128(q));
        _mm_store_si128((__m128i *)(group + 64), _mm256_extracti128_si256(q, 1));
        if (!one) _mm256_store_si256((__m256i *)(qs + i * QK), q);
    }
    const __m512i pack = _mm512_loadu_si512(PACK_BLOCK);
    const __m512i quad = _mm512_set_epi32(3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0);
    for (size_t b = 0; b < a->blocks; b += 4) {  // the padding past the last block is zero
        if (b % 8 == 0) {
            _mm512_store_ps((float *)(uintptr_t)a->pack_d + 2 * b, _mm512_permutexvar_ps(pack, _mm512_castps256_ps512(_mm256_load_ps(block_d + b))));
            if (one)
                _mm512_store_ps((float *)(uintptr_t)a->pack_s + 2 * b, _mm512_permutexvar_ps(pack, _mm512_castps256_ps512(_mm256_load_ps(block_s + b))));
        }
        _mm512_store_ps((float *)(uintptr_t)a->quad_d + 4 * b, _mm512_permutexvar_ps(quad, _mm512_castps128_ps512(_mm_load_ps(block_d + b))));
        if (one)
            _mm512_store_ps((float *)(uintptr_t)a->quad_s + 4 * b, _mm512_permutexvar_ps(quad, _mm512_castps128_ps512(_mm_load_ps(block_s + b))));
    }
    if (one) return 1;
    int32_t *lane_corr = (int32_t *)(uintptr_t)a->lane_corr, *split_corr = (int32_t *)(uintptr_t)a->split_corr;
    for (size_t e = 0; e < a->k; e += 64) _mm512_store_si512(lane_corr + e / 4, sums4(_mm512_load_si512(qs + e), -128));
    for (size_t g = 0; g < (a->blocks + 3) / 4; g++) {
        __m512i low = _mm512_load_si512(split + 128 * g), high = _mm512_load_si512(split + 128 * g + 64);
        _mm512_store_si512(split_corr + 16 * g, _mm512_add_epi32(sums4(low, -8), sums4(high, -8)));
    }
    return 1;
}

// MARK: AVX-512 dequantisers (F32; the BF16 path rounds their output)

AVX512 static inline __m512 half_512(const void *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _mm512_set1_ps(f16_to_f32(h));
}

/// Q4_0, Q4_1, Q5_0, Q5_1: (q − offset)·d or q·d + m, the nibbles of 16 bytes then their high halves.
AVX512 static void dequantize_32_blocks(ck_type type, const uint8_t *src, float *y, size_t blocks) {
    const int one = type == CK_TYPE_Q4_1 || type == CK_TYPE_Q5_1, five = type == CK_TYPE_Q5_0 || type == CK_TYPE_Q5_1;
    const size_t size = ck_block_bytes(type), qs_at = (one ? 4 : 2) + (five ? 4 : 0);
    const __m512i offset = _mm512_set1_epi32(one ? 0 : five ? 16 : 8), sixteen = _mm512_set1_epi32(16);
    for (size_t i = 0; i < blocks; i++, src += size, y += QK) {
        __m512 d = half_512(src), m = one ? half_512(src + 2) : _mm512_setzero_ps();
        __m128i qs = _mm_loadu_si128((const __m128i *)(src + qs_at));
        __m512i q[2] = {_mm512_cvtepu8_epi32(_mm_and_si128(qs, _mm_set1_epi8(0x0F))),
                        _mm512_cvtepu8_epi32(_mm_and_si128(_mm_srli_epi16(qs, 4), _mm_set1_epi8(0x0F)))};
        uint32_t qh = 0;
        if (five) memcpy(&qh, src + (one ? 4 : 2), 4);
        for (int h = 0; h < 2; h++) {
            if (five) q[h] = _mm512_mask_add_epi32(q[h], (__mmask16)(qh >> (16 * h)), q[h], sixteen);
            __m512 v = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(q[h], offset)), d);
            _mm512_storeu_ps(y + 16 * h, one ? _mm512_add_ps(v, m) : v);
        }
    }
}

AVX512 int ck_dequantize_avx512(ck_type type, const void *src, float *y, size_t blocks) {
    const uint8_t *p = src;
    switch (type) {
    case CK_TYPE_Q8_0:
        for (size_t i = 0; i < blocks; i++, p += sizeof(block_q8_0), y += QK) {
            __m512 d = half_512(p);
            for (int h = 0; h < 2; h++) {
                __m512i q = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(p + 2 + 16 * h)));
                _mm512_storeu_ps(y + 16 * h, _mm512_mul_ps(_mm512_cvtepi32_ps(q), d));
            }
        }
        return 1;
    case CK_TYPE_Q4_0: case CK_TYPE_Q4_1: case CK_TYPE_Q5_0: case CK_TYPE_Q5_1:
        dequantize_32_blocks(type, p, y, blocks);
        return 1;
    case CK_TYPE_Q4_K: case CK_TYPE_Q5_K: {
        const int five = type == CK_TYPE_Q5_K;
        const size_t size = five ? sizeof(block_q5_K) : sizeof(block_q4_K);
        for (size_t i = 0; i < blocks; i++, p += size) {
            const block_q4_K *b = (const block_q4_K *)p;
            const uint8_t *qs = p + (five ? 48 : 16), *qh = p + 16;
            float d = f16_to_f32(b->d), dmin = f16_to_f32(b->dmin);
            for (int j = 0; j < 8; j++) {  // (d·scale_j)·q − dmin·min_j
                int scale, min;
                scale_min_k4(j, b->scales, &scale, &min);
                __m512 dj = _mm512_set1_ps(d * (float)scale), mj = _mm512_set1_ps(dmin * (float)min);
                for (int h = 0; h < 2; h++, y += 16) {
                    __m128i bytes = _mm_loadu_si128((const __m128i *)(qs + 32 * (j / 2) + 16 * h));
                    if (j & 1) bytes = _mm_srli_epi16(bytes, 4);
                    __m512i q = _mm512_cvtepu8_epi32(_mm_and_si128(bytes, _mm_set1_epi8(0x0F)));
                    if (five) {
                        __m128i bit = _mm_set1_epi8((char)(1 << j));
                        __mmask16 set = _mm_test_epi8_mask(_mm_loadu_si128((const __m128i *)(qh + 16 * h)), bit);
                        q = _mm512_mask_add_epi32(q, set, q, _mm512_set1_epi32(16));
                    }
                    _mm512_storeu_ps(y, _mm512_sub_ps(_mm512_mul_ps(dj, _mm512_cvtepi32_ps(q)), mj));
                }
            }
        }
        return 1;
    }
    case CK_TYPE_Q6_K:
        for (size_t i = 0; i < blocks; i++, p += sizeof(block_q6_K), y += QK_K) {
            const block_q6_K *b = (const block_q6_K *)p;
            float d = f16_to_f32(b->d);
            for (int n = 0; n < 2; n++) {
                for (int quarter = 0; quarter < 4; quarter++) {
                    for (int h = 0; h < 2; h++) {  // elements 128n + 32·quarter + 16h …, scale (…) / 16
                        int e = 128 * n + 32 * quarter + 16 * h;
                        __m128i low = _mm_loadu_si128((const __m128i *)(b->ql + 64 * n + 32 * (quarter & 1) + 16 * h));
                        __m128i high = _mm_loadu_si128((const __m128i *)(b->qh + 32 * n + 16 * h));
                        __m128i nibble = quarter < 2 ? _mm_and_si128(low, _mm_set1_epi8(0x0F))
                                                     : _mm_and_si128(_mm_srli_epi16(low, 4), _mm_set1_epi8(0x0F));
                        __m512i top = _mm512_and_si512(_mm512_srli_epi32(_mm512_cvtepu8_epi32(high), 2 * quarter),
                                                       _mm512_set1_epi32(3));
                        __m512i q = _mm512_sub_epi32(_mm512_or_si512(_mm512_cvtepu8_epi32(nibble), _mm512_slli_epi32(top, 4)),
                                                     _mm512_set1_epi32(32));
                        __m512 scale = _mm512_set1_ps(d * (float)b->scales[e / 16]);
                        _mm512_storeu_ps(y + e, _mm512_mul_ps(scale, _mm512_cvtepi32_ps(q)));
                    }
                }
            }
        }
        return 1;
    default: return 0;
    }
}
