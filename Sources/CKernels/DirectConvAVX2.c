// The AVX2 + FMA kernels behind CKernels.h, compiled for those instructions function by
// function and called only on CPUs that have them (DirectConv.c chooses).
#include "ConvWindows.h"
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,fma")))
#define INLINE TARGET static inline __attribute__((always_inline))

INLINE __m256i lane_mask(long lanes) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)lanes), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/// The last step of an output vector (lanes = filters): the finished sum, plus bias, then relu
/// (0 where 0 >= v, so NaN stays NaN), as `bias_then_activation` does lane by lane.
INLINE __m256 epilogue(__m256 v, __m256 bias, int hasBias, int relu) {
    if (!hasBias) return v;
    v = _mm256_add_ps(v, bias);
    if (relu) v = _mm256_andnot_ps(_mm256_cmp_ps(_mm256_setzero_ps(), v, _CMP_GE_OQ), v);
    return v;
}

/// Adds `chain` to the output vector at `y` (to zero for a window's first chain, as OpenBLAS
/// adds each chain to C), finishing it after the last chain.
INLINE void add_chain(float *y, __m256i mask, __m256 chain, int first, int last,
                      __m256 bias, int hasBias, int relu) {
    __m256 v = _mm256_add_ps(first ? _mm256_setzero_ps() : _mm256_maskload_ps(y, mask), chain);
    if (last) v = epilogue(v, bias, hasBias, relu);
    _mm256_maskstore_ps(y, mask, v);
}

// MARK: - Forward, any window: filters across the lanes, 8 output pixels at once

/// Output pixels computed at once, one accumulator each, sharing each kernel-row load:
/// 8 accumulators, the kernel row, a broadcast and the mask use 11 of the 16 vector registers.
#define PIXELS 8

TARGET static void forward_any(const dl_conv_shape *s, const float *x, long images, const float *kernel,
                               const float *bias, int relu, float *y) {
    const long rows = images * s->positions, f = s->filters;
    const __m256i mask = lane_mask(f);
    const __m256 b = bias ? _mm256_maskload_ps(bias, mask) : _mm256_setzero_ps();
    const int hasBias = bias != 0;
    const int *offsets = s->offsets;
    long start = 0, ox = 0, position = 0;
    long r = 0;
    for (; r + PIXELS <= rows; r += PIXELS) {
        const float *w[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            w[i] = x + start;
            advance_window(s, &start, &ox, &position);
        }
        for (long p0 = 0; p0 < s->patch;) {
            long p1 = p0 + dl_reduction_block(s->patch - p0);
            __m256 c[PIXELS];
            for (int i = 0; i < PIXELS; i++) c[i] = _mm256_setzero_ps();
            for (long p = p0; p < p1; p++) {
                __m256 k = _mm256_maskload_ps(kernel + p * f, mask);
                long o = offsets[p];
                for (int i = 0; i < PIXELS; i++) c[i] = _mm256_fmadd_ps(_mm256_broadcast_ss(w[i] + o), k, c[i]);
            }
            for (int i = 0; i < PIXELS; i++)
                add_chain(y + (r + i) * f, mask, c[i], p0 == 0, p1 == s->patch, b, hasBias, relu);
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
            add_chain(y + r * f, mask, chain, p0 == 0, p1 == s->patch, b, hasBias, relu);
            p0 = p1;
        }
    }
}

// MARK: - Forward, one input channel and stride 1: pixels across the lanes

/// Transposes 8 vectors in place: afterwards v[i] holds lane i of each input vector.
INLINE void transpose8(__m256 v[8]) {
    __m256 t0 = _mm256_unpacklo_ps(v[0], v[1]), t1 = _mm256_unpackhi_ps(v[0], v[1]);
    __m256 t2 = _mm256_unpacklo_ps(v[2], v[3]), t3 = _mm256_unpackhi_ps(v[2], v[3]);
    __m256 t4 = _mm256_unpacklo_ps(v[4], v[5]), t5 = _mm256_unpackhi_ps(v[4], v[5]);
    __m256 t6 = _mm256_unpacklo_ps(v[6], v[7]), t7 = _mm256_unpackhi_ps(v[6], v[7]);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    v[0] = _mm256_permute2f128_ps(u0, u4, 0x20); v[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
    v[2] = _mm256_permute2f128_ps(u2, u6, 0x20); v[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
    v[4] = _mm256_permute2f128_ps(u0, u4, 0x31); v[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
    v[6] = _mm256_permute2f128_ps(u2, u6, 0x31); v[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

/// `R` output rows x 8 output columns from (oy, ox) of one image, all `F` filters: each window
/// float is one 8-pixel load per row and each kernel value one broadcast shared by the rows
/// (R = 2, F = 6: 12 accumulators, 2 loads, 1 broadcast: 15 registers). The sums are the same
/// chains as `forward_any` (one per output, over the window in order), so the bits are too.
INLINE void single_channel_block(const dl_conv_shape *s, const float *image, const float *kernel,
                                 __m256 b, int hasBias, int relu, float *yImage, long oy, long ox,
                                 const int F, const int R) {
    __m256 acc[2][DL_DIRECT_CONV_MAX_FILTERS];
    for (int r = 0; r < R; r++)
        for (int j = 0; j < F; j++) acc[r][j] = _mm256_setzero_ps();
    const float *base = image + oy * s->rowStep + ox;
    for (long p = 0; p < s->patch; p++) {
        const float *at = base + s->offsets[p];
        __m256 x0 = _mm256_loadu_ps(at);
        __m256 x1 = R == 2 ? _mm256_loadu_ps(at + s->rowStep) : x0;
        for (int j = 0; j < F; j++) {
            __m256 k = _mm256_broadcast_ss(kernel + p * F + j);
            acc[0][j] = _mm256_fmadd_ps(x0, k, acc[0][j]);
            if (R == 2) acc[1][j] = _mm256_fmadd_ps(x1, k, acc[1][j]);
        }
    }
    const __m256i mask = lane_mask(F);
    for (int r = 0; r < R; r++) {
        __m256 v[8];
        for (int j = 0; j < 8; j++) v[j] = j < F ? acc[r][j] : _mm256_setzero_ps();
        transpose8(v);
        float *out = yImage + ((oy + r) * s->outWidth + ox) * F;
        for (int i = 0; i < 8; i++) {
            __m256 total = _mm256_add_ps(_mm256_setzero_ps(), v[i]);
            _mm256_maskstore_ps(out + i * F, mask, epilogue(total, b, hasBias, relu));
        }
    }
}

/// Every output of `images` images in blocks of R rows x 8 columns; the last block of a row or
/// column starts early enough to fit, computing a few outputs twice (to the same bits).
INLINE void single_channel(const dl_conv_shape *s, const float *x, long images, const float *kernel,
                           const float *bias, int relu, float *y, const int F, const int R) {
    const long outWidth = s->outWidth, outHeight = s->positions / s->outWidth;
    const __m256 b = bias ? _mm256_maskload_ps(bias, lane_mask(F)) : _mm256_setzero_ps();
    for (long n = 0; n < images; n++) {
        const float *image = x + n * s->imageSize;
        float *yImage = y + n * s->positions * F;
        for (long oy0 = 0; oy0 < outHeight; oy0 += R) {
            long oy = oy0 + R <= outHeight ? oy0 : outHeight - R;
            for (long ox0 = 0; ox0 < outWidth; ox0 += 8) {
                long ox = ox0 + 8 <= outWidth ? ox0 : outWidth - 8;
                single_channel_block(s, image, kernel, b, bias != 0, relu, yImage, oy, ox, F, R);
            }
        }
    }
}

#define SINGLE_CHANNEL(F, R) \
TARGET static void single_channel_##F(const dl_conv_shape *s, const float *x, long images, \
                                      const float *kernel, const float *bias, int relu, float *y) { \
    single_channel(s, x, images, kernel, bias, relu, y, F, R); \
}
SINGLE_CHANNEL(1, 2) SINGLE_CHANNEL(2, 2) SINGLE_CHANNEL(3, 2) SINGLE_CHANNEL(4, 2)
SINGLE_CHANNEL(5, 2) SINGLE_CHANNEL(6, 2) SINGLE_CHANNEL(7, 1)

typedef void (*forward_fn)(const dl_conv_shape *, const float *, long, const float *, const float *, int, float *);
static const forward_fn single_channel_kernels[DL_DIRECT_CONV_MAX_FILTERS + 1] = {
    0, single_channel_1, single_channel_2, single_channel_3, single_channel_4,
    single_channel_5, single_channel_6, single_channel_7,
};

TARGET void dl_conv_forward_avx2(const dl_conv_shape *s, const float *x, long images, const float *kernel,
                          const float *bias, int relu, float *y) {
    long outHeight = s->positions / s->outWidth;
    // One channel at stride 1 (strideStep 1), rows of at least 8 outputs, and at least two rows
    // (R = 2 blocks), and windows of one chain (patch <= 320).
    int pixelsAcrossLanes = s->strideStep == 1 && s->outWidth >= 8 && outHeight >= 2 &&
                            s->patch == dl_reduction_block(s->patch);
    if (pixelsAcrossLanes) single_channel_kernels[s->filters](s, x, images, kernel, bias, relu, y);
    else forward_any(s, x, images, kernel, bias, relu, y);
}

// MARK: - Kernel gradient

/// Chains over the rows for `N` window floats at once (offsets `o`), with the rows' window
/// starts precomputed. A fixed N lets the compiler keep the accumulators in registers; N is at
/// most 7 because clang loads all N broadcasts before the N multiply-adds, so N accumulators,
/// N broadcasts and the dz vector must fit the 16 registers (with 9, it spilled and ran 1.6x slower).
/// The first `wholeRows` rows load dz as 8 floats (the lanes past `f` are never stored); the
/// rest, whose 8 floats would run past the end of dz, load only their `f`.
#define GRADIENT_GROUP(N) \
TARGET static void gradient_group_##N(const float *x, const long *starts, const float *g0, long rows, \
                                      long wholeRows, long f, __m256i mask, const int *o, float *acc) { \
    __m256 chain[N]; \
    for (int i = 0; i < N; i++) chain[i] = _mm256_setzero_ps(); \
    long r = 0; \
    for (; r < wholeRows; r++) { \
        const float *w = x + starts[r]; \
        __m256 g = _mm256_loadu_ps(g0 + r * f); \
        for (int i = 0; i < N; i++) chain[i] = _mm256_fmadd_ps(_mm256_broadcast_ss(w + o[i]), g, chain[i]); \
    } \
    for (; r < rows; r++) { \
        const float *w = x + starts[r]; \
        __m256 g = _mm256_maskload_ps(g0 + r * f, mask); \
        for (int i = 0; i < N; i++) chain[i] = _mm256_fmadd_ps(_mm256_broadcast_ss(w + o[i]), g, chain[i]); \
    } \
    for (int i = 0; i < N; i++) _mm256_maskstore_ps(acc + i * f, mask, chain[i]); \
}
#define GRADIENT_GROUP_MAX 7
GRADIENT_GROUP(1) GRADIENT_GROUP(2) GRADIENT_GROUP(3) GRADIENT_GROUP(4) GRADIENT_GROUP(5) GRADIENT_GROUP(6)
GRADIENT_GROUP(7)

typedef void (*gradient_group_fn)(const float *, const long *, const float *, long, long, long, __m256i,
                                  const int *, float *);
static const gradient_group_fn gradient_groups[GRADIENT_GROUP_MAX + 1] = {
    0, gradient_group_1, gradient_group_2, gradient_group_3, gradient_group_4, gradient_group_5,
    gradient_group_6, gradient_group_7,
};

TARGET void dl_conv_gradient_chain_avx2(const dl_conv_shape *s, const float *x, const float *dz,
                                        long dzRows, long firstRow, long rows, float *acc) {
    const long f = s->filters;
    const __m256i mask = lane_mask(f);
    // Window starts of the rows, computed once and read again by every group of window floats.
    long starts[DL_MAX_CHAIN_ROWS];
    long start = window_start(s, firstRow), position = firstRow % s->positions;
    long ox = position % s->outWidth;
    for (long i = 0; i < rows; i++) {
        starts[i] = start;
        advance_window(s, &start, &ox, &position);
    }
    // Rows whose 8-float dz load stays inside dz's dzRows * f floats.
    long safeEnd = dzRows * f < 8 ? 0 : (dzRows * f - 8) / f + 1, wholeRows = safeEnd - firstRow;
    wholeRows = wholeRows < 0 ? 0 : wholeRows > rows ? rows : wholeRows;
    // Window floats in groups of at most 7, as even as possible (25 -> 7, 6, 6, 6).
    long groups = (s->patch + GRADIENT_GROUP_MAX - 1) / GRADIENT_GROUP_MAX;
    long size = (s->patch + groups - 1) / groups;
    for (long p0 = 0; p0 < s->patch; p0 += size) {
        long count = s->patch - p0 < size ? s->patch - p0 : size;
        gradient_groups[count](x, starts, dz + firstRow * f, rows, wholeRows, f, mask, s->offsets + p0, acc + p0 * f);
    }
}

// MARK: - Column sums

TARGET void dl_column_sums_avx2(const float *m, long rows, long width, float *sums) {
    for (long j0 = 0; j0 < width; j0 += 8) {
        __m256i mask = lane_mask(width - j0);
        __m256 total = _mm256_maskload_ps(sums + j0, mask);
        for (long r = 0; r < rows; r++) total = _mm256_add_ps(total, _mm256_maskload_ps(m + r * width + j0, mask));
        _mm256_maskstore_ps(sums + j0, mask, total);
    }
}
