// Direct convolution for few filters: see CKernels.h for why this is C and how it rounds.
#include "CKernels.h"
#include <immintrin.h>
#include <math.h>
#include <string.h>

long dl_reduction_block(long remaining) {
    const long q = 320, unroll = 8;
    if (remaining >= 2 * q) return q;
    if (remaining > q) return (remaining / 2 + unroll - 1) / unroll * unroll;
    return remaining;
}

/// Offset of the first float of row `r`'s window (row = image * positions + position).
static inline long window_start(const dl_conv_shape *s, long r) {
    long image = r / s->positions, position = r % s->positions;
    long oy = position / s->outWidth, ox = position % s->outWidth;
    return image * s->imageSize + oy * s->rowStep + ox * s->strideStep;
}

/// Moves `start` (and its row's output column `ox`) to the next row's window.
static inline void advance_window(const dl_conv_shape *s, long *start, long *ox, long *position) {
    *start += s->strideStep;
    if (++*ox == s->outWidth) {
        *ox = 0;
        // Back to column 0, down one window row; past the last position, on to the next image.
        *start += s->rowStep - s->outWidth * s->strideStep;
        if (++*position == s->positions) {
            *position = 0;
            long rowsSpanned = s->positions / s->outWidth;
            *start += s->imageSize - rowsSpanned * s->rowStep;
        }
    } else {
        ++*position;
    }
}

// MARK: - Portable path (fmaf: the same roundings as the vector path)

static void forward_portable(const dl_conv_shape *s, const float *x, long images,
                             const float *kernel, float *y) {
    long rows = images * s->positions, f = s->filters;
    long start = 0, ox = 0, position = 0;
    for (long r = 0; r < rows; r++) {
        const float *w = x + start;
        for (long j = 0; j < f; j++) {
            float total = 0;
            for (long p0 = 0; p0 < s->patch;) {
                long p1 = p0 + dl_reduction_block(s->patch - p0);
                float chain = 0;
                for (long p = p0; p < p1; p++) chain = fmaf(w[s->offsets[p]], kernel[p * f + j], chain);
                total = total + chain;
                p0 = p1;
            }
            y[r * f + j] = total;
        }
        advance_window(s, &start, &ox, &position);
    }
}

static void gradient_portable(const dl_conv_shape *s, const float *x, const float *dz,
                              long firstRow, long rows, float *acc) {
    long f = s->filters;
    memset(acc, 0, sizeof(float) * (size_t)(s->patch * f));
    long start = window_start(s, firstRow), position = firstRow % s->positions;
    long ox = position % s->outWidth;
    for (long r = firstRow; r < firstRow + rows; r++) {
        const float *w = x + start, *g = dz + r * f;
        for (long p = 0; p < s->patch; p++) {
            float v = w[s->offsets[p]];
            for (long j = 0; j < f; j++) acc[p * f + j] = fmaf(v, g[j], acc[p * f + j]);
        }
        advance_window(s, &start, &ox, &position);
    }
}

// MARK: - AVX2 + FMA path: filters across the 8 lanes of a vector

#define TARGET __attribute__((target("avx2,fma")))

TARGET static inline __m256i lane_mask(long filters) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)filters), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/// Output pixels computed at once, one accumulator vector each, sharing each kernel-row load:
/// 8 accumulators, the kernel row, a broadcast and the lane mask use 11 of 16 vector registers.
#define FORWARD_PIXELS 8

/// Adds `chain` to the output row `y` (the first chain of a window: to zero, as OpenBLAS
/// adds each chain to C).
TARGET static inline void add_chain(float *y, __m256i mask, __m256 chain, int first) {
    __m256 before = first ? _mm256_setzero_ps() : _mm256_maskload_ps(y, mask);
    _mm256_maskstore_ps(y, mask, _mm256_add_ps(before, chain));
}

TARGET static void forward_avx2(const dl_conv_shape *s, const float *x, long images,
                                const float *kernel, float *y) {
    const long rows = images * s->positions, f = s->filters;
    const __m256i mask = lane_mask(f);
    const int *offsets = s->offsets;
    long start = 0, ox = 0, position = 0;
    long r = 0;
    for (; r + FORWARD_PIXELS <= rows; r += FORWARD_PIXELS) {
        const float *w[FORWARD_PIXELS];
        for (int i = 0; i < FORWARD_PIXELS; i++) {
            w[i] = x + start;
            advance_window(s, &start, &ox, &position);
        }
        for (long p0 = 0; p0 < s->patch;) {
            long p1 = p0 + dl_reduction_block(s->patch - p0);
            __m256 c0 = _mm256_setzero_ps(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
            for (long p = p0; p < p1; p++) {
                __m256 k = _mm256_maskload_ps(kernel + p * f, mask);
                long o = offsets[p];
                c0 = _mm256_fmadd_ps(_mm256_broadcast_ss(w[0] + o), k, c0);
                c1 = _mm256_fmadd_ps(_mm256_broadcast_ss(w[1] + o), k, c1);
                c2 = _mm256_fmadd_ps(_mm256_broadcast_ss(w[2] + o), k, c2);
                c3 = _mm256_fmadd_ps(_mm256_broadcast_ss(w[3] + o), k, c3);
                c4 = _mm256_fmadd_ps(_mm256_broadcast_ss(w[4] + o), k, c4);
                c5 = _mm256_fmadd_ps(_mm256_broadcast_ss(w[5] + o), k, c5);
                c6 = _mm256_fmadd_ps(_mm256_broadcast_ss(w[6] + o), k, c6);
                c7 = _mm256_fmadd_ps(_mm256_broadcast_ss(w[7] + o), k, c7);
            }
            float *out = y + r * f;
            int first = p0 == 0;
            add_chain(out, mask, c0, first);
            add_chain(out + f, mask, c1, first);
            add_chain(out + 2 * f, mask, c2, first);
            add_chain(out + 3 * f, mask, c3, first);
            add_chain(out + 4 * f, mask, c4, first);
            add_chain(out + 5 * f, mask, c5, first);
            add_chain(out + 6 * f, mask, c6, first);
            add_chain(out + 7 * f, mask, c7, first);
            p0 = p1;
        }
    }
    for (; r < rows; r++) {
        const float *w = x + start;
        advance_window(s, &start, &ox, &position);
        for (long p0 = 0; p0 < s->patch;) {
            long p1 = p0 + dl_reduction_block(s->patch - p0);
            __m256 chain = _mm256_setzero_ps();
            for (long p = p0; p < p1; p++)
                chain = _mm256_fmadd_ps(_mm256_broadcast_ss(w + offsets[p]),
                                        _mm256_maskload_ps(kernel + p * f, mask), chain);
            add_chain(y + r * f, mask, chain, p0 == 0);
            p0 = p1;
        }
    }
}

/// Chains over the rows for `N` window floats at once (offsets `o`), with the rows' window
/// starts precomputed: N accumulators, one dz vector and one broadcast (at most 14 of the 16
/// vector registers for N = 12). A fixed N lets the compiler keep the accumulators in registers.
#define GRADIENT_GROUP(N) \
TARGET static void gradient_group_##N(const float *x, const long *starts, const float *g0, long rows, \
                                      long f, __m256i mask, const int *o, float *acc) { \
    __m256 chain[N]; \
    for (int i = 0; i < N; i++) chain[i] = _mm256_setzero_ps(); \
    for (long r = 0; r < rows; r++) { \
        const float *w = x + starts[r]; \
        __m256 g = _mm256_maskload_ps(g0 + r * f, mask); \
        for (int i = 0; i < N; i++) chain[i] = _mm256_fmadd_ps(_mm256_broadcast_ss(w + o[i]), g, chain[i]); \
    } \
    for (int i = 0; i < N; i++) _mm256_maskstore_ps(acc + i * f, mask, chain[i]); \
}
GRADIENT_GROUP(1) GRADIENT_GROUP(2) GRADIENT_GROUP(3) GRADIENT_GROUP(4) GRADIENT_GROUP(5) GRADIENT_GROUP(6)
GRADIENT_GROUP(7) GRADIENT_GROUP(8) GRADIENT_GROUP(9) GRADIENT_GROUP(10) GRADIENT_GROUP(11) GRADIENT_GROUP(12)

typedef void (*gradient_group_fn)(const float *, const long *, const float *, long, long, __m256i,
                                  const int *, float *);
static const gradient_group_fn gradient_groups[13] = {
    0, gradient_group_1, gradient_group_2, gradient_group_3, gradient_group_4, gradient_group_5,
    gradient_group_6, gradient_group_7, gradient_group_8, gradient_group_9, gradient_group_10,
    gradient_group_11, gradient_group_12,
};

/// Most rows of one gradient chain: `dl_reduction_block` never returns more.
#define MAX_CHAIN_ROWS 320

TARGET static void gradient_avx2(const dl_conv_shape *s, const float *x, const float *dz,
                                 long firstRow, long rows, float *acc) {
    const long f = s->filters;
    const __m256i mask = lane_mask(f);
    // Window starts of the rows, computed once and read again by every group of window floats.
    long starts[MAX_CHAIN_ROWS];
    long start = window_start(s, firstRow), position = firstRow % s->positions;
    long ox = position % s->outWidth;
    for (long i = 0; i < rows; i++) {
        starts[i] = start;
        advance_window(s, &start, &ox, &position);
    }
    // Window floats in groups of at most 12, as even as possible (25 -> 9, 9, 7).
    long groups = (s->patch + 11) / 12, size = (s->patch + groups - 1) / groups;
    for (long p0 = 0; p0 < s->patch; p0 += size) {
        long count = s->patch - p0 < size ? s->patch - p0 : size;
        gradient_groups[count](x, starts, dz + firstRow * f, rows, f, mask, s->offsets + p0, acc + p0 * f);
    }
}

TARGET static void column_sums_avx2(const float *m, long rows, long width, float *sums) {
    for (long j0 = 0; j0 < width; j0 += 8) {
        __m256i mask = lane_mask(width - j0);
        __m256 total = _mm256_maskload_ps(sums + j0, mask);
        for (long r = 0; r < rows; r++) total = _mm256_add_ps(total, _mm256_maskload_ps(m + r * width + j0, mask));
        _mm256_maskstore_ps(sums + j0, mask, total);
    }
}

static void column_sums_portable(const float *m, long rows, long width, float *sums) {
    for (long r = 0; r < rows; r++)
        for (long j = 0; j < width; j++) sums[j] = sums[j] + m[r * width + j];
}

// MARK: - Dispatch

static int vector_path = -1;

void dl_direct_conv_use_portable(int on) {
    vector_path = on ? 0 : -1;
}

int dl_direct_conv_vectorized(void) {
    if (vector_path < 0) {
        __builtin_cpu_init();
        vector_path = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return vector_path;
}

void dl_conv_forward(const dl_conv_shape *shape, const float *x, long images,
                     const float *kernel, float *y) {
    if (dl_direct_conv_vectorized()) forward_avx2(shape, x, images, kernel, y);
    else forward_portable(shape, x, images, kernel, y);
}

void dl_conv_kernel_gradient_chain(const dl_conv_shape *shape, const float *x, const float *dz,
                                   long firstRow, long rows, float *acc) {
    // Chains come from dl_reduction_block, so never longer than the vector path's scratch.
    if (dl_direct_conv_vectorized() && rows <= MAX_CHAIN_ROWS) gradient_avx2(shape, x, dz, firstRow, rows, acc);
    else gradient_portable(shape, x, dz, firstRow, rows, acc);
}

void dl_column_sums(const float *m, long rows, long width, float *sums) {
    if (dl_direct_conv_vectorized()) column_sums_avx2(m, rows, width, sums);
    else column_sums_portable(m, rows, width, sums);
}
