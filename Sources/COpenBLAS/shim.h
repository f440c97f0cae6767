#include <cblas.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

/// The four registers of one `cpuid` leaf; `valid` is 0 when the leaf is beyond what the CPU
/// reports, or on a CPU that is not x86-64.
typedef struct {
    unsigned int eax, ebx, ecx, edx;
    int valid;
} grove_cpuid_registers;

/// `cpuid` with `leaf` in EAX and `subleaf` in ECX.
static inline grove_cpuid_registers grove_cpuid(unsigned int leaf, unsigned int subleaf) {
    grove_cpuid_registers r = {0, 0, 0, 0, 0};
#if defined(__x86_64__)
    r.valid = __get_cpuid_count(leaf, subleaf, &r.eax, &r.ebx, &r.ecx, &r.edx);
#else
    (void)leaf;
    (void)subleaf;
#endif
    return r;
}

/// XCR0, the register state the operating system saves (bits 1-2: SSE and AVX, bits 5-7:
/// AVX-512); 0 when the OS does not enable XSAVE or the CPU is not x86-64.
static inline unsigned long long grove_xcr0(void) {
#if defined(__x86_64__)
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 27))) return 0;
    unsigned int lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
#else
    return 0;
#endif
}
