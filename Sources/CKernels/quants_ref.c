#include "quants.h"
#include <math.h>

// The scalar reference of the GGUF block formats: dequantisers (llama.cpp's `dequantize_row_*`), the activation
// quantisers (`quantize_row_q8_{0,1,K}_ref`) and the dot products (`ggml_vec_dot_*_generic`). Every SIMD kernel is
// tested against these. Products are rounded one at a time, never fused: the dequantised values must equal
// llama.cpp's (and gguf-py's) bit for bit.
#pragma clang fp contract(off)

// MARK: dequantisation

static void dequantize_q4_0(const block_q4_0 *b, float *y, size_t blocks) {
    for (size_t i = 0; i < blocks; i++, y += QK) {
        float d = f16_to_f32(b[i].d);
        for (int j = 0; j < 16; j++) {
            y[j] = (float)((b[i].qs[j] & 0xF) - 8) * d;
            y[j + 16] = (float)((b[i].qs[j] >> 4) - 8) * d;
        }
    }
}

static void dequantize_q4_1(const block_q4_1 *b, float *y, size_t blocks) {
    for (size_t i = 0; i < blocks; i++, y += QK) {
        float d = f16_to_f32(b[i].d), m = f16_to_f32(b[i].m);
        for (int j = 0; j < 16; j++) {
            y[j] = (float)(b[i].qs[j] & 0xF) * d + m;
            y[j + 16] = (float)(b[i].qs[j] >> 4) * d + m;
        }
    }
}

static inline uint32_t load_u32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static void dequantize_q5_0(const block_q5_0 *b, float *y, size_t blocks) {
    for (size_t i = 0; i < blocks; i++, y += QK) {
        float d = f16_to_f32(b[i].d);
        uint32_t qh = load_u32(b[i].qh);
        for (int j = 0; j < 16; j++) {
            y[j] = (float)(((b[i].qs[j] & 0xF) | (int)((qh >> j) & 1) << 4) - 16) * d;
            y[j + 16] = (float)(((b[i].qs[j] >> 4) | (int)((qh >> (j + 16)) & 1) << 4) - 16) * d;
        }
    }
}

static void dequantize_q5_1(const block_q5_1 *b, float *y, size_t blocks) {
    for (size_t i = 0; i < blocks; i++, y += QK) {
        float d = f16_to_f32(b[i].d), m = f16_to_f32(b[i].m);
        uint32_t qh = load_u32(b[i].qh);
        for (int j = 0; j < 16; j++) {
            y[j] = (float)((b[i].qs[j] & 0xF) | (int)((qh >> j) & 1) << 4) * d + m;
            y[j + 16] = (float)((b[i].qs[j] >> 4) | (int)((qh >> (j + 16)) & 1) << 4) * d + m;
        }
    }
}

static void dequantize_q8_0(const block_q8_0 *b, float *y, size_t blocks) {
    for (size_t i = 0; i < blocks; i++, y += QK) {
        float d = f16_to_f32(b[i].d);
        for (int j = 0; j < QK; j++) y[j] = (float)b[i].qs[j] * d;
    }
}

static void dequantize_q8_1(const block_q8_1 *b, float *y, size_t blocks) {
    for (size_t i = 0; i < blocks; i++, y += QK) {
        float d = f16_to_f32(b[i].d);
        for (int j = 0; j < QK; j++) y[j] = (float)b[i].qs[j] * d;
    }
}

/// Q4_K and Q5_K (qh NULL for Q4_K): element 32j + l of a super-block is (d·scale_j)·q − dmin·min_j.
static void dequantize_k4(const uint8_t *block, size_t stride, int five, float *y, size_t blocks) {
    for (size_t i = 0; i < blocks; i++, block += stride) {
        const block_q4_K *b = (const block_q4_K *)block;  // d, dmin and scales sit alike in Q4_K and Q5_K
        const uint8_t *qh = five ? ((const block_q5_K *)block)->qh : NULL;
        const uint8_t *qs = five ? ((const block_q5_K *)block)->qs : b->qs;
        float d = f16_to_f32(b->d), dmin = f16_to_f32(b->dmin);
        for (int j = 0; j < 8; j++, y += 32) {
            int scale, min;
            scale_min_k4(j, b->scales, &scale, &min);
            float dj = d * (float)scale, mj = dmin * (float)min;
            const uint8_t *q = qs + 32 * (j / 2);
            for (int l = 0; l < 32; l++) {
                int v = (j & 1) ? q[l] >> 4 : q[l] & 0xF;
                if (qh) v |= ((qh[l] >> j) & 1) << 4;
                y[l] = dj * (float)v - mj;
            }
        }
    }
}

static inline int q6_value(const block_q6_K *b, int e) {
    int n = e / 128, r = e % 128, quarter = r / 32, l = r % 32;
    uint8_t low = b->ql[64 * n + 32 * (quarter & 1) + l];
    int nibble = quarter < 2 ? low & 0xF : low >> 4;
    return (nibble | ((b->qh[32 * n + l] >> (2 * quarter)) & 3) << 4) - 32;
}

static void dequantize_q6_K(const block_q6_K *b, float *y, size_t blocks) {
    for (size_t i = 0; i < blocks; i++, y += QK_K) {
        float d = f16_to_f32(b[i].d);
        for (int e = 0; e < QK_K; e++) y[e] = d * (float)b[i].scales[e / 16] * (float)q6_value(&b[i], e);
    }
}

static void dequantize_q8_K(const block_q8_K *b, float *y, size_t blocks) {
    for (size_t i = 0; i < blocks; i++, y += QK_K)
        for (int e = 0; e < QK_K; e++) y[e] = b[i].d * (float)b[i].qs[e];
}

void ck_dequantize_row(ck_type type, const void *src, float *dst, size_t count) {
    size_t blocks = ck_block_elements(type) ? count / ck_block_elements(type) : 0;
    switch (type) {
    case CK_TYPE_F32: memcpy(dst, src, count * 4); return;
    case CK_TYPE_F16: for (size_t i = 0; i < count; i++) dst[i] = f16_to_f32(((const uint16_t *)src)[i]); return;
    case CK_TYPE_BF16: for (size_t i = 0; i < count; i++) dst[i] = bf16_to_f32(((const uint16_t *)src)[i]); return;
    case CK_TYPE_Q4_0: dequantize_q4_0(src, dst, blocks); return;
    case CK_TYPE_Q4_1: dequantize_q4_1(src, dst, blocks); return;
    case CK_TYPE_Q5_0: dequantize_q5_0(src, dst, blocks); return;
    case CK_TYPE_Q5_1: dequantize_q5_1(src, dst, blocks); return;
    case CK_TYPE_Q8_0: dequantize_q8_0(src, dst, blocks); return;
    case CK_TYPE_Q8_1: dequantize_q8_1(src, dst, blocks); return;
    case CK_TYPE_Q4_K: dequantize_k4(src, sizeof(block_q4_K), 0, dst, blocks); return;
    case CK_TYPE_Q5_K: dequantize_k4(src, sizeof(block_q5_K), 1, dst, blocks); return;
    case CK_TYPE_Q6_K: dequantize_q6_K(src, dst, blocks); return;
    case CK_TYPE_Q8_K: dequantize_q8_K(src, dst, blocks); return;
    }
}

// MARK: activation quantisation

/// roundf: halves away from zero.
static void quantize_q8_0(const float *x, block_q8_0 *y, size_t blocks) {
    for (size_t i = 0; i < blocks; i++, x += QK) {
        float amax = 0;
        for (int j = 0; j < QK; j++) amax = fmaxf(amax, fabsf(x[j]));
        float d = amax / 127, id = d != 0 ? 1.0f / d : 0.0f;
        y[i].d = f32_to_f16(d);
        for (int j = 0; j < QK; j++) y[i].qs[j] = (int8_t)roundf(x[j] * id);
    }
}

static void quantize_q8_1(const float *x, block_q8_1 *y, size_t blocks) {
    for (size_t i = 0; i < blocks; i++, x += QK) {
        float amax = 0;
        for (int j = 0; j < QK; j++) amax = fmaxf(amax, fabsf(x[j]));
        float d = amax / 127, id = d != 0 ? 1.0f / d : 0.0f;
        int sum = 0;
        for (int j = 0; j < QK; j++) {
            y[i].qs[j] = (int8_t)roundf(x[j] * id);
            sum += y[i].qs[j];
        }
        y[i].d = f32_to_f16(d);
        y[i].s = f32_to_f16((float)sum * d);
    }
}

/// llama.cpp's nearest_int: round half to even through the F32 mantissa (|v| ≤ 2²²).
static inline int nearest_int(float v) {
    float shifted = v + 12582912.f;
    int32_t bits;
    memcpy(&bits, &shifted, 4);
    return (bits & 0x007fffff) - 0x00400000;
}

/// The scale is −127 over the element of largest magnitude (the first, on a tie), kept in F32.
static void quantize_q8_K(const float *x, block_q8_K *y, size_t blocks) {
    for (size_t i = 0; i < blocks; i++, x += QK_K) {
        float amax = 0, max = 0;
        for (int j = 0; j < QK_K; j++) {
            if (fabsf(x[j]) > amax) {
                amax = fabsf(x[j]);
                max = x[j];
            }
        }
        if (amax == 0) {
            memset(&y[i], 0, sizeof(block_q8_K));
            continue;
        }
        float iscale = -127.f / max;
        for (int j = 0; j < QK_K; j++) {
            int v = nearest_int(iscale * x[j]);
            y[i].qs[j] = (int8_t)(v < 127 ? v : 127);
        }
        for (int j = 0; j < 16; j++) {
            int sum = 0;
            for (int l = 0; l < 16; l++) sum += y[i].qs[16 * j + l];
            y[i].bsums[j] = (int16_t)sum;
        }
        y[i].d = 1 / iscale;
    }
}

void ck_quantize_row(ck_type type, const float *x, void *dst, size_t count, ck_path path) {
    if (path == CK_PATH_AVX512 || path == CK_PATH_AVX512BF16) {
        if (ck_quantize_row_avx512(type, x, dst, count)) return;
    } else if (path == CK_PATH_AVX2) {
        if (ck_quantize_row_avx2(type, x, dst, count)) return;
    }
    switch (type) {
    case CK_TYPE_Q8_0: quantize_q8_0(x, dst, count / QK); return;
    case CK_TYPE_Q8_1: quantize_q8_1(x, dst, count / QK); return;
    case CK_TYPE_Q8_K: quantize_q8_K(x, dst, count / QK_K); return;
    default: return;
    }
}

// MARK: dot products

static float dot_q4_0(const block_q4_0 *w, const block_q8_0 *x, size_t blocks) {
    float sum = 0;
    for (size_t i = 0; i < blocks; i++) {
        int isum = 0;
        for (int j = 0; j < 16; j++)
            isum += ((w[i].qs[j] & 0xF) - 8) * x[i].qs[j] + ((w[i].qs[j] >> 4) - 8) * x[i].qs[j + 16];
        sum += (float)isum * (f16_to_f32(w[i].d) * f16_to_f32(x[i].d));
    }
    return sum;
}

static float dot_q4_1(const block_q4_1 *w, const block_q8_1 *x, size_t blocks) {
    float sum = 0;
    for (size_t i = 0; i < blocks; i++) {
        int isum = 0;
        for (int j = 0; j < 16; j++) isum += (w[i].qs[j] & 0xF) * x[i].qs[j] + (w[i].qs[j] >> 4) * x[i].qs[j + 16];
        sum += (float)isum * (f16_to_f32(w[i].d) * f16_to_f32(x[i].d)) + f16_to_f32(w[i].m) * f16_to_f32(x[i].s);
    }
    return sum;
}

static float dot_q5_0(const block_q5_0 *w, const block_q8_0 *x, size_t blocks) {
    float sum = 0;
    for (size_t i = 0; i < blocks; i++) {
        uint32_t qh = load_u32(w[i].qh);
        int isum = 0;
        for (int j = 0; j < 16; j++) {
            isum += (((w[i].qs[j] & 0xF) | (int)((qh >> j) & 1) << 4) - 16) * x[i].qs[j];
            isum += (((w[i].qs[j] >> 4) | (int)((qh >> (j + 16)) & 1) << 4) - 16) * x[i].qs[j + 16];
        }
        sum += (float)isum * (f16_to_f32(w[i].d) * f16_to_f32(x[i].d));
    }
    return sum;
}

static float dot_q5_1(const block_q5_1 *w, const block_q8_1 *x, size_t blocks) {
    float sum = 0;
    for (size_t i = 0; i < blocks; i++) {
        uint32_t qh = load_u32(w[i].qh);
        int isum = 0;
        for (int j = 0; j < 16; j++) {
            isum += ((w[i].qs[j] & 0xF) | (int)((qh >> j) & 1) << 4) * x[i].qs[j];
            isum += ((w[i].qs[j] >> 4) | (int)((qh >> (j + 16)) & 1) << 4) * x[i].qs[j + 16];
        }
        sum += (float)isum * (f16_to_f32(w[i].d) * f16_to_f32(x[i].d)) + f16_to_f32(w[i].m) * f16_to_f32(x[i].s);
    }
    return sum;
}

static float dot_q8_0(const block_q8_0 *w, const block_q8_0 *x, size_t blocks) {
    float sum = 0;
    for (size_t i = 0; i < blocks; i++) {
        int isum = 0;
        for (int j = 0; j < QK; j++) isum += w[i].qs[j] * x[i].qs[j];
        sum += (float)isum * (f16_to_f32(w[i].d) * f16_to_f32(x[i].d));
    }
    return sum;
}

/// Q4_K and Q5_K: d·Σ_j scale_j·(q·x over block j) − dmin·Σ_j min_j·(Σx over block j), per super-block.
static float dot_k4(const uint8_t *block, size_t stride, int five, const block_q8_K *x, size_t blocks) {
    float sum = 0;
    for (size_t i = 0; i < blocks; i++, block += stride) {
        const block_q4_K *b = (const block_q4_K *)block;
        const uint8_t *qh = five ? ((const block_q5_K *)block)->qh : NULL;
        const uint8_t *qs = five ? ((const block_q5_K *)block)->qs : b->qs;
        int isum = 0, msum = 0;
        for (int j = 0; j < 8; j++) {
            int scale, min, dot = 0;
            scale_min_k4(j, b->scales, &scale, &min);
            for (int l = 0; l < 32; l++) {
                int v = (j & 1) ? qs[32 * (j / 2) + l] >> 4 : qs[32 * (j / 2) + l] & 0xF;
                if (qh) v |= ((qh[l] >> j) & 1) << 4;
                dot += v * x[i].qs[32 * j + l];
            }
            isum += scale * dot;
            msum += min * (x[i].bsums[2 * j] + x[i].bsums[2 * j + 1]);
        }
        sum += f16_to_f32(b->d) * x[i].d * (float)isum - f16_to_f32(b->dmin) * x[i].d * (float)msum;
    }
    return sum;
}

static float dot_q6_K(const block_q6_K *w, const block_q8_K *x, size_t blocks) {
    float sum = 0;
    for (size_t i = 0; i < blocks; i++) {
        int isum = 0;
        for (int j = 0; j < 16; j++) {
            int dot = 0;
            for (int l = 0; l < 16; l++) dot += q6_value(&w[i], 16 * j + l) * x[i].qs[16 * j + l];
            isum += w[i].scales[j] * dot;
        }
        sum += f16_to_f32(w[i].d) * x[i].d * (float)isum;
    }
    return sum;
}

float ck_vec_dot_ref(ck_type type, const void *w, const void *x, size_t k) {
    switch (type) {
    case CK_TYPE_Q4_0: return dot_q4_0(w, x, k / QK);
    case CK_TYPE_Q4_1: return dot_q4_1(w, x, k / QK);
    case CK_TYPE_Q5_0: return dot_q5_0(w, x, k / QK);
    case CK_TYPE_Q5_1: return dot_q5_1(w, x, k / QK);
    case CK_TYPE_Q8_0: return dot_q8_0(w, x, k / QK);
    case CK_TYPE_Q4_K: return dot_k4(w, sizeof(block_q4_K), 0, x, k / QK_K);
    case CK_TYPE_Q5_K: return dot_k4(w, sizeof(block_q5_K), 1, x, k / QK_K);
    case CK_TYPE_Q6_K: return dot_q6_K(w, x, k / QK_K);
    default: return NAN;
    }
}

float ck_vec_dot(ck_type type, const void *w_row, const void *x_quant, size_t k) {
    return ck_vec_dot_ref(type, w_row, x_quant, k);
}
