#include "ckernels.h"
#include <cpuid.h>
#include <string.h>

static uint64_t xgetbv0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

uint32_t ck_cpu_features(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int osxsave = (c >> 27) & 1;
    if (!osxsave) return 0;
    uint64_t xcr0 = xgetbv0();
    int ymm = (xcr0 & 0x6) == 0x6;            // SSE + AVX state
    int zmm = ymm && (xcr0 & 0xe0) == 0xe0;    // opmask + ZMM_Hi256 + Hi16_ZMM
    int tiles = (xcr0 & (3ull << 17)) == (3ull << 17);
    uint32_t f = 0;
    if (ymm && ((c >> 12) & 1)) f |= CK_CPU_FMA;
    if (ymm && ((c >> 29) & 1)) f |= CK_CPU_F16C;
    unsigned max = __get_cpuid_max(0, 0);
    if (max < 7) return f;
    __cpuid_count(7, 0, a, b, c, d);
    if (ymm && ((b >> 5) & 1)) f |= CK_CPU_AVX2;
    if (zmm && ((b >> 16) & 1)) f |= CK_CPU_AVX512F;
    if (zmm && ((b >> 30) & 1)) f |= CK_CPU_AVX512BW;
    if (zmm && ((b >> 31) & 1)) f |= CK_CPU_AVX512VL;
    if (zmm && ((c >> 11) & 1)) f |= CK_CPU_AVX512VNNI;
    if (zmm && ((d >> 23) & 1)) f |= CK_CPU_AVX512FP16;
    if (tiles && ((d >> 22) & 1)) f |= CK_CPU_AMX_BF16;
    unsigned a1, b1, c1, d1;
    __cpuid_count(7, 1, a1, b1, c1, d1);
    if (zmm && ((a1 >> 5) & 1)) f |= CK_CPU_AVX512BF16;
    return f;
}

void ck_cpu_brand(char *out) {
    unsigned regs[12] = {0};
    memset(out, 0, 49);
    if (__get_cpuid_max(0x80000000, 0) < 0x80000004) return;
    for (unsigned i = 0; i < 3; i++) __get_cpuid(0x80000002 + i, &regs[4 * i], &regs[4 * i + 1], &regs[4 * i + 2], &regs[4 * i + 3]);
    memcpy(out, regs, 48);
}
