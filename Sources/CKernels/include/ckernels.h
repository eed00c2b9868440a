// Ferret's SIMD kernels: CPU feature detection, a sleeping thread pool, precision conversions, matrix-vector
// products over stored-precision weights (BF16, F16 and GGUF's quantised blocks; decode) and the AVX512-BF16 matrix
// product (prefill and encoding).
// Every kernel has a portable scalar version; the tests compare each path the CPU supports against it.
#ifndef FERRET_CKERNELS_H
#define FERRET_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: CPU features (CPUID, with the OS's XSAVE support checked through XGETBV)

enum {
    CK_CPU_AVX2 = 1u << 0,
    CK_CPU_FMA = 1u << 1,
    CK_CPU_F16C = 1u << 2,
    CK_CPU_AVX512F = 1u << 3,
    CK_CPU_AVX512BW = 1u << 4,
    CK_CPU_AVX512VL = 1u << 5,
    CK_CPU_AVX512BF16 = 1u << 6,
    CK_CPU_AVX512VNNI = 1u << 7,
    CK_CPU_AMX_BF16 = 1u << 8,
    CK_CPU_AVX512FP16 = 1u << 9,
};

/// Bitmask of CK_CPU_* the processor and the OS both support.
uint32_t ck_cpu_features(void);
/// The processor's brand string (CPUID 0x80000002..4) into `out` (at least 49 bytes).
void ck_cpu_brand(char *out);

// MARK: kernel paths

/// Which instruction set a kernel call uses. The caller checks `ck_cpu_features` before asking for a path.
typedef enum {
    CK_PATH_SCALAR = 0,      // portable C
    CK_PATH_AVX2 = 1,        // AVX2 + FMA + F16C
    CK_PATH_AVX512 = 2,      // AVX-512 F/BW/VL
    CK_PATH_AVX512BF16 = 3,  // AVX-512 with BF16 dot products (Zen 4, Cooper Lake, Sapphire Rapids)
} ck_path;

// MARK: conversions

/// BF16 → F32 (exact).
void ck_bf16_to_f32(const uint16_t *src, float *dst, size_t count, ck_path path);
/// F16 → F32 (exact).
void ck_f16_to_f32(const uint16_t *src, float *dst, size_t count, ck_path path);
/// F32 → BF16, round to nearest even (NaN stays NaN), as PyTorch's `tensor.to(torch.bfloat16)`.
void ck_f32_to_bf16(const float *src, uint16_t *dst, size_t count, ck_path path);

// MARK: matrix-vector products for decode: y[r] = Σ_k W[r·ldw + k] · x[k], r < rows. Each weight byte is read once.

void ck_gemv_bf16(const uint16_t *w, size_t ldw, size_t rows, size_t k, const float *x, float *y, ck_path path);
void ck_gemv_f16(const uint16_t *w, size_t ldw, size_t rows, size_t k, const float *x, float *y, ck_path path);

// MARK: BF16 matrix product (AVX512-BF16 only)

/// y[i·ldy + j] = Σ_k a[i·lda + k] · w[j·ldw + k] for i < m, j < n, accumulated in F32.
/// `a` is BF16 with an even row length `lda ≥ k` whose padding (k ..< lda) is zero; `w` is the stored
/// `[n, k]` weight (nn.Linear layout), packed on the fly into a per-thread buffer. When `a_low` is not NULL it holds
/// the rounding remainders of `a` (x ≈ a + a_low, about 16 significant bits) and is accumulated too: twice the
/// arithmetic, for products whose input precision matters.
void ck_gemm_bf16_avx512bf16(const uint16_t *a, const uint16_t *a_low, size_t lda, size_t m, const uint16_t *w,
                             size_t ldw, size_t n, size_t k, float *y, size_t ldy);
/// The rounding remainder of F32 → BF16: low[i] = bf16(src[i] − f32(high[i])).
void ck_bf16_remainder(const float *src, const uint16_t *high, uint16_t *low, size_t count);

// MARK: GGUF quantised weights (llama.cpp's block formats)

/// Storage types, numbered as ggml's `ggml_type` (the ids a GGUF file stores).
typedef enum {
    CK_TYPE_F32 = 0,
    CK_TYPE_F16 = 1,
    CK_TYPE_Q4_0 = 2,   // 32 weights in 18 bytes: w = d·(q − 8)
    CK_TYPE_Q4_1 = 3,   // 32 in 20: w = d·q + m
    CK_TYPE_Q5_0 = 6,   // 32 in 22: w = d·(q − 16), the fifth bits in a 32-bit mask
    CK_TYPE_Q5_1 = 7,   // 32 in 24: w = d·q + m
    CK_TYPE_Q8_0 = 8,   // 32 in 34: w = d·q
    CK_TYPE_Q8_1 = 9,   // activations only: Q8_0 plus s = d·Σq
    CK_TYPE_Q4_K = 12,  // 256 in 144: eight 32-blocks with 6-bit scales and mins
    CK_TYPE_Q5_K = 13,  // 256 in 176
    CK_TYPE_Q6_K = 14,  // 256 in 210: sixteen 16-blocks with 8-bit scales
    CK_TYPE_Q8_K = 15,  // activations only: 256 in 292, F32 scale and sums of 16
    CK_TYPE_BF16 = 30,
} ck_type;

/// Elements per block (1 for F32/F16/BF16); 0 for a type Ferret does not know.
size_t ck_block_elements(ck_type type);
/// Bytes per block (the element size for F32/F16/BF16); 0 for an unknown type.
size_t ck_block_bytes(ck_type type);
/// The activation type a weight type's dot products use (ggml-cpu's `vec_dot_type`): Q8_0 for Q4_0, Q5_0 and Q8_0,
/// Q8_1 for Q4_1 and Q5_1, Q8_K for the K types.
ck_type ck_vec_dot_type(ck_type weight_type);

/// `count` elements (a multiple of the block) of `type` blocks at `src` widened to F32, exactly as llama.cpp's
/// `dequantize_row_*` (scalar reference; also F32, F16, BF16 and the activation types Q8_1 and Q8_K).
void ck_dequantize_row(ck_type type, const void *src, float *dst, size_t count);
/// The same values on `path`'s SIMD code (bit-identical to `ck_dequantize_row`).
void ck_dequantize(ck_type type, const void *src, float *dst, size_t count, ck_path path);
/// The same values rounded to BF16 (nearest even), for the BF16 matrix product.
void ck_dequantize_bf16(ck_type type, const void *src, uint16_t *dst, size_t count, ck_path path);

/// `count` activations (a multiple of the block) into `type` blocks (Q8_0, Q8_1 or Q8_K), exactly as llama.cpp's
/// `quantize_row_q8_*_ref`; every path writes the same bytes.
void ck_quantize_row(ck_type type, const float *x, void *dst, size_t count, ck_path path);
/// Scalar reference dot product of one weight row of `type` with `k` activations quantised to its `ck_vec_dot_type`
/// (as ggml-cpu's `ggml_vec_dot_*_generic`: exact integer sums per block, F32 across blocks).
float ck_vec_dot(ck_type type, const void *w_row, const void *x_quant, size_t k);

/// Bytes `ck_quantize_activations` writes for `k` inputs of products with `weight_type` weights (any path).
size_t ck_activation_bytes(ck_type weight_type, size_t k);
/// x quantised once for every GEMV over weights of `weight_type`: the `ck_vec_dot_type` blocks (the bytes
/// `ck_quantize_row` writes) followed by the same quants in the orders the SIMD kernels load them, with per-lane
/// scales and sums. Every path writes the same bytes; weight types with the same `ck_vec_dot_type` share one buffer.
/// `dst` is 64-byte aligned.
void ck_quantize_activations(ck_type weight_type, const float *x, size_t k, void *dst, ck_path path);
/// y[r] = Σ_k W[r] · x for r < rows: `w` holds `rows` rows of `row_bytes` bytes of `type` blocks, `x_act` what
/// `ck_quantize_activations(type, x, k, …)` wrote. Integer products per block, F32 across blocks.
void ck_gemv_quant(ck_type type, const void *w, size_t row_bytes, size_t rows, size_t k, const void *x_act, float *y,
                   ck_path path);

// MARK: thread pool

/// `task` runs once for each index in 0 ..< count, on the calling thread or a worker; `thread` is the index of the
/// running thread (0 = caller), below `ck_pool_threads`.
typedef void (*ck_task_fn)(void *context, long task, int thread);
typedef struct ck_pool ck_pool;

/// `threads` includes the caller. Idle workers sleep on a condition variable after at most `spin_us`
/// microseconds of polling, so a busy neighbour core never waits on a spinning thread for long.
ck_pool *ck_pool_create(int threads, int spin_us);
void ck_pool_destroy(ck_pool *pool);
int ck_pool_threads(const ck_pool *pool);
/// Runs `count` tasks and returns when all have finished. A call from inside a task, or while another thread's job
/// is running, runs its tasks inline on the calling thread (no nesting, no waiting), with `thread` = 0.
void ck_pool_run(ck_pool *pool, long count, ck_task_fn task, void *context);
/// CPU time the workers (not the caller) have used so far, in seconds: shows whether idle workers sleep.
double ck_pool_worker_cpu_seconds(const ck_pool *pool);

// MARK: scratch

/// A buffer of at least `bytes` owned by the calling thread, slot 0 ..< 4, reused across calls (a fresh allocation
/// per matrix product cost a page fault and a page clear per 4 KiB: a quarter of prefill time). NULL when out of
/// memory. Valid until the same thread asks the same slot for more.
void *ck_scratch(int slot, size_t bytes);

#ifdef __cplusplus
}
#endif
#endif
