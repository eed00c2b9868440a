#include "ckernels.h"
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

// BF16 × BF16 → F32 matrix product on AVX512-BF16 (`vdpbf16ps`: 16 lanes, each adding a pair of products).
//
// The weights stay in their stored nn.Linear layout [n, k]; 32 columns at a time are packed into a per-thread panel
// of k/2 pairs × 32 columns (two ZMM registers per pair), so the inner loop is one broadcast of an activation pair
// and two dot products per row, with 12 rows × 32 columns of F32 accumulators (24 registers) held across the whole
// of k. Packing reads each weight once per call; its cost is a few percent of the arithmetic once m ≥ 64.

enum { MR = 12, NR = 32 };
#ifndef KC
#define KC 512  // even, so every block starts on a BF16 pair
#endif

static _Thread_local uint32_t *panel_buffer;
static _Thread_local size_t panel_capacity;  // in uint32 pairs

static uint32_t *panel(size_t pairs) {
    size_t need = pairs * NR;
    if (need > panel_capacity) {
        free(panel_buffer);
        panel_buffer = aligned_alloc(64, ((need * 4 + 63) / 64) * 64);
        panel_capacity = panel_buffer ? need : 0;
    }
    return panel_buffer;
}

/// panel[p · 32 + c] = (w[c, 2p], w[c, 2p+1]) as one 32-bit pair; zero for c ≥ nr and for the missing half of an
/// odd k.
static void pack(const uint16_t *w, size_t ldw, size_t nr, size_t k, uint32_t *out) {
    size_t pairs = (k + 1) / 2, full = k / 2;
    if (nr < NR) memset(out, 0, pairs * NR * 4);
    for (size_t c = 0; c < nr; c++) {
        const uint16_t *row = w + c * ldw;
        uint32_t *dst = out + c;
        // Scalar on purpose: vectorised, this loop becomes scatter stores, which Zen 4 runs many times slower.
#pragma clang loop vectorize(disable)
        for (size_t p = 0; p < full; p++) {
            uint32_t pair;
            memcpy(&pair, row + 2 * p, 4);
            dst[p * NR] = pair;
        }
        if (full < pairs) dst[full * NR] = row[k - 1];  // low half = last element, high half = 0
    }
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"), always_inline))
static inline void tile(const int rows, const uint16_t *a, const uint16_t *a_low, size_t lda, const uint32_t *packed,
                        size_t pairs, float *y, size_t ldy, __mmask16 mask0, __mmask16 mask1, int accumulate) {
    __m512 c0[MR], c1[MR];
    for (int i = 0; i < rows; i++) {
        c0[i] = accumulate ? _mm512_maskz_loadu_ps(mask0, y + (size_t)i * ldy) : _mm512_setzero_ps();
        c1[i] = accumulate ? _mm512_maskz_loadu_ps(mask1, y + (size_t)i * ldy + 16) : _mm512_setzero_ps();
    }
    const uint16_t *arow[MR];
    for (int pass = 0; pass < (a_low ? 2 : 1); pass++) {
    for (int i = 0; i < rows; i++) arow[i] = (pass ? a_low : a) + (size_t)i * lda;
    for (size_t p = 0; p < pairs; p++) {
        __m512bh b0 = (__m512bh)_mm512_load_si512(packed + p * NR);
        __m512bh b1 = (__m512bh)_mm512_load_si512(packed + p * NR + 16);
        for (int i = 0; i < rows; i++) {
            int32_t pair;
            memcpy(&pair, arow[i] + 2 * p, 4);
            __m512bh av = (__m512bh)_mm512_set1_epi32(pair);
            c0[i] = _mm512_dpbf16_ps(c0[i], av, b0);
            c1[i] = _mm512_dpbf16_ps(c1[i], av, b1);
        }
    }
    }
    for (int i = 0; i < rows; i++) {
        _mm512_mask_storeu_ps(y + (size_t)i * ldy, mask0, c0[i]);
        _mm512_mask_storeu_ps(y + (size_t)i * ldy + 16, mask1, c1[i]);
    }
}

#define TILE_CASE(R)                                                                                          \
    case R:                                                                                                   \
        tile(R, a + i0 * lda + k0, a_low ? a_low + i0 * lda + k0 : NULL, lda, packed, pairs, y + i0 * ldy + j0, ldy, \
             mask0, mask1, k0 > 0);                                                                           \
        break;

__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))
void ck_gemm_bf16_avx512bf16(const uint16_t *a, const uint16_t *a_low, size_t lda, size_t m, const uint16_t *w,
                             size_t ldw, size_t n, size_t k, float *y, size_t ldy) {
    uint32_t *packed = panel((KC + 1) / 2);
    if (!packed) abort();  // out of memory for a few hundred KB: nothing sensible is left to do
    // k is walked in blocks of KC so that the activations of a block (m × KC) stay in L2 while every panel of
    // weights passes over them; the F32 accumulators are stored and reloaded between blocks.
    for (size_t k0 = 0; k0 < k; k0 += KC) {
        size_t kc = k - k0 < KC ? k - k0 : KC, pairs = (kc + 1) / 2;
        for (size_t j0 = 0; j0 < n; j0 += NR) {
            size_t nr = n - j0 < NR ? n - j0 : NR;
            pack(w + j0 * ldw + k0, ldw, nr, kc, packed);
            __mmask16 mask0 = nr >= 16 ? 0xffff : (__mmask16)((1u << nr) - 1);
            __mmask16 mask1 = nr >= 32 ? 0xffff : nr <= 16 ? 0 : (__mmask16)((1u << (nr - 16)) - 1);
            for (size_t i0 = 0; i0 < m; i0 += MR) {
                switch (m - i0 < MR ? m - i0 : MR) {
                    TILE_CASE(1) TILE_CASE(2) TILE_CASE(3) TILE_CASE(4) TILE_CASE(5) TILE_CASE(6)
                    TILE_CASE(7) TILE_CASE(8) TILE_CASE(9) TILE_CASE(10) TILE_CASE(11) TILE_CASE(12)
                }
            }
        }
    }
}
