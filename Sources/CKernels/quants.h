// GGUF block layouts (llama.cpp's ggml-common.h) and the activation buffer the quantised GEMVs read; shared by the
// quants_*.c files, not part of the public header.
#ifndef FERRET_CKERNELS_QUANTS_H
#define FERRET_CKERNELS_QUANTS_H

#include "ckernels.h"
#include "elements.h"

enum { QK = 32, QK_K = 256 };

// Scales are F16 bit patterns. Every struct has 2-byte alignment (Q8_K: 4), so a row of blocks can be read in place
// from a GGUF file (tensor data is 32-byte aligned, block sizes are even).
typedef struct { uint16_t d; uint8_t qs[16]; } block_q4_0;                  // q = nibble: low nibbles are
typedef struct { uint16_t d, m; uint8_t qs[16]; } block_q4_1;               // elements 0-15, high ones 16-31
typedef struct { uint16_t d; uint8_t qh[4]; uint8_t qs[16]; } block_q5_0;   // bit j of qh = fifth bit of element j
typedef struct { uint16_t d, m; uint8_t qh[4]; uint8_t qs[16]; } block_q5_1;
typedef struct { uint16_t d; int8_t qs[32]; } block_q8_0;
typedef struct { uint16_t d, s; int8_t qs[32]; } block_q8_1;                // s = F16(d·Σqs), d unrounded
// K types: element 64j + l (l < 32) is the low nibble of qs[32j + l], element 64j + 32 + l its high nibble.
// scales holds eight 6-bit scales and eight 6-bit mins (see scale_min_k4).
typedef struct { uint16_t d, dmin; uint8_t scales[12]; uint8_t qs[128]; } block_q4_K;
typedef struct { uint16_t d, dmin; uint8_t scales[12]; uint8_t qh[32]; uint8_t qs[128]; } block_q5_K;  // bit j of
                                                                      // qh[l]: fifth bit of element 32j + l
// Q6_K: in each half n (128 elements), element l, 32 + l, 64 + l, 96 + l (l < 32) take the low nibble of ql[64n + l],
// of ql[64n + 32 + l], the high nibble of ql[64n + l], of ql[64n + 32 + l], and bits 0-1, 2-3, 4-5, 6-7 of
// qh[32n + l] as their top two bits; q − 32 times scales[e / 16].
typedef struct { uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; uint16_t d; } block_q6_K;
typedef struct { float d; int8_t qs[256]; int16_t bsums[16]; } block_q8_K;  // bsums: Σ of each 16 quants

_Static_assert(sizeof(block_q4_0) == 18, "q4_0");
_Static_assert(sizeof(block_q4_1) == 20, "q4_1");
_Static_assert(sizeof(block_q5_0) == 22, "q5_0");
_Static_assert(sizeof(block_q5_1) == 24, "q5_1");
_Static_assert(sizeof(block_q8_0) == 34, "q8_0");
_Static_assert(sizeof(block_q8_1) == 36, "q8_1");
_Static_assert(sizeof(block_q4_K) == 144, "q4_K");
_Static_assert(sizeof(block_q5_K) == 176, "q5_K");
_Static_assert(sizeof(block_q6_K) == 210, "q6_K");
_Static_assert(sizeof(block_q8_K) == 292, "q8_K");

/// Scale and min of 32-block j (0-7) of a Q4_K/Q5_K super-block: j < 4 in the low six bits of bytes j and j + 4;
/// j ≥ 4 in the nibbles of byte j + 4 with the top two bits of bytes j − 4 and j.
static inline void scale_min_k4(int j, const uint8_t *q, int *scale, int *min) {
    if (j < 4) {
        *scale = q[j] & 63;
        *min = q[j + 4] & 63;
    } else {
        *scale = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
        *min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

// MARK: activation buffer
//
// What ck_quantize_activations writes, each region 64-byte aligned, with kpad = k rounded up to 256 and the padding
// zero (so a kernel may run a last, partial group of blocks with the missing weights read as zeros):
//   Q8_0 (for q4_0, q5_0, q8_0): blocks; each block's scale as F32, also in QUAD and PACK order; the quants in element
//     order with −128·Σ of each 4 (q8_0); in split order with −8·Σ of each lane (q4_0; q5_0 doubles it).
//   Q8_1 (for q4_1, q5_1): blocks; scales and s as F32, also in QUAD and PACK order; split-order quants.
//   Q8_K (for the K types): blocks; the quants in element order and in K4 order.
// Split order, per four 32-blocks b0..b3 (128 quants): b0[0..15] b1[0..15] b2[0..15] b3[0..15] b0[16..31] … b3[16..31],
// the order a 4-bit row yields its low then its high nibbles. Lane i of a group (its 4 low and the 4 high quants at
// the same position) belongs to block i / 4.
// QUAD order, per four blocks: four lanes each (the lanes of a split group's sums, or of Q8_0's added pairwise).
// PACK order, per eight blocks: two lanes each, blocks 0 0 4 4 1 1 5 5 2 2 6 6 3 3 7 7 (the lanes of two split groups'
// sums packed to 16 bits and pair-summed).
// K4 order, per 128 quants: elements 0-31, 64-95, 32-63, 96-127, the order the low then the high nibbles of 64 bytes
// of Q4_K/Q5_K quants come in.
typedef struct {
    size_t k, kpad, blocks;             // blocks of the companion type
    const void *block;                  // ggml's layout (the scalar kernels read only this)
    const float *block_d;               // [kpad / 32] Q8_0/Q8_1: each block's scale widened
    const float *block_s;               // [kpad / 32] Q8_1: each block's s widened
    const int8_t *qs;                   // element order (Q8_0, Q8_K)
    const int32_t *lane_corr;           // [kpad / 4] Q8_0: −128·Σ of each lane's 4 quants
    const int8_t *split;                // split order (Q8_0, Q8_1)
    const int32_t *split_corr;          // [kpad / 8] Q8_0: −8·Σ of each split lane's 8 quants
    const float *quad_d, *quad_s;       // [kpad / 8] scales (Q8_0, Q8_1) and s (Q8_1) in QUAD order
    const float *pack_d, *pack_s;       // [kpad / 16] the same in PACK order
    const int8_t *k4;                   // K4 order (Q8_K)
    int gaps;                           // byte ranges [gap_from, gap_to) the quantiser does not write (padding)
    size_t gap_from[12], gap_to[12];
} ck_activations;

/// Block of each PACK-order lane in a group of eight.
static const int PACK_BLOCK[16] = {0, 0, 4, 4, 1, 1, 5, 5, 2, 2, 6, 6, 3, 3, 7, 7};

/// Where the regions of an activation buffer for `k` inputs of weights of `type` are; `total` gets its size.
ck_activations ck_activation_layout(ck_type weight_type, const void *buffer, size_t k, size_t *total);

// MARK: per-path pieces (quants_ref.c, quants_avx2.c, quants_avx512.c)

/// Scalar reference dot products of each weight type against its companion blocks.
float ck_vec_dot_ref(ck_type type, const void *w, const void *x, size_t k);

/// SIMD GEMVs: return 0 when they have no kernel for the type (the caller falls back to the scalar one).
int ck_gemv_quant_avx2(ck_type type, const uint8_t *w, size_t row_bytes, size_t rows, const ck_activations *x,
                       float *y);
int ck_gemv_quant_avx512_bw(ck_type type, const uint8_t *w, size_t row_bytes, size_t rows, const ck_activations *x,
                            float *y);
int ck_gemv_quant_avx512_vnni(ck_type type, const uint8_t *w, size_t row_bytes, size_t rows, const ck_activations *x,
                              float *y);

/// SIMD quantisers of F32 activations into Q8_0/Q8_1/Q8_K blocks, bit-identical to the reference; 0 when absent.
int ck_quantize_row_avx2(ck_type type, const float *x, void *dst, size_t count);
int ck_quantize_row_avx512(ck_type type, const float *x, void *dst, size_t count);
/// The extra regions of an activation buffer from its blocks (the gaps already zero); 0 when absent.
int ck_activation_extras_avx512(ck_type companion, const ck_activations *a);

/// SIMD dequantiser of `blocks` whole blocks to F32, bit-identical to the reference; 0 when absent.
int ck_dequantize_avx512(ck_type type, const void *src, float *dst, size_t blocks);

#endif
