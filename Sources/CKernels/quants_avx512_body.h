// The AVX-512 GEMVs over GGUF blocks, written once and compiled twice by quants_avx512.c: VARIANT _bw with
// AVX-512 BW integer dot products (vpmaddubsw + vpmaddwd), VARIANT _vnni with VNNI (vpdpbusd, vpdpwssd).
// Not a standalone header: quants_avx512.c defines VARIANT, VNNI, TARGET and DOT_U8S8 before each inclusion.
//
// Each kernel walks R weight rows (`row_bytes` apart; ROWS_AT_ONCE, see quants_avx512.c) a group of blocks at a time,
// x loaded once for them, entirely in registers: the scales of a group are gathered from the blocks with one vpermt2w into the lanes their products
// land in, integer sums per block are exact, and only their conversion to F32 and the scale multiply round.

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define FN(name) CAT(name, VARIANT)
#define KERNEL static inline __attribute__((target(TARGET), always_inline))

KERNEL __m512i FN(table)(const uint16_t *index) { return _mm512_loadu_si512(index); }

/// 32 F16 words → two F32 vectors (words 0-15, 16-31).
KERNEL void FN(widen_halves)(__m512i words, __m512 *low, __m512 *high) {
    *low = _mm512_cvtph_ps(_mm512_castsi512_si256(words));
    *high = _mm512_cvtph_ps(_mm512_extracti64x4_epi64(words, 1));
}

KERNEL void FN(store_sums)(const int R, const __m512 *acc, float *y) {
    for (int r = 0; r < R; r++) y[r] = _mm512_reduce_add_ps(acc[r]);
}

/// Runs STEP over whole groups of GROUP blocks of R rows, then over the last, partial group copied into a zeroed
/// buffer (its missing blocks read as scale 0, so they add nothing, and no load passes the end of a row).
#define RUN_GROUPS(GROUP, BLOCK_BYTES, LOAD_X, ...)                                                              \
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
            uint8_t tail[256] __attribute__((aligned(64))) = {0};                                                 \
            memcpy(tail, w + r * row_bytes + b * (BLOCK_BYTES), (x->blocks - b) * (BLOCK_BYTES));                 \
            const uint8_t *p = tail;                                                                              \
            __VA_ARGS__;                                                                                          \
        }                                                                                                         \
    }

// MARK: Q8_0: four blocks (136 bytes) per step, two per vector; x in element order

KERNEL void FN(q8_0_rows)(const int R, const uint8_t *w, size_t row_bytes, const ck_activations *x, float *y) {
    // Eight lanes of sums a block, added pairwise across the two vectors (vpermt2d) into four: one F32 vector of
    // work for four blocks, with the scales in QUAD order.
    const __m512i d_index = _mm512_set_epi32(0, 0, 0, 0, 0, 0, 0, 0, 0x00030003, 0x00030003, 0x00020002, 0x00020002,
                                             0x00010001, 0x00010001, 0, 0);  // word b of four into lanes 4b … 4b+3
    const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i odd = _mm512_set_epi32(31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
    __m512 acc[4];
    for (int r = 0; r < R; r++) acc[r] = _mm512_setzero_ps();
    __m512i x0, x1, c0, c1;
    __m512 xd;
#if VNNI
    // Σ(w + 128)·x − 128·Σx: vpdpbusd wants its first operand unsigned, so the weights are flipped to w + 128
    // and the accumulator starts at −128·Σx.
    const __m512i flip = _mm512_set1_epi8((char)0x80);
#define Q8_0_CORRECTION                                                                                           \
    c0 = _mm512_load_si512(x->lane_corr + b * 8);                                                                \
    c1 = _mm512_load_si512(x->lane_corr + b * 8 + 16);
#define Q8_0_DOT(W, X, C) DOT_U8S8(C, _mm512_xor_si512(W, flip), X)
#else
    // |w|·(x with w's sign): vpmaddubsw wants its first operand unsigned; |−128| = 128 still fits a byte.
#define Q8_0_CORRECTION c0 = c1 = _mm512_setzero_si512();
#define Q8_0_DOT(W, X, C)                                                                                         \
    DOT_U8S8(C, _mm512_abs_epi8(W), _mm512_mask_sub_epi8(X, _mm512_movepi8_mask(W), _mm512_setzero_si512(), X))
#endif
    RUN_GROUPS(4, sizeof(block_q8_0),
        x0 = _mm512_load_si512(x->qs + b * QK);
        x1 = _mm512_load_si512(x->qs + b * QK + 64);
        xd = _mm512_load_ps(x->quad_d + b * 4);
        Q8_0_CORRECTION,
        __m512i w0 = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)(p + 2))),
                                        _mm256_loadu_si256((const __m256i *)(p + 36)), 1);
        __m512i w1 = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)(p + 70))),
                                        _mm256_loadu_si256((const __m256i *)(p + 104)), 1);
        __m512i s0 = Q8_0_DOT(w0, x0, c0), s1 = Q8_0_DOT(w1, x1, c1);
        __m512i s = _mm512_add_epi32(_mm512_permutex2var_epi32(s0, even, s1), _mm512_permutex2var_epi32(s0, odd, s1));
        uint16_t d0, d1, d2, d3;  // four scalar loads: two 64-byte loads for them streamed ~8 % slower
        memcpy(&d0, p, 2);
        memcpy(&d1, p + 34, 2);
        memcpy(&d2, p + 68, 2);
        memcpy(&d3, p + 102, 2);
        __m128i dw = _mm_setr_epi16((short)d0, (short)d1, (short)d2, (short)d3, 0, 0, 0, 0);
        __m512 d = _mm512_cvtph_ps(_mm512_castsi512_si256(_mm512_permutexvar_epi16(d_index, _mm512_castsi128_si512(dw))));
        acc[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_mul_ps(d, xd), acc[r]);)
#undef Q8_0_CORRECTION
#undef Q8_0_DOT
    FN(store_sums)(R, acc, y);
}

// MARK: Q4_0 and Q4_1: eight blocks (144 or 160 bytes) per step; x in split order

KERNEL void FN(q4_rows)(const int R, const int one, const uint8_t *w, size_t row_bytes, const ck_activations *x,
                        float *y) {
    // Q4_0 words: d at 9b, nibbles at 9b+1 … 9b+8; Q4_1: d at 10b, m at 10b+1, nibbles at 10b+2 … 10b+9.
    // Three loads cover the group (bytes 0-63, 64-127 and 80-143 or 96-159): vpermt2w picks from two at a time.
    // The two vectors of sums (four lanes a block) are packed to 16 bits and pair-summed into one (two lanes a
    // block, in PACK order: blocks 0 0 4 4 1 1 5 5 …), which halves the F32 work.
    const size_t size = one ? sizeof(block_q4_1) : sizeof(block_q4_0), third = one ? 96 : 80;
    const __m512i n0_index = FN(table)(one ? Q4_1_N0 : Q4_0_N0), n1_index = FN(table)(one ? Q4_1_N1 : Q4_0_N1);
    const __m512i d_index = FN(table)(one ? Q4_1_DM : Q4_0_D), d7_index = FN(table)(Q4_1_DM7);
    const __m512i low = _mm512_set1_epi8(0x0F), ones = _mm512_set1_epi16(1);
    __m512 acc[4];
    for (int r = 0; r < R; r++) acc[r] = _mm512_setzero_ps();
    __m512i xl0, xh0, xl1, xh1, c0, c1;
    __m512 xd, xs;
    RUN_GROUPS(8, size,
        xl0 = _mm512_load_si512(x->split + b * QK);
        xh0 = _mm512_load_si512(x->split + b * QK + 64);
        xl1 = _mm512_load_si512(x->split + b * QK + 128);
        xh1 = _mm512_load_si512(x->split + b * QK + 192);
        xd = _mm512_load_ps(x->pack_d + b * 2);
        if (one) {  // Q8_1's s (d·Σq) meets the block's min
            xs = _mm512_load_ps(x->pack_s + b * 2);
            c0 = c1 = _mm512_setzero_si512();
        } else {    // Σ(q − 8)·x = Σq·x − 8·Σx: the accumulator starts at −8·Σx
            xs = _mm512_setzero_ps();
            c0 = _mm512_load_si512(x->split_corr + b * 4);
            c1 = _mm512_load_si512(x->split_corr + b * 4 + 16);
        },
        __m512i l0 = _mm512_loadu_si512(p), l1 = _mm512_loadu_si512(p + 64), l2 = _mm512_loadu_si512(p + third);
        __m512i n0 = _mm512_permutex2var_epi16(l0, n0_index, l1);  // blocks 0-3
        __m512i n1 = _mm512_permutex2var_epi16(l1, n1_index, l2);  // blocks 4-7
        __m512i s0 = DOT_U8S8(DOT_U8S8(c0, _mm512_and_si512(n0, low), xl0), _mm512_and_si512(_mm512_srli_epi16(n0, 4), low), xh0);
        __m512i s1 = DOT_U8S8(DOT_U8S8(c1, _mm512_and_si512(n1, low), xl1), _mm512_and_si512(_mm512_srli_epi16(n1, 4), low), xh1);
        __m512i s = _mm512_madd_epi16(_mm512_packs_epi32(s0, s1), ones);  // |8-sums| ≤ 8·15·127: 16 bits hold them
        __m512i dm;
        if (one) {  // d in both lanes of a block, m in the first; block 7's words are only in the third load
            dm = _mm512_maskz_permutex2var_epi16(0x5555FFFFu, l0, d_index, l1);
            dm = _mm512_mask_permutexvar_epi16(dm, 0x4000C000u, d7_index, l2);
            acc[r] = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm512_extracti64x4_epi64(dm, 1)), xs, acc[r]);
        } else {
            dm = _mm512_permutex2var_epi16(l0, d_index, l1);
        }
        __m512 d = _mm512_cvtph_ps(_mm512_castsi512_si256(dm));
        acc[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_mul_ps(d, xd), acc[r]);)
    FN(store_sums)(R, acc, y);
}

// MARK: Q5_0 and Q5_1: four blocks (88 or 96 bytes) per step; x in split order; the fifth bits become byte masks

KERNEL void FN(q5_rows)(const int R, const int one, const uint8_t *w, size_t row_bytes, const ck_activations *x,
                        float *y) {
    // Q5_0 words: d at 11b, qh at 11b+1 (elements 0-15) and 11b+2 (16-31), nibbles at 11b+3 …; Q5_1: d 12b, m 12b+1,
    // qh 12b+2 and 12b+3, nibbles 12b+4 …. The second load is masked to the group (it would pass the row's end).
    const size_t size = one ? sizeof(block_q5_1) : sizeof(block_q5_0);
    const __mmask64 second = one ? 0xFFFFFFFFull : 0xFFFFFFull;
    const __m512i n_index = FN(table)(one ? Q5_1_N : Q5_0_N), d_index = FN(table)(one ? Q5_1_DM : Q5_0_DQ);
    const __m512i h_index = FN(table)(Q5_1_QH);
    const __mmask32 leaders = one ? 0x1111FFFFu : 0xFFFFFFFFu;
    const __m512i low = _mm512_set1_epi8(0x0F), sixteen = _mm512_set1_epi8(0x10);
    __m512 acc[4];
    for (int r = 0; r < R; r++) acc[r] = _mm512_setzero_ps();
    __m512i xl, xh, c;
    __m512 xd, xs;
    RUN_GROUPS(4, size,
        xl = _mm512_load_si512(x->split + b * QK);
        xh = _mm512_load_si512(x->split + b * QK + 64);
        xd = _mm512_load_ps(x->quad_d + b * 4);
        if (one) {
            xs = _mm512_load_ps(x->quad_s + b * 4);
            c = _mm512_setzero_si512();
        } else {  // Σ(q − 16)·x
            xs = _mm512_setzero_ps();
            c = _mm512_slli_epi32(_mm512_load_si512(x->split_corr + b * 4), 1);
        },
        __m512i l0 = _mm512_loadu_si512(p), l1 = _mm512_maskz_loadu_epi8(second, p + 64);
        __m512i n = _mm512_permutex2var_epi16(l0, n_index, l1);
        __m512i dq = _mm512_maskz_permutex2var_epi16(leaders, l0, d_index, l1);
        // Q5_0: the qh words ride in the upper half of dq; Q5_1: the mins do, and qh takes a third permute.
        __m128i qh = one ? _mm512_castsi512_si128(_mm512_permutex2var_epi16(l0, h_index, l1))
                         : _mm512_extracti32x4_epi32(dq, 2);
        __m512i ql = _mm512_and_si512(n, low), qu = _mm512_and_si512(_mm512_srli_epi16(n, 4), low);
        ql = _mm512_mask_add_epi8(ql, _cvtu64_mask64((uint64_t)_mm_cvtsi128_si64(qh)), ql, sixteen);
        qu = _mm512_mask_add_epi8(qu, _cvtu64_mask64((uint64_t)_mm_extract_epi64(qh, 1)), qu, sixteen);
        __m512 d, m;
        FN(widen_halves)(dq, &d, &m);
        acc[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(DOT_U8S8(DOT_U8S8(c, ql, xl), qu, xh)), _mm512_mul_ps(d, xd), acc[r]);
        if (one) acc[r] = _mm512_fmadd_ps(m, xs, acc[r]);)
    FN(store_sums)(R, acc, y);
}

// MARK: K types

/// Σ over four vectors of quants (unsigned, < 64) times x of scale·(q·x summed over each run of 16 (Q6_K) or 32
/// (Q4_K, Q5_K) elements). VNNI: vpdpbusd to 4-sums (|·| ≤ 4·63·127, so 16 bits hold them), packed to words and
/// multiplied by their scale and pair-summed with vpdpwssd: six dot products for 256 weights. BW: vpmaddubsw to
/// 2-sums and vpmaddwd with the scales. `sc_index` spreads the word scales in `scales` over the lanes they apply to.
KERNEL __m512i FN(scaled_sums)(const __m512i *q, const __m512i *xv, const __m512i *sc_index, __m512i scales) {
#if VNNI
    __m512i z[4];
    for (int j = 0; j < 4; j++) z[j] = _mm512_dpbusd_epi32(_mm512_setzero_si512(), q[j], xv[j]);
    __m512i sum = _mm512_dpwssd_epi32(_mm512_setzero_si512(), _mm512_packs_epi32(z[0], z[1]),
                                      _mm512_permutexvar_epi16(sc_index[0], scales));
    return _mm512_dpwssd_epi32(sum, _mm512_packs_epi32(z[2], z[3]), _mm512_permutexvar_epi16(sc_index[1], scales));
#else
    __m512i sum = _mm512_setzero_si512();
    for (int j = 0; j < 4; j++)
        sum = _mm512_add_epi32(sum, _mm512_madd_epi16(_mm512_maddubs_epi16(q[j], xv[j]),
                                                      _mm512_permutexvar_epi16(sc_index[j], scales)));
    return sum;
#endif
}

// MARK: Q4_K and Q5_K: one super-block (256 weights) per step; x in K4 order

/// Eight 6-bit scales (bytes 0-7) and mins (bytes 8-15) of a Q4_K/Q5_K super-block, from the 12 packed bytes at
/// `packed` (16 are read; the super-block continues). With u0, u1, u2 its 32-bit words: scales 0-3 = u0 & 0x3f…,
/// mins 0-3 = u1 & 0x3f…, scales 4-7 = (u2 & 0x0f…) | top two bits of u0's bytes << 4, mins 4-7 = (u2 >> 4 & 0x0f…)
/// | top two bits of u1's bytes << 4.
KERNEL __m128i FN(k4_scales)(const uint8_t *packed) {
    __m128i v = _mm_loadu_si128((const __m128i *)packed);
    __m128i words = _mm_srlv_epi32(_mm_shuffle_epi32(v, _MM_SHUFFLE(2, 1, 2, 0)), _mm_set_epi32(4, 0, 0, 0));
    __m128i tops = _mm_srli_epi32(_mm_shuffle_epi32(v, _MM_SHUFFLE(1, 1, 0, 0)), 2);  // (byte >> 6) << 4 = (byte >> 2) & 0x30
    return _mm_or_si128(_mm_and_si128(words, _mm_set_epi32(0x0f0f0f0f, 0x3f3f3f3f, 0x0f0f0f0f, 0x3f3f3f3f)),
                        _mm_and_si128(tops, _mm_set_epi32(0x30303030, 0, 0x30303030, 0)));
}

KERNEL void FN(k4_rows)(const int R, const int five, const uint8_t *w, size_t row_bytes, const ck_activations *x,
                        float *y) {
    // 64 bytes of quants hold blocks 2j (low nibbles) and 2j+1 (high) for two j: the low nibbles of bytes 0-63
    // are blocks 0 and 2, which is why x comes in K4 order. The mins meet Q8_K's sums of 16 (each min twice).
    const size_t size = five ? sizeof(block_q5_K) : sizeof(block_q4_K), qs_at = five ? 48 : 16;
    const block_q8_K *xb = x->block;
    const __m512i low = _mm512_set1_epi8(0x0F), sixteen = _mm512_set1_epi8(0x10);
    const uint16_t *sc_table = VNNI ? K4_PACKED_SCALES : K4_SCALES;
    const __m512i sc_index[4] = {FN(table)(sc_table), FN(table)(sc_table + 32), FN(table)(sc_table + 64),
                                 FN(table)(sc_table + 96)};
    const __m512i bits[4] = {FN(table)(K5_BITS), FN(table)(K5_BITS + 32), FN(table)(K5_BITS + 64), FN(table)(K5_BITS + 96)};
    __m512 acc[4];
    __m256 acc_min[4];
    for (int r = 0; r < R; r++) acc[r] = _mm512_setzero_ps(), acc_min[r] = _mm256_setzero_ps();
    for (size_t i = 0; i < x->blocks; i++) {
        const int8_t *xq = x->k4 + i * QK_K;
        const __m512i xv[4] = {_mm512_load_si512(xq), _mm512_load_si512(xq + 64), _mm512_load_si512(xq + 128),
                               _mm512_load_si512(xq + 192)};
        const __m256i bsums = _mm256_loadu_si256((const __m256i *)xb[i].bsums);
        const __m128 xd = _mm_set1_ps(xb[i].d);
        for (int r = 0; r < R; r++) {
            const uint8_t *p = w + r * row_bytes + i * size;
            uint32_t dd;
            memcpy(&dd, p, 4);
            __m128 scale = _mm_mul_ps(_mm_cvtph_ps(_mm_cvtsi32_si128((int)dd)), xd);  // d·dx, dmin·dx
            __m128i packed = FN(k4_scales)(p + 4);
            __m512i sc16 = _mm512_cvtepu8_epi16(_mm256_zextsi128_si256(packed));
            __m256i mins = _mm256_cvtepu8_epi16(_mm_unpackhi_epi8(packed, packed));  // each min twice: per 16 sums
            __m512i q0 = _mm512_loadu_si512(p + qs_at), q1 = _mm512_loadu_si512(p + qs_at + 64);
            __m512i q[4] = {_mm512_and_si512(q0, low), _mm512_and_si512(_mm512_srli_epi16(q0, 4), low),
                            _mm512_and_si512(q1, low), _mm512_and_si512(_mm512_srli_epi16(q1, 4), low)};
            if (five) {  // bit j of qh[l] is the fifth bit of block j's element l
                __m512i qh = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(p + 16)));
                for (int j = 0; j < 4; j++)
                    q[j] = _mm512_mask_add_epi8(q[j], _mm512_test_epi8_mask(qh, bits[j]), q[j], sixteen);
            }
            __m512i sum = FN(scaled_sums)(q, xv, sc_index, sc16);
            acc[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum), _mm512_broadcastss_ps(scale), acc[r]);
            acc_min[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_madd_epi16(bsums, mins)),
                                         _mm256_broadcastss_ps(_mm_movehdup_ps(scale)), acc_min[r]);
        }
    }
    for (int r = 0; r < R; r++) y[r] = _mm512_reduce_add_ps(_mm512_sub_ps(acc[r], _mm512_zextps256_ps512(acc_min[r])));
}

// MARK: Q6_K: one super-block (256 weights) per step; x in element order

KERNEL void FN(q6_K_rows)(const int R, const uint8_t *w, size_t row_bytes, const ck_activations *x, float *y) {
    // 64 bytes of ql give elements 0-63 (low nibbles) and 64-127 (high) of a half in order; qh (32 bytes per half,
    // duplicated into both 256-bit lanes) is shifted per lane so its two bits land on bits 4-5, and vpternlogd
    // merges: (ql & 0x0F) | bits. q is 0-63 here; the −32 is 32·Σ scale·bsum, taken off at the end.
    const block_q8_K *xb = x->block;
    const __m512i low = _mm512_set1_epi8(0x0F), top = _mm512_set1_epi8(0x30);
    const __m512i up = FN(table)(Q6_SHIFTS), down = FN(table)(Q6_SHIFTS + 32);
    const uint16_t *sc_table = VNNI ? Q6_PACKED_SCALES : Q6_SCALES;
    const __m512i sc_index[4] = {FN(table)(sc_table), FN(table)(sc_table + 32), FN(table)(sc_table + 64),
                                 FN(table)(sc_table + 96)};
    __m512 acc[4];
    for (int r = 0; r < R; r++) acc[r] = _mm512_setzero_ps();
    for (size_t i = 0; i < x->blocks; i++) {
        const int8_t *xq = x->qs + i * QK_K;
        const __m512i xv[4] = {_mm512_load_si512(xq), _mm512_load_si512(xq + 64), _mm512_load_si512(xq + 128),
                               _mm512_load_si512(xq + 192)};
        const __m256i bsums = _mm256_loadu_si256((const __m256i *)xb[i].bsums);
        const float xd = xb[i].d;
        for (int r = 0; r < R; r++) {
            const uint8_t *p = w + r * row_bytes + i * sizeof(block_q6_K);
            __m512i q[4];
            for (int half = 0; half < 2; half++) {
                __m512i ql = _mm512_loadu_si512(p + 64 * half);
                __m512i qh = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(p + 128 + 32 * half)));
                q[2 * half] = _mm512_ternarylogic_epi32(ql, _mm512_and_si512(_mm512_sllv_epi16(qh, up), top), low, 0xEC);
                q[2 * half + 1] = _mm512_ternarylogic_epi32(_mm512_srli_epi16(ql, 4),
                                                            _mm512_and_si512(_mm512_srlv_epi16(qh, down), top), low, 0xEC);
            }
            __m256i sc16 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(p + 192)));
            __m512i scales = _mm512_zextsi256_si512(sc16);
            __m512i sum = FN(scaled_sums)(q, xv, sc_index, scales);
            __m256i offset = _mm256_slli_epi32(_mm256_madd_epi16(bsums, sc16), 5);
            sum = _mm512_sub_epi32(sum, _mm512_zextsi256_si512(offset));
            uint16_t d;
            memcpy(&d, p + 208, 2);
            float scale = _mm_cvtss_f32(_mm_cvtph_ps(_mm_cvtsi32_si128(d))) * xd;
            acc[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum), _mm512_set1_ps(scale), acc[r]);
        }
    }
    FN(store_sums)(R, acc, y);
}

#undef RUN_GROUPS

// MARK: dispatch

/// ROWS_AT_ONCE rows per pass over x, each from its own quarter of the chunk (rows r, r + band, r + 2·band, …: four
/// streams far apart; adjacent rows streamed at a third of the speed), then the rows left over one at a time.
#define ROWS(CALL)                                                                                                \
    {                                                                                                             \
        size_t band = rows / ROWS_AT_ONCE, r = 0;                                                                 \
        for (; band > 0 && r < band; r++) {                                                                       \
            float sums[ROWS_AT_ONCE];                                                                             \
            const uint8_t *w_r = w + r * row_bytes;                                                               \
            float *y_r = sums;                                                                                    \
            const size_t stride = band * row_bytes;                                                               \
            const int R = ROWS_AT_ONCE;                                                                           \
            CALL;                                                                                                 \
            for (int q = 0; q < ROWS_AT_ONCE; q++) y[r + q * band] = sums[q];                                     \
        }                                                                                                         \
        for (r = band * ROWS_AT_ONCE; r < rows; r++) {                                                            \
            const uint8_t *w_r = w + r * row_bytes;                                                               \
            float *y_r = y + r;                                                                                   \
            const size_t stride = row_bytes;                                                                      \
            const int R = 1;                                                                                      \
            CALL;                                                                                                 \
        }                                                                                                         \
        return 1;                                                                                                 \
    }

__attribute__((target(TARGET)))
int FN(ck_gemv_quant_avx512)(ck_type type, const uint8_t *w, size_t row_bytes, size_t rows, const ck_activations *x,
                             float *y) {
    switch (type) {
    case CK_TYPE_Q8_0: ROWS(FN(q8_0_rows)(R, w_r, stride, x, y_r))
    case CK_TYPE_Q4_0: ROWS(FN(q4_rows)(R, 0, w_r, stride, x, y_r))
    case CK_TYPE_Q4_1: ROWS(FN(q4_rows)(R, 1, w_r, stride, x, y_r))
    case CK_TYPE_Q5_0: ROWS(FN(q5_rows)(R, 0, w_r, stride, x, y_r))
    case CK_TYPE_Q5_1: ROWS(FN(q5_rows)(R, 1, w_r, stride, x, y_r))
    case CK_TYPE_Q4_K: ROWS(FN(k4_rows)(R, 0, w_r, stride, x, y_r))
    case CK_TYPE_Q5_K: ROWS(FN(k4_rows)(R, 1, w_r, stride, x, y_r))
    case CK_TYPE_Q6_K: ROWS(FN(q6_K_rows)(R, w_r, stride, x, y_r))
    default: return 0;
    }
}

#undef ROWS
#undef KERNEL
#undef FN
#undef CAT
#undef CAT_
