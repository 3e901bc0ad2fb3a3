// Throughput of the vector instructions the float kernels spend their time in, alone and in pairs, on the
// machine it runs on (x86-64 with AVX-512). Each loop issues independent instructions (12 destinations, no
// chains), so the time per loop is set by the execution ports: two instruction kinds whose pair takes the sum
// of their times share ports; a pair that takes the longer of the two does not.
//
// Build and run (no dependencies beyond gcc):  gcc -O2 -march=x86-64-v4 -o ports ports.c && ./ports
// Times are thread CPU time; cycles assume the clock given as the first argument in GHz (default 3.6).
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define LOOPS 50000000L

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static float buffer[512] __attribute__((aligned(64)));
static double ghz = 3.6;

// Operands: %0..%11 destinations (written, never read: no chains), %12 a zmm source, %13 a permute index,
// %14 a pointer into buffer.
#define RUN(name, count, text)                                                                                   \
    {                                                                                                            \
        __m512d r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11;                                                \
        __m512d s = _mm512_set1_pd(1.0);                                                                         \
        __m512i index = _mm512_set1_epi32(3);                                                                    \
        double start = now();                                                                                    \
        for (long i = 0; i < LOOPS; i++)                                                                         \
        {                                                                                                        \
            __asm__ volatile(text                                                                                \
                             : "=v"(r0), "=v"(r1), "=v"(r2), "=v"(r3), "=v"(r4), "=v"(r5), "=v"(r6), "=v"(r7), \
                               "=v"(r8), "=v"(r9), "=v"(r10), "=v"(r11)                                          \
                             : "v"(s), "v"(index), "r"(buffer + (i & 7) * 32));                                  \
        }                                                                                                        \
        double ns = (now() - start) / LOOPS;                                                                     \
        printf("%-44s %6.3f ns a loop, %5.2f cycles a loop, %5.2f cycles an instruction\n", name, ns, ns * ghz,  \
               ns * ghz / (count));                                                                              \
    }

#define SIX(op) op(0) op(1) op(2) op(3) op(4) op(5)
#define SIX_B(op) op(6) op(7) op(8) op(9) op(10) op(11)
#define TWELVE(op) SIX(op) SIX_B(op)
#define MUL(k) "vmulpd %12, %12, %" #k "\n"
#define ADD(k) "vaddpd %12, %12, %" #k "\n"
#define CVT512(k) "vcvtps2pd %t12, %" #k "\n"
#define CVT256(k) "vcvtps2pd %x12, %t" #k "\n"
#define CVT256_LOAD(k) "vcvtps2pd (%14), %t" #k "\n"
#define CVT512_LOAD(k) "vcvtps2pd (%14), %" #k "\n"
#define PERMT2(k) "vmovaps %12, %" #k "\n vpermt2ps %12, %13, %" #k "\n"
#define EXTRACT(k) "vextractf32x8 $1, %12, %t" #k "\n"

int main(int argc, char** argv)
{
    if (argc > 1)
    {
        ghz = atof(argv[1]);
    }

    for (int i = 0; i < 512; i++)
    {
        buffer[i] = i * 0.5f;
    }

    RUN("12 vmulpd zmm", 12, TWELVE(MUL))
    RUN("12 vaddpd zmm", 12, TWELVE(ADD))
    RUN("12 vcvtps2pd zmm <- ymm", 12, TWELVE(CVT512))
    RUN("12 vcvtps2pd zmm <- m256", 12, TWELVE(CVT512_LOAD))
    RUN("12 vcvtps2pd ymm <- xmm", 12, TWELVE(CVT256))
    RUN("12 vcvtps2pd ymm <- m128", 12, TWELVE(CVT256_LOAD))
    RUN("12 vpermt2ps zmm (+ 12 register copies)", 12, TWELVE(PERMT2))
    RUN("12 vextractf32x8", 12, TWELVE(EXTRACT))
    RUN("6 vmulpd + 6 vaddpd", 12, SIX(MUL) SIX_B(ADD))
    RUN("6 vmulpd + 6 vcvtps2pd zmm", 12, SIX(MUL) SIX_B(CVT512))
    RUN("6 vaddpd + 6 vcvtps2pd zmm", 12, SIX(ADD) SIX_B(CVT512))
    RUN("6 vcvtps2pd zmm + 6 vextractf32x8", 12, SIX(CVT512) SIX_B(EXTRACT))
    RUN("6 vmulpd + 6 vextractf32x8", 12, SIX(MUL) SIX_B(EXTRACT))
    RUN("6 vaddpd + 6 vextractf32x8", 12, SIX(ADD) SIX_B(EXTRACT))
    return 0;
}
