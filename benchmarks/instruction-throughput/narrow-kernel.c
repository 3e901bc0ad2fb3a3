// The loop of SingleNarrow (the default float kernel for rows of four features in L1, AVX-512) written in C, and the
// same loop with one kind of work taken out, to see what its time is made of. Values are wrong in every variant but
// the first; the point is the time per block of eight rows.
//
//   gcc -O2 -march=x86-64-v4 -DVARIANT=0 -o narrow narrow-kernel.c && ./narrow 400
//
// VARIANT 0: the loop as it is. 1: no float -> double conversions of X (the transposed floats reinterpreted).
// 2: no permutes (the loaded vectors used as the columns). 3: no conversion of y. 4: no gradient FMAs.
// 5: variant 0 software-pipelined as SingleNarrow's squared-residual loop is: each block loaded, transposed and widened
//    one iteration ahead. 6: variant 5 with X widened from memory: each block transposed, stored to the stack one
//    iteration ahead, and widened four floats at a time by 256-bit conversions that read it (y too); the double
//    arithmetic on 256-bit vectors, four rows each. Variants 5 and 6 compute the same values as variant 0.
// Times are thread CPU time; cycles assume the clock given as the second argument in GHz (default 3.6).
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef VARIANT
#define VARIANT 0
#endif
#define ROWS 400

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static float x[ROWS * 4 + 64] __attribute__((aligned(64)));
static float y[ROWS + 16] __attribute__((aligned(64)));
double result[6]; // not static: the stores must stay

__attribute__((noinline)) void kernel(const float* features, const float* targets, int rows, const float* w, double b)
{
    const __m512i index01 = _mm512_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29);
    const __m512i index23 = _mm512_setr_epi32(2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31);
    const __m512d w0 = _mm512_set1_pd(w[0]), w1 = _mm512_set1_pd(w[1]), w2 = _mm512_set1_pd(w[2]), w3 = _mm512_set1_pd(w[3]);
    const __m512d bias = _mm512_set1_pd(b);
    __m512d g0 = _mm512_setzero_pd(), g1 = g0, g2 = g0, g3 = g0, squares = g0, sums = g0;
#if VARIANT == 5
#define WIDEN(p, A, B, C, D)                                                                                          \
    {                                                                                                                 \
        __m512 f_ = _mm512_loadu_ps(p), s_ = _mm512_loadu_ps((p) + 16);                                               \
        __m512 c01_ = _mm512_permutex2var_ps(f_, index01, s_), c23_ = _mm512_permutex2var_ps(f_, index23, s_);        \
        A = _mm512_cvtps_pd(_mm512_castps512_ps256(c01_));                                                            \
        B = _mm512_cvtps_pd(_mm512_extractf32x8_ps(c01_, 1));                                                         \
        C = _mm512_cvtps_pd(_mm512_castps512_ps256(c23_));                                                            \
        D = _mm512_cvtps_pd(_mm512_extractf32x8_ps(c23_, 1));                                                         \
    }
    __m512d n0, n1, n2, n3;
    WIDEN(features, n0, n1, n2, n3)
    for (int r = 0; r + 8 <= rows; r += 8)
    {
        __m512d x0 = n0, x1 = n1, x2 = n2, x3 = n3;
        if (r + 16 <= rows)
        {
            WIDEN(features + r * 4 + 32, n0, n1, n2, n3)
        }

        __m512d eta = _mm512_add_pd(_mm512_fmadd_pd(x1, w1, _mm512_mul_pd(x0, w0)), _mm512_fmadd_pd(x3, w3, _mm512_fmadd_pd(x2, w2, bias)));
        __m512d residual = _mm512_sub_pd(eta, _mm512_cvtps_pd(_mm256_loadu_ps(targets + r)));
        squares = _mm512_fmadd_pd(residual, residual, squares);
        sums = _mm512_add_pd(sums, residual);
        g0 = _mm512_fmadd_pd(x0, residual, g0);
        g1 = _mm512_fmadd_pd(x1, residual, g1);
        g2 = _mm512_fmadd_pd(x2, residual, g2);
        g3 = _mm512_fmadd_pd(x3, residual, g3);
    }
#elif VARIANT == 6
    const __m256d v0 = _mm512_castpd512_pd256(w0), v1 = _mm512_castpd512_pd256(w1), v2 = _mm512_castpd512_pd256(w2), v3 = _mm512_castpd512_pd256(w3);
    const __m256d bias4 = _mm512_castpd512_pd256(bias);
    __m256d a[6] = { 0 }, h[6] = { 0 }; // rows 0-3 and 4-7 of each block: g0..g3, squares, sums
    float columns[64] __attribute__((aligned(64)));
#define STORE_BLOCK(p, to)                                                                                            \
    {                                                                                                                 \
        __m512 f_ = _mm512_loadu_ps(p), s_ = _mm512_loadu_ps((p) + 16);                                               \
        _mm512_store_ps(to, _mm512_permutex2var_ps(f_, index01, s_));                                                 \
        _mm512_store_ps((to) + 16, _mm512_permutex2var_ps(f_, index23, s_));                                          \
    }
#define FOUR_ROWS(c, y, S)                                                                                            \
    {                                                                                                                 \
        __m256d x0 = _mm256_cvtps_pd(_mm_load_ps(c)), x1 = _mm256_cvtps_pd(_mm_load_ps((c) + 8));                     \
        __m256d x2 = _mm256_cvtps_pd(_mm_load_ps((c) + 16)), x3 = _mm256_cvtps_pd(_mm_load_ps((c) + 24));             \
        __m256d eta = _mm256_add_pd(_mm256_fmadd_pd(x1, v1, _mm256_mul_pd(x0, v0)), _mm256_fmadd_pd(x3, v3, _mm256_fmadd_pd(x2, v2, bias4))); \
        __m256d res = _mm256_sub_pd(eta, _mm256_cvtps_pd(_mm_loadu_ps(y)));                                           \
        S[4] = _mm256_fmadd_pd(res, res, S[4]);                                                                       \
        S[5] = _mm256_add_pd(S[5], res);                                                                              \
        S[0] = _mm256_fmadd_pd(x0, res, S[0]);                                                                        \
        S[1] = _mm256_fmadd_pd(x1, res, S[1]);                                                                        \
        S[2] = _mm256_fmadd_pd(x2, res, S[2]);                                                                        \
        S[3] = _mm256_fmadd_pd(x3, res, S[3]);                                                                        \
    }
    if (rows >= 8)
    {
        STORE_BLOCK(features, columns)
    }

    for (int r = 0; r + 8 <= rows; r += 8)
    {
        float* current = columns + ((r >> 3) & 1) * 32;
        if (r + 16 <= rows)
        {
            STORE_BLOCK(features + r * 4 + 32, columns + (((r >> 3) + 1) & 1) * 32)
        }

        FOUR_ROWS(current, targets + r, a)
        FOUR_ROWS(current + 4, targets + r + 4, h)
    }

    g0 = _mm512_insertf64x4(_mm512_castpd256_pd512(a[0]), h[0], 1);
    g1 = _mm512_insertf64x4(_mm512_castpd256_pd512(a[1]), h[1], 1);
    g2 = _mm512_insertf64x4(_mm512_castpd256_pd512(a[2]), h[2], 1);
    g3 = _mm512_insertf64x4(_mm512_castpd256_pd512(a[3]), h[3], 1);
    squares = _mm512_insertf64x4(_mm512_castpd256_pd512(a[4]), h[4], 1);
    sums = _mm512_insertf64x4(_mm512_castpd256_pd512(a[5]), h[5], 1);
#else
    for (int r = 0; r + 8 <= rows; r += 8)
    {
        __m512 first = _mm512_loadu_ps(features + r * 4), second = _mm512_loadu_ps(features + r * 4 + 16);
#if VARIANT == 2
        __m512 c01 = first, c23 = second;
        (void)index01;
        (void)index23;
#else
        __m512 c01 = _mm512_permutex2var_ps(first, index01, second), c23 = _mm512_permutex2var_ps(first, index23, second);
#endif
#if VARIANT == 1
        __m512d x0 = _mm512_castps_pd(c01), x1 = _mm512_castps_pd(c23);
        __m512d x2 = _mm512_castps_pd(_mm512_add_ps(c01, c23)), x3 = _mm512_castps_pd(_mm512_sub_ps(c01, c23));
#else
        __m512d x0 = _mm512_cvtps_pd(_mm512_castps512_ps256(c01)), x1 = _mm512_cvtps_pd(_mm512_extractf32x8_ps(c01, 1));
        __m512d x2 = _mm512_cvtps_pd(_mm512_castps512_ps256(c23)), x3 = _mm512_cvtps_pd(_mm512_extractf32x8_ps(c23, 1));
#endif
        __m512d eta = _mm512_add_pd(_mm512_fmadd_pd(x1, w1, _mm512_mul_pd(x0, w0)), _mm512_fmadd_pd(x3, w3, _mm512_fmadd_pd(x2, w2, bias)));
#if VARIANT == 3
        __m512d residual = _mm512_sub_pd(eta, _mm512_loadu_pd((const double*)(targets + r)));
#else
        __m512d residual = _mm512_sub_pd(eta, _mm512_cvtps_pd(_mm256_loadu_ps(targets + r)));
#endif
        squares = _mm512_fmadd_pd(residual, residual, squares);
        sums = _mm512_add_pd(sums, residual);
#if VARIANT == 4
        g0 = _mm512_add_pd(x0, g0);
#else
        g0 = _mm512_fmadd_pd(x0, residual, g0);
        g1 = _mm512_fmadd_pd(x1, residual, g1);
        g2 = _mm512_fmadd_pd(x2, residual, g2);
        g3 = _mm512_fmadd_pd(x3, residual, g3);
#endif
    }
#endif

    result[0] = _mm512_reduce_add_pd(squares);
    result[1] = _mm512_reduce_add_pd(sums);
    result[2] = _mm512_reduce_add_pd(g0);
    result[3] = _mm512_reduce_add_pd(g1);
    result[4] = _mm512_reduce_add_pd(g2);
    result[5] = _mm512_reduce_add_pd(g3);
}

int main(int argc, char** argv)
{
    int rows = argc > 1 ? atoi(argv[1]) : ROWS;
    double ghz = argc > 2 ? atof(argv[2]) : 3.6;
    if (rows < 8 || rows > ROWS)
    {
        fprintf(stderr, "rows: 8 to %d\n", ROWS);
        return 2;
    }

    srand(1);
    for (int i = 0; i < ROWS * 4; i++)
    {
        x[i] = (float)rand() / RAND_MAX;
    }

    for (int i = 0; i < ROWS; i++)
    {
        y[i] = (float)rand() / RAND_MAX;
    }

    const float w[4] = { 0.1f, 0.2f, 0.3f, 0.4f };
    const long calls = 2000000;
    for (int round = 0; round < 3; round++)
    {
        double start = now();
        for (long k = 0; k < calls; k++)
        {
            kernel(x, y, rows, w, 0.5);
        }

        double ns = (now() - start) / calls;
        printf("variant %d, %d rows: %.1f ns a call, %.2f cycles a block of eight rows (gradient[0] %g)\n", VARIANT, rows, ns, ns * ghz / (rows / 8), result[2]);
    }

    return 0;
}
