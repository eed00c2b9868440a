#include "quants.h"

// The type table of the GGUF formats and the dispatch of their kernels: one place maps (type, path) to the SIMD or
// the scalar function, as ggml-cpu's type traits do.

size_t ck_block_elements(ck_type type) {
    switch (type) {
    case CK_TYPE_F32: case CK_TYPE_F16: case CK_TYPE_BF16: return 1;
    case CK_TYPE_Q4_0: case CK_TYPE_Q4_1: case CK_TYPE_Q5_0: case CK_TYPE_Q5_1: case CK_TYPE_Q8_0: case CK_TYPE_Q8_1:
        return QK;
    case CK_TYPE_Q4_K: case CK_TYPE_Q5_K: case CK_TYPE_Q6_K: case CK_TYPE_Q8_K: return QK_K;
    }
    return 0;
}

size_t ck_block_bytes(ck_type type) {
    switch (type) {
    case CK_TYPE_F32: return 4;
    case CK_TYPE_F16: case CK_TYPE_BF16: return 2;
    case CK_TYPE_Q4_0: return sizeof(block_q4_0);
    case CK_TYPE_Q4_1: return sizeof(block_q4_1);
    case CK_TYPE_Q5_0: return sizeof(block_q5_0);
    case CK_TYPE_Q5_1: return sizeof(block_q5_1);
    case CK_TYPE_Q8_0: return sizeof(block_q8_0);
    case CK_TYPE_Q8_1: return sizeof(block_q8_1);
    case CK_TYPE_Q4_K: return sizeof(block_q4_K);
    case CK_TYPE_Q5_K: return sizeof(block_q5_K);
    case CK_TYPE_Q6_K: return sizeof(block_q6_K);
    case CK_TYPE_Q8_K: return sizeof(block_q8_K);
    }
    return 0;
}

ck_type ck_vec_dot_type(ck_type weight_type) {
    switch (weight_type) {
    case CK_TYPE_Q4_0: case CK_TYPE_Q5_0: case CK_TYPE_Q8_0: return CK_TYPE_Q8_0;
    case CK_TYPE_Q4_1: case CK_TYPE_Q5_1: return CK_TYPE_Q8_1;
    case CK_TYPE_Q4_K: case CK_TYPE_Q5_K: case CK_TYPE_Q6_K: return CK_TYPE_Q8_K;
    default: return weight_type;
    }
}

// MARK: activations

static size_t align64(size_t n) { return (n + 63) & ~(size_t)63; }

ck_activations ck_activation_layout(ck_type weight_type, const void *buffer, size_t k, size_t *total) {
    ck_type companion = ck_vec_dot_type(weight_type);
    const uint8_t *base = buffer;
    ck_activations a = {0};
    a.k = k;
    a.kpad = (k + QK_K - 1) / QK_K * QK_K;
    a.blocks = k / ck_block_elements(companion);
    a.block = base;
    size_t at = align64(a.blocks * ck_block_bytes(companion));
    a.gap_from[0] = a.blocks * ck_block_bytes(companion);
    a.gap_to[0] = at;
    a.gaps = 1;
    // Each region holds `count` entries of which the first `used` are written; the split order's last, partial
    // group of four blocks counts as unwritten.
#define REGION(field, type, count, used)                                                                          \
    do {                                                                                                          \
        a.field = (const type *)(base ? base + at : NULL);                                                         \
        a.gap_from[a.gaps] = at + (used) * sizeof(type);                                                          \
        at += align64((count) * sizeof(type));                                                                    \
        a.gap_to[a.gaps++] = at;                                                                                  \
    } while (0)
    size_t full_groups = a.blocks / 4, full_packs = a.blocks / 8;
    switch (companion) {
    case CK_TYPE_Q8_0:
        REGION(block_d, float, a.kpad / QK, a.blocks);
        REGION(quad_d, float, a.kpad / 8, full_groups * 16);
        REGION(qs, int8_t, a.kpad, k);
        REGION(lane_corr, int32_t, a.kpad / 4, k / 4);
        REGION(split, int8_t, a.kpad, full_groups * 128);
        REGION(split_corr, int32_t, a.kpad / 8, full_groups * 16);
        REGION(pack_d, float, a.kpad / 16, full_packs * 16);
        break;
    case CK_TYPE_Q8_1:
        REGION(block_d, float, a.kpad / QK, a.blocks);
        REGION(block_s, float, a.kpad / QK, a.blocks);
        REGION(quad_d, float, a.kpad / 8, full_groups * 16);
        REGION(quad_s, float, a.kpad / 8, full_groups * 16);
        REGION(split, int8_t, a.kpad, full_groups * 128);
        REGION(pack_d, float, a.kpad / 16, full_packs * 16);
        REGION(pack_s, float, a.kpad / 16, full_packs * 16);
        break;
    case CK_TYPE_Q8_K:
        REGION(qs, int8_t, a.kpad, k);
        REGION(k4, int8_t, a.kpad, k);
        break;
    default: break;
    }
#undef REGION
    if (total) *total = at;
    return a;
}

size_t ck_activation_bytes(ck_type weight_type, size_t k) {
    size_t total;
    ck_activation_layout(weight_type, NULL, k, &total);
    return total;
}

/// The extra regions, from the blocks (plain loops the compiler vectorises). The padding is already zero.
static void fill_extras(ck_type companion, ck_activations a) {
#define MUT(field, type) ((type *)(uintptr_t)a.field)
    size_t k = a.k;
    if (companion == CK_TYPE_Q8_K) {
        int8_t *qs = MUT(qs, int8_t), *k4 = MUT(k4, int8_t);
        const block_q8_K *b = a.block;
        for (size_t i = 0; i < a.blocks; i++) memcpy(qs + i * QK_K, b[i].qs, QK_K);
        for (size_t g = 0; g < k; g += 128) {
            memcpy(k4 + g, qs + g, 32);
            memcpy(k4 + g + 32, qs + g + 64, 32);
            memcpy(k4 + g + 64, qs + g + 32, 32);
            memcpy(k4 + g + 96, qs + g + 96, 32);
        }
        return;
    }
    // Q8_0 and Q8_1 start alike: d, (Q8_1: s,) 32 quants.
    const int one = companion == CK_TYPE_Q8_1;
    size_t stride = one ? sizeof(block_q8_1) : sizeof(block_q8_0), offset = one ? 4 : 2;
    const uint8_t *blocks = a.block;
    int8_t *split = MUT(split, int8_t);
    float *block_d = MUT(block_d, float), *pack_d = MUT(pack_d, float);
    for (size_t i = 0; i < a.blocks; i++) {
        const uint8_t *b = blocks + i * stride;
        uint16_t bits[2];
        memcpy(bits, b, 4);
        block_d[i] = f16_to_f32(bits[0]);
        if (one) MUT(block_s, float)[i] = f16_to_f32(bits[1]);
        size_t group = i / 4 * 128, slot = i % 4;
        memcpy(split + group + 16 * slot, b + offset, 16);
        memcpy(split + group + 64 + 16 * slot, b + offset + 16, 16);
    }
    for (size_t lane = 0; lane < (a.blocks + 7) / 8 * 16; lane++) {  // zero past the last block
        size_t block = lane / 16 * 8 + (size_t)PACK_BLOCK[lane % 16];
        pack_d[lane] = block_d[block];
        if (one) MUT(pack_s, float)[lane] = a.block_s[block];
    }
    for (size_t lane = 0; lane < (a.blocks + 3) / 4 * 16; lane++) {
        MUT(quad_d, float)[lane] = block_d[lane / 4];
        if (one) MUT(quad_s, float)[lane] = a.block_s[lane / 4];
    }
    if (one) return;
    int8_t *qs = MUT(qs, int8_t);
    int32_t *lane_corr = MUT(lane_corr, int32_t), *split_corr = MUT(split_corr, int32_t);
    for (size_t i = 0; i < a.blocks; i++) memcpy(qs + i * QK, blocks + i * stride + offset, QK);
    for (size_t lane = 0; lane < k / 4; lane++) {
        lane_corr[lane] = -128 * (qs[4 * lane] + qs[4 * lane + 1] + qs[4 * lane + 2] + qs[4 * lane + 3]);
    }
    for (size_t lane = 0; lane < (k + 127) / 128 * 16; lane++) {
        const int8_t *low = split + (lane / 16) * 128 + (lane % 16) * 4, *high = low + 64;
        split_corr[lane] = -8 * (low[0] + low[1] + low[2] + low[3] + high[0] + high[1] + high[2] + high[3]);
    }
#undef MUT
}

void ck_quantize_activations(ck_type weight_type, const float *x, size_t k, void *dst, ck_path path) {
    ck_type companion = ck_vec_dot_type(weight_type);
    ck_activations a = ck_activation_layout(weight_type, dst, k, NULL);
    for (int i = 0; i < a.gaps; i++) memset((uint8_t *)dst + a.gap_from[i], 0, a.gap_to[i] - a.gap_from[i]);
    ck_quantize_row(companion, x, dst, k, path);
    if ((path == CK_PATH_AVX512 || path == CK_PATH_AVX512BF16) && ck_activation_extras_avx512(companion, &a)) return;
    fill_extras(companion, a);
}

// MARK: GEMV

void ck_gemv_quant(ck_type type, const void *w, size_t row_bytes, size_t rows, size_t k, const void *x_act, float *y,
                   ck_path path) {
    ck_activations x = ck_activation_layout(type, x_act, k, NULL);
    int done = 0;
    switch (path) {
    case CK_PATH_AVX512BF16: done = ck_gemv_quant_avx512_vnni(type, w, row_bytes, rows, &x, y); break;
    case CK_PATH_AVX512: done = ck_gemv_quant_avx512_bw(type, w, row_bytes, rows, &x, y); break;
    case CK_PATH_AVX2: done = ck_gemv_quant_avx2(type, w, row_bytes, rows, &x, y); break;
    case CK_PATH_SCALAR: break;
    }
    if (done) return;
    for (size_t r = 0; r < rows; r++) y[r] = ck_vec_dot_ref(type, (const uint8_t *)w + r * row_bytes, x.block, k);
}

// MARK: dequantisation on a path

void ck_dequantize(ck_type type, const void *src, float *dst, size_t count, ck_path path) {
    switch (type) {
    case CK_TYPE_F32: memcpy(dst, src, count * 4); return;
    case CK_TYPE_F16: ck_f16_to_f32(src, dst, count, path); return;
    case CK_TYPE_BF16: ck_bf16_to_f32(src, dst, count, path); return;
    default: break;
    }
    size_t blocks = count / ck_block_elements(type);
    if ((path == CK_PATH_AVX512 || path == CK_PATH_AVX512BF16) && ck_dequantize_avx512(type, src, dst, blocks)) return;
    ck_dequantize_row(type, src, dst, count);
}

void ck_dequantize_bf16(ck_type type, const void *src, uint16_t *dst, size_t count, ck_path path) {
    // Through F32 in pieces of whole blocks that stay in L1.
    size_t per = ck_block_elements(type), bytes = ck_block_bytes(type);
    float buffer[1024];
    size_t step = 1024 / per * per;
    for (size_t i = 0; i < count; i += step) {
        size_t n = count - i < step ? count - i : step;
        ck_dequantize(type, (const uint8_t *)src + i / per * bytes, buffer, n, path);
        ck_f32_to_bf16(buffer, dst + i, n, path);
    }
}
