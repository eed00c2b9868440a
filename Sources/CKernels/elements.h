// Scalar element conversions shared by the kernels (not part of the public header).
#ifndef FERRET_CKERNELS_ELEMENTS_H
#define FERRET_CKERNELS_ELEMENTS_H

#include <stdint.h>
#include <string.h>

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

/// F32 → F16, round to nearest even (subnormals kept, overflow to ±inf, NaN stays NaN), as F16C's `vcvtps2ph` and
/// ggml's `GGML_FP32_TO_FP16`.
static inline uint16_t f32_to_f16(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    uint16_t sign = (uint16_t)((u >> 16) & 0x8000);
    uint32_t a = u & 0x7fffffffu;
    if (a > 0x7f800000u) return sign | 0x7e00;              // NaN
    if (a >= 0x477ff000u) return sign | 0x7c00;             // ≥ 65520 rounds to infinity
    if (a >= 0x38800000u) {                                 // a normal F16 (≥ 2⁻¹⁴): rebias, round at bit 13
        a += 0xfffu + ((a >> 13) & 1);
        return sign | (uint16_t)((a - 0x38000000u) >> 13);
    }
    if (a <= 0x33000000u) return sign;                      // at most half the smallest subnormal (2⁻²⁵): zero
    uint32_t exponent = a >> 23, mantissa = (a & 0x7fffffu) | 0x800000u;
    uint32_t shift = 126 - exponent;                        // value / 2⁻²⁴ = mantissa >> shift (14 ... 24)
    uint32_t q = mantissa >> shift, rest = mantissa & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rest > half || (rest == half && (q & 1))) q++;
    return sign | (uint16_t)q;
}

#endif
