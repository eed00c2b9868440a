#include "quants.h"
#include <immintrin.h>

// AVX2 kernels of the GGUF formats (CPUs without AVX-512): GEMVs with vpmaddubsw (unsigned × signed bytes to
// 16-bit pair sums) and vpmaddwd, one or two blocks per 256-bit vector, and the activation quantisers.

#define AVX2 __attribute__((target("avx2,fma,f16c")))
#define KERNEL static inline __attribute__((target("avx2,fma,f16c"), always_inline))

KERNEL float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
}

KERNEL float half(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _mm_cvtss_f32(_mm_cvtph_ps(_mm_cvtsi32_si128(h)));
}

/// 32 bits → 32 bytes, 0x10 where the bit is set (the fifth bit of Q5 quants).
KERNEL __m256i bits_to_sixteens(uint32_t bits) {
    const __m256i spread = _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0);
    const __m256i select = _mm256_set1_epi64x((long long)0x8040201008040201ull);
    __m256i bytes = _mm256_shuffle_epi8(_mm256_set1_epi32((int)bits), spread);
    return _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(bytes, select), select), _mm256_set1_epi8(0x10));
}

/// Σ of 4 adjacent unsigned × signed byte products per 32-bit lane (no 16-bit overflow: |2-sums| ≤ 2·255·127).
KERNEL __m256i dot4(__m256i u, __m256i s) { return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1)); }

/// Runs STEP for whole groups of GROUP blocks of R rows, then for the last, partial group copied into a zeroed
/// buffer (the missing blocks read as scale 0).
#define RUN_GROUPS(GROUP, BLOCK_BYTES, LOAD_X, ...)                                                               \
    size_t b = 0;                                                                                                 \
    for (; b + (GROUP) <= x->blocks; b += (GROUP)) {                                                             \
        LOAD_X;                                                                                                   \
        for (int r = 0; r < R; r++) {                                                                             \
            const uint8_t *p = w + r * row_bytes + b * (BLOCK_BYTES);                                             \
            __VA_ARGS__;                                                                                          \
        }                                                                                                         \
    }                                                                                                             \
    if (b < x->blocks) {                                                                                          \
        LOAD_X;                                                                                                   \
        for (int r = 0; r < R; r++) {                                                                             \
            uint8_t tail[64] __attribute__((aligned(32))) = {0};                                                  \
            memcpy(tail, w + r * row_bytes + b * (BLOCK_BYTES), (x->blocks - b) * (BLOCK_BYTES));                 \
            const uint8_t *p = tail;                                                                              \
            __VA_ARGS__;                                                                                          \
        }                                                                                                         \
    }

// MARK: Q8_0: a block per step

KERNEL void q8_0_rows(const int R, const uint8_t *w, size_t row_bytes, const ck_activations *x, float *y) {
    __m256 acc[4];
    for (int r = 0; r < R; r++) acc[r] = _mm256_setzero_ps();
    __m256i xv;
    float xd;
    RUN_GROUPS(1, sizeof(block_q8_0),
        xv = _mm256_load_si256((const __m256i *)(x->qs + b * QK));
        xd = x->block_d[b],
        // |w|·(x with w's sign): vpmaddubsw wants its first operand unsigned.
        __m256i q = _mm256_loadu_si256((const __m256i *)(p + 2));
        __m256i s = dot4(_mm256_sign_epi8(q, q), _mm256_sign_epi8(xv, q));
        acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_set1_ps(half(p) * xd), acc[r]);)
    for (int r = 0; r < R; r++) y[r] = hsum(acc[r]);
}

// MARK: Q4_0, Q4_1, Q5_0, Q5_1: two blocks per step; x in split order

KERNEL void q4_q5_rows(const int R, ck_type type, const uint8_t *w, size_t row_bytes, const ck_activations *x,
                       float *y) {
    const int one = type == CK_TYPE_Q4_1 || type == CK_TYPE_Q5_1, five = type == CK_TYPE_Q5_0 || type == CK_TYPE_Q5_1;
    const size_t size = ck_block_bytes(type), qs_at = (one ? 4 : 2) + (five ? 4 : 0);
    const __m256i low = _mm256_set1_epi8(0x0F);
    __m256 acc[4];
    float mins[4] = {0};
    for (int r = 0; r < R; r++) acc[r] = _mm256_setzero_ps();
    __m256i xl, xh, c;
    float xd0, xd1, xs0, xs1;
    RUN_GROUPS(2, size,
        // blocks b, b+1 sit in the same half of a four-block split group
        const int8_t *xq = x->split + (b / 4) * 128 + (b % 4) * 16;
        xl = _mm256_load_si256((const __m256i *)xq);
        xh = _mm256_load_si256((const __m256i *)(xq + 64));
        xd0 = x->block_d[b];
        xd1 = x->block_d[b + 1];
        xs0 = one ? x->block_s[b] : 0;
        xs1 = one ? x->block_s[b + 1] : 0;
        // Σ(q − 8)·x or Σ(q − 16)·x: the sums start at −8·Σx (or twice that)
        c = one ? _mm256_setzero_si256()
                : _mm256_slli_epi32(_mm256_loadu_si256((const __m256i *)(x->split_corr + (b / 4) * 16 + (b % 4) * 4)),
                                    five ? 1 : 0),
        __m256i n = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(p + qs_at))),
                                            _mm_loadu_si128((const __m128i *)(p + size + qs_at)), 1);
        __m256i ql = _mm256_and_si256(n, low), qu = _mm256_and_si256(_mm256_srli_epi16(n, 4), low);
        if (five) {  // bits 0-15 of each block's qh go to its low nibbles, 16-31 to its high ones
            uint32_t h0, h1;
            memcpy(&h0, p + (one ? 4 : 2), 4);
            memcpy(&h1, p + size + (one ? 4 : 2), 4);
            ql = _mm256_or_si256(ql, bits_to_sixteens((h0 & 0xFFFF) | h1 << 16));
            qu = _mm256_or_si256(qu, bits_to_sixteens(h0 >> 16 | (h1 & 0xFFFF0000u)));
        }
        __m256i s = _mm256_add_epi32(c, _mm256_madd_epi16(_mm256_add_epi16(_mm256_maddubs_epi16(ql, xl),
                                                                          _mm256_maddubs_epi16(qu, xh)),
                                                         _mm256_set1_epi16(1)));
        float d0 = half(p) * xd0, d1 = half(p + size) * xd1;
        acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_setr_ps(d0, d0, d0, d0, d1, d1, d1, d1), acc[r]);
        if (one) mins[r] += half(p + 2) * xs0 + half(p + size + 2) * xs1;)
    for (int r = 0; r < R; r++) y[r] = hsum(acc[r]) + mins[r];
}

// MARK: K types: one super-block per step, 32 quants per vector

/// Eight 6-bit scales (bytes 0-7) and mins (bytes 8-15) of a Q4_K/Q5_K super-block (see quants_avx512_body.h).
KERNEL __m128i k4_scales(const uint8_t *packed) {
    __m128i v = _mm_loadu_si128((const __m128i *)packed);
    __m128i words = _mm_srlv_epi32(_mm_shuffle_epi32(v, _MM_SHUFFLE(2, 1, 2, 0)), _mm_set_epi32(4, 0, 0, 0));
    __m128i tops = _mm_srli_epi32(_mm_shuffle_epi32(v, _MM_SHUFFLE(1, 1, 0, 0)), 2);
    return _mm_or_si128(_mm_and_si128(words, _mm_set_epi32(0x0f0f0f0f, 0x3f3f3f3f, 0x0f0f0f0f, 0x3f3f3f3f)),
                        _mm_and_si128(tops, _mm_set_epi32(0x30303030, 0, 0x30303030, 0)));
}

/// Word j of `scales` (16-bit) in every word of a 256-bit vector.
KERNEL __m256i word(__m256i scales, int j) {
    return _mm256_shuffle_epi8(scales, _mm256_set1_epi16((short)(0x0100 + 0x0202 * (j & 7))));
}

KERNEL void k_rows(const int R, ck_type type, const uint8_t *w, size_t row_bytes, const ck_activations *x,
                   float *y) {
    const block_q8_K *xb = x->block;
    const size_t size = ck_block_bytes(type);
    const __m256i low = _mm256_set1_epi8(0x0F), three = _mm256_set1_epi8(3);
    __m256 acc[4];
    for (int r = 0; r < R; r++) acc[r] = _mm256_setzero_ps();
    for (size_t i = 0; i < x->blocks; i++) {
        const int8_t *xq = x->qs + i * QK_K;
        __m256i bsums = _mm256_loadu_si256((const __m256i *)xb[i].bsums);
        for (int r = 0; r < R; r++) {
            const uint8_t *p = w + r * row_bytes + i * size;
            __m256i sum = _mm256_setzero_si256();
            float d, dmin = 0;
            if (type == CK_TYPE_Q6_K) {
                // scales per 16 quants; q is 0-63 here and −32·Σ scale·bsum is taken off at the end
                __m128i sc = _mm_loadu_si128((const __m128i *)(p + 192));
                __m256i sc16 = _mm256_cvtepi8_epi16(sc);
                __m256i low_scales = _mm256_permute2x128_si256(sc16, sc16, 0x00);
                __m256i high_scales = _mm256_permute2x128_si256(sc16, sc16, 0x11);
                for (int half_n = 0; half_n < 2; half_n++) {
                    __m256i ql0 = _mm256_loadu_si256((const __m256i *)(p + 64 * half_n));
                    __m256i ql1 = _mm256_loadu_si256((const __m256i *)(p + 64 * half_n + 32));
                    __m256i qh = _mm256_loadu_si256((const __m256i *)(p + 128 + 32 * half_n));
                    __m256i q[4] = {
                        _mm256_or_si256(_mm256_and_si256(ql0, low), _mm256_slli_epi16(_mm256_and_si256(qh, three), 4)),
                        _mm256_or_si256(_mm256_and_si256(ql1, low),
                                        _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2), three), 4)),
                        _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low),
                                        _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 4), three), 4)),
                        _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), low),
                                        _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 6), three), 4)),
                    };
                    for (int j = 0; j < 4; j++) {  // elements 128·half + 32j …: scales 8·half + 2j, + 2j + 1
                        int s0 = 8 * half_n + 2 * j;
                        __m256i scales = s0 < 8 ? low_scales : high_scales;
                        __m256i pair = _mm256_blend_epi32(word(scales, s0), word(scales, s0 + 1), 0xF0);
                        __m256i p16 = _mm256_maddubs_epi16(q[j], _mm256_load_si256((const __m256i *)(xq + 128 * half_n + 32 * j)));
                        sum = _mm256_add_epi32(sum, _mm256_madd_epi16(p16, pair));
                    }
                }
                sum = _mm256_sub_epi32(sum, _mm256_slli_epi32(_mm256_madd_epi16(bsums, sc16), 5));
                d = half(p + 208) * xb[i].d;
            } else {
                const int five = type == CK_TYPE_Q5_K;
                __m128i packed = k4_scales(p + 4);
                __m256i sc16 = _mm256_cvtepu8_epi16(packed);  // scales in words 0-7, mins in 8-15
                __m256i scales = _mm256_permute2x128_si256(sc16, sc16, 0x00);
                __m256i mins = _mm256_cvtepu8_epi16(_mm_unpackhi_epi8(packed, packed));
                const uint8_t *qs = p + (five ? 48 : 16);
                __m256i qh = five ? _mm256_loadu_si256((const __m256i *)(p + 16)) : _mm256_setzero_si256();
                for (int j = 0; j < 4; j++) {  // 32 bytes: block 2j in the low nibbles, 2j + 1 in the high ones
                    __m256i bytes = _mm256_loadu_si256((const __m256i *)(qs + 32 * j));
                    __m256i q0 = _mm256_and_si256(bytes, low), q1 = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), low);
                    if (five) {
                        __m256i b0 = _mm256_set1_epi8((char)(1 << (2 * j))), b1 = _mm256_set1_epi8((char)(1 << (2 * j + 1)));
                        q0 = _mm256_or_si256(q0, _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(qh, b0), b0), _mm256_set1_epi8(0x10)));
                        q1 = _mm256_or_si256(q1, _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(qh, b1), b1), _mm256_set1_epi8(0x10)));
                    }
                    __m256i p0 = _mm256_maddubs_epi16(q0, _mm256_load_si256((const __m256i *)(xq + 64 * j)));
                    __m256i p1 = _mm256_maddubs_epi16(q1, _mm256_load_si256((const __m256i *)(xq + 64 * j + 32)));
                    sum = _mm256_add_epi32(sum, _mm256_add_epi32(_mm256_madd_epi16(p0, word(scales, 2 * j)),
                                                                 _mm256_madd_epi16(p1, word(scales, 2 * j + 1))));
                }
                __m256i m = _mm256_madd_epi16(bsums, mins);  // each min twice: one per 16 sums
                d = half(p) * xb[i].d;
                dmin = half(p + 2) * xb[i].d;
                acc[r] = _mm256_fnmadd_ps(_mm256_cvtepi32_ps(m), _mm256_set1_ps(dmin), acc[r]);
            }
            acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum), _mm256_set1_ps(d), acc[r]);
        }
    }
    for (int r = 0; r < R; r++) y[r] = hsum(acc[r]);
}

#undef RUN_GROUPS

// MARK: dispatch

// N rows per pass over x, each from its own 1/N of the chunk, as in quants_avx512.c (adjacent rows streamed at a third
// of the speed on Zen 4). Four for the 32-blocks (+11 % q8_0, +22 % q4_0 from memory); one for the K types, where
// four cost 7 % (sixteen vector registers do not hold four rows' state).
#define ROWS(N, CALL)                                                                                             \
    {                                                                                                             \
        size_t band = rows / (N), r = 0;                                                                          \
        for (; band > 0 && r < band; r++) {                                                                       \
            float sums[N];                                                                                        \
            const uint8_t *w_r = w + r * row_bytes;                                                               \
            float *y_r = sums;                                                                                    \
            const size_t stride = band * row_bytes;                                                               \
            const int R = (N);                                                                                    \
            CALL;                                                                                                 \
            for (int q = 0; q < (N); q++) y[r + q * band] = sums[q];                                              \
        }                                                                                                         \
        for (r = band * (N); r < rows; r++) {                                                                     \
            const uint8_t *w_r = w + r * row_bytes;                                                               \
            float *y_r = y + r;                                                                                   \
            const size_t stride = row_bytes;                                                                      \
            const int R = 1;                                                                                      \
            CALL;                                                                                                 \
        }                                                                                                         \
        return 1;                                                                                                 \
    }

AVX2 int ck_gemv_quant_avx2(ck_type type, const uint8_t *w, size_t row_bytes, size_t rows, const ck_activations *x,
                            float *y) {
    switch (type) {
    case CK_TYPE_Q8_0: ROWS(4, q8_0_rows(R, w_r, stride, x, y_r))
    case CK_TYPE_Q4_0: ROWS(4, q4_q5_rows(R, CK_TYPE_Q4_0, w_r, stride, x, y_r))
    case CK_TYPE_Q4_1: ROWS(4, q4_q5_rows(R, CK_TYPE_Q4_1, w_r, stride, x, y_r))
    case CK_TYPE_Q5_0: ROWS(4, q4_q5_rows(R, CK_TYPE_Q5_0, w_r, stride, x, y_r))
    case CK_TYPE_Q5_1: ROWS(4, q4_q5_rows(R, CK_TYPE_Q5_1, w_r, stride, x, y_r))
    case CK_TYPE_Q4_K: ROWS(1, k_rows(R, CK_TYPE_Q4_K, w_r, stride, x, y_r))
    case CK_TYPE_Q5_K: ROWS(1, k_rows(R, CK_TYPE_Q5_K, w_r, stride, x, y_r))
    case CK_TYPE_Q6_K: ROWS(1, k_rows(R, CK_TYPE_Q6_K, w_r, stride, x, y_r))
    default: return 0;
    }
}

#undef ROWS
