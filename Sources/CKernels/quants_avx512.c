#include "quants.h"
#include <immintrin.h>

// AVX-512 kernels of the GGUF formats: the GEMVs twice (AVX-512 BW, and VNNI on the avx512bf16 path: every CPU
// with AVX512-BF16 has VNNI), the activation quantisers and the dequantisers.

// MARK: permute tables (vpermt2w indices: 0-31 pick a word of the first source, 32-63 of the second)

// Q4_0 (9 words a block): nibbles of blocks 0-3 from bytes 0-127
static const uint16_t Q4_0_N0[32] __attribute__((aligned(64))) = {
    1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17,
    19, 20, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31, 32, 33, 34, 35,
};
// nibbles of blocks 4-7 from bytes 64-127 and 80-143
static const uint16_t Q4_0_N1[32] __attribute__((aligned(64))) = {
    5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21,
    23, 24, 25, 26, 27, 28, 29, 30, 56, 57, 58, 59, 60, 61, 62, 63,
};
// d of blocks 0-7 in PACK order
static const uint16_t Q4_0_D[32] __attribute__((aligned(64))) = {
    0, 0, 36, 36, 9, 9, 45, 45, 18, 18, 54, 54, 27, 27, 63, 63,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
// Q4_1 (10 words a block): nibbles of blocks 0-3
static const uint16_t Q4_1_N0[32] __attribute__((aligned(64))) = {
    2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 17, 18, 19,
    22, 23, 24, 25, 26, 27, 28, 29, 32, 33, 34, 35, 36, 37, 38, 39,
};
// nibbles of blocks 4-7 from bytes 64-127 and 96-159
static const uint16_t Q4_1_N1[32] __attribute__((aligned(64))) = {
    10, 11, 12, 13, 14, 15, 16, 17, 20, 21, 22, 23, 24, 25, 26, 27,
    30, 31, 48, 49, 50, 51, 52, 53, 56, 57, 58, 59, 60, 61, 62, 63,
};
// d of blocks 0-6 in PACK order, then their m (even lanes kept); block 7 from the third load
static const uint16_t Q4_1_DM[32] __attribute__((aligned(64))) = {
    0, 0, 40, 40, 10, 10, 50, 50, 20, 20, 60, 60, 30, 30, 0, 0,
    1, 1, 41, 41, 11, 11, 51, 51, 21, 21, 61, 61, 31, 31, 0, 0,
};
// block 7's d and m in the third load (bytes 96-159)
static const uint16_t Q4_1_DM7[32] __attribute__((aligned(64))) = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 22, 22,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 23, 0,
};
// Q5_0 (11 words a block): nibbles of blocks 0-3
static const uint16_t Q5_0_N[32] __attribute__((aligned(64))) = {
    3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 19, 20, 21,
    25, 26, 27, 28, 29, 30, 31, 32, 36, 37, 38, 39, 40, 41, 42, 43,
};
// d of blocks 0-3, four lanes each; then qh bits 0-15 of each block, then bits 16-31
static const uint16_t Q5_0_DQ[32] __attribute__((aligned(64))) = {
    0, 0, 0, 0, 11, 11, 11, 11, 22, 22, 22, 22, 33, 33, 33, 33,
    1, 12, 23, 34, 2, 13, 24, 35, 0, 0, 0, 0, 0, 0, 0, 0,
};
// Q5_1 (12 words a block): nibbles of blocks 0-3
static const uint16_t Q5_1_N[32] __attribute__((aligned(64))) = {
    4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23,
    28, 29, 30, 31, 32, 33, 34, 35, 40, 41, 42, 43, 44, 45, 46, 47,
};
// d of blocks 0-3, then their m
static const uint16_t Q5_1_DM[32] __attribute__((aligned(64))) = {
    0, 0, 0, 0, 12, 12, 12, 12, 24, 24, 24, 24, 36, 36, 36, 36,
    1, 1, 1, 1, 13, 13, 13, 13, 25, 25, 25, 25, 37, 37, 37, 37,
};
// qh bits 0-15 of blocks 0-3, then bits 16-31
static const uint16_t Q5_1_QH[32] __attribute__((aligned(64))) = {
    2, 14, 26, 38, 3, 15, 27, 39, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
// Q4_K/Q5_K: the block (scale) of each pair sum of the four quant vectors (blocks 0|2, 1|3, 4|6, 5|7)
static const uint16_t K4_SCALES[128] __attribute__((aligned(64))) = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
};
// the same for the words packed from vectors 0 and 1, then 2 and 3 (four per block and vector)
static const uint16_t K4_PACKED_SCALES[128] __attribute__((aligned(64))) = {
    0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1,
    2, 2, 2, 2, 3, 3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 3,
    4, 4, 4, 4, 5, 5, 5, 5, 4, 4, 4, 4, 5, 5, 5, 5,
    6, 6, 6, 6, 7, 7, 7, 7, 6, 6, 6, 6, 7, 7, 7, 7,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
// Q5_K: the qh bit of each byte lane of the four quant vectors
static const uint16_t K5_BITS[128] __attribute__((aligned(64))) = {
    257, 257, 257, 257, 257, 257, 257, 257, 257, 257, 257, 257, 257, 257, 257, 257,
    1028, 1028, 1028, 1028, 1028, 1028, 1028, 1028, 1028, 1028, 1028, 1028, 1028, 1028, 1028, 1028,
    514, 514, 514, 514, 514, 514, 514, 514, 514, 514, 514, 514, 514, 514, 514, 514,
    2056, 2056, 2056, 2056, 2056, 2056, 2056, 2056, 2056, 2056, 2056, 2056, 2056, 2056, 2056, 2056,
    4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112, 4112,
    16448, 16448, 16448, 16448, 16448, 16448, 16448, 16448, 16448, 16448, 16448, 16448, 16448, 16448, 16448, 16448,
    8224, 8224, 8224, 8224, 8224, 8224, 8224, 8224, 8224, 8224, 8224, 8224, 8224, 8224, 8224, 8224,
    32896, 32896, 32896, 32896, 32896, 32896, 32896, 32896, 32896, 32896, 32896, 32896, 32896, 32896, 32896, 32896,
};
// Q6_K: qh shifts (left, then right) that bring a lane's two bits to bits 4-5
static const uint16_t Q6_SHIFTS[64] __attribute__((aligned(64))) = {
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};
// Q6_K: the scale (of 16) of each pair sum of the four quant vectors
static const uint16_t Q6_SCALES[128] __attribute__((aligned(64))) = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
    2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3,
    4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5,
    6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7,
    8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9,
    10, 10, 10, 10, 10, 10, 10, 10, 11, 11, 11, 11, 11, 11, 11, 11,
    12, 12, 12, 12, 12, 12, 12, 12, 13, 13, 13, 13, 13, 13, 13, 13,
    14, 14, 14, 14, 14, 14, 14, 14, 15, 15, 15, 15, 15, 15, 15, 15,
};
// the same for the words packed from vectors 0 and 1, then 2 and 3
static const uint16_t Q6_PACKED_SCALES[128] __attribute__((aligned(64))) = {
    0, 0, 0, 0, 4, 4, 4, 4, 1, 1, 1, 1, 5, 5, 5, 5,
    2, 2, 2, 2, 6, 6, 6, 6, 3, 3, 3, 3, 7, 7, 7, 7,
    8, 8, 8, 8, 12, 12, 12, 12, 9, 9, 9, 9, 13, 13, 13, 13,
    10, 10, 10, 10, 14, 14, 14, 14, 11, 11, 11, 11, 15, 15, 15, 15,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

// MARK: GEMV

// Rows per pass over x, taken far apart in the chunk (see ROWS in the body). Adjacent rows (x loaded once for two or
// four neighbours) streamed from memory at a third of the speed on Zen 4 (2 threads, 4608 × 1024: q8_0 33 → 10-19
// GB/s, q6_K 35 → 8-14), as the BF16 GEMV found; four rows a quarter of the chunk apart stream as well as one and
// share x: +5-30 % over one row at a time (q4_0 most, q4_K least), depending on the host's bandwidth at the moment.
#define ROWS_AT_ONCE 4

#define VARIANT _bw
#define VNNI 0
#define TARGET "avx512f,avx512bw,avx512vl"
#define DOT_U8S8(acc, u, s) _mm512_add_epi32(acc, _mm512_madd_epi16(_mm512_maddubs_epi16(u, s), _mm512_set1_epi16(1)))
#include "quants_avx512_body.h"
#undef VARIANT
#undef VNNI
#undef TARGET
#undef DOT_U8S8

#define VARIANT _vnni
#define VNNI 1
#define TARGET "avx512f,avx512bw,avx512vl,avx512vnni"
#define DOT_U8S8(acc, u, s) _mm512_dpbusd_epi32(acc, u, s)
#include "quants_avx512_body.h"
#undef VARIANT
#undef VNNI
#undef TARGET
#undef DOT_U8S8
