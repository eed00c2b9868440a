#include "quants.h"
#include <immintrin.h>

int ck_gemv_quant_avx512(ck_type type, const uint8_t *w, size_t row_bytes, size_t rows, const ck_activations *x,
                         float *y) {
    (void)type; (void)w; (void)row_bytes; (void)rows; (void)x; (void)y;
    return 0;
}
int ck_gemv_quant_avx512vnni(ck_type type, const uint8_t *w, size_t row_bytes, size_t rows, const ck_activations *x,
                             float *y) {
    (void)type; (void)w; (void)row_bytes; (void)rows; (void)x; (void)y;
    return 0;
}
int ck_quantize_row_avx512(ck_type type, const float *x, void *dst, size_t count) {
    (void)type; (void)x; (void)dst; (void)count;
    return 0;
}
int ck_dequantize_avx512(ck_type type, const void *src, void *dst, size_t blocks, int bf16) {
    (void)type; (void)src; (void)dst; (void)blocks; (void)bf16;
    return 0;
}
