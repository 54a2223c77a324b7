// Backward of a convolution whose output went straight into max pooling with windows that do
// not overlap (see CKernels.h): of dz only the entries the pooling routed a gradient to are
// non-zero, one per pooling window and channel (a quarter of them for 2x2 pooling), so the
// kernel gradient and the column gradient are sums over those entries alone instead of sgemm
// over every position.
//
// Per image, the non-zero entries are grouped (a counting sort) by channel for the kernel
// gradient and by pixel for the column gradient; each output segment of up to 96 floats is then
// summed in registers over its group, in a fixed order, and stored once. The portable path
// (fmaf) adds in the same order as the vector one, so both give the same bits.
#include "ConvWindows.h"
#include <math.h>
#include <string.h>
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,fma")))
#define INLINE TARGET static inline __attribute__((always_inline))

/// Floats of an output segment summed in registers at once: 12 vectors of 8.
#define SEGMENT 96

// MARK: - One segment: dst[0..<n] = (accumulate ? dst : 0) + sum_k g[k] * src[offset[k] + 0..<n]

static void segment_portable(const float *src, const long *offset, const float *g, long count,
                             float *dst, long n, int accumulate) {
    for (long j = 0; j < n; j++) {
        float acc = accumulate ? dst[j] : 0;
        for (long k = 0; k < count; k++) acc = fmaf(g[k], src[offset[k] + j], acc);
        dst[j] = acc;
    }
}

/// A whole segment (96 floats) in 12 named accumulators, so they stay in registers.
TARGET static void segment_whole(const float *src, const long *offset, const float *g, long count,
                                 float *dst, int accumulate) {
#define INIT(i) __m256 a##i = accumulate ? _mm256_loadu_ps(dst + 8 * i) : _mm256_setzero_ps();
    INIT(0) INIT(1) INIT(2) INIT(3) INIT(4) INIT(5) INIT(6) INIT(7) INIT(8) INIT(9) INIT(10) INIT(11)
    for (long k = 0; k < count; k++) {
        const float *x = src + offset[k];
        const __m256 gk = _mm256_broadcast_ss(g + k);
#define STEP(i) a##i = _mm256_fmadd_ps(gk, _mm256_loadu_ps(x + 8 * i), a##i);
        STEP(0) STEP(1) STEP(2) STEP(3) STEP(4) STEP(5) STEP(6) STEP(7) STEP(8) STEP(9) STEP(10) STEP(11)
    }
#define STORE(i) _mm256_storeu_ps(dst + 8 * i, a##i);
    STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5) STORE(6) STORE(7) STORE(8) STORE(9) STORE(10) STORE(11)
#undef INIT
#undef STEP
#undef STORE
}

/// A shorter segment, one vector of 8 (the last one masked) at a time over all the entries.
TARGET static void segment_part(const float *src, const long *offset, const float *g, long count,
                                float *dst, long n, int accumulate) {
    for (long j = 0; j < n; j += 8) {
        __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(n - j)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        __m256 a = accumulate ? _mm256_maskload_ps(dst + j, mask) : _mm256_setzero_ps();
        for (long k = 0; k < count; k++)
            a = _mm256_fmadd_ps(_mm256_broadcast_ss(g + k), _mm256_maskload_ps(src + offset[k] + j, mask), a);
        _mm256_maskstore_ps(dst + j, mask, a);
    }
}

TARGET static void segment_avx2(const float *src, const long *offset, const float *g, long count,
                                float *dst, long n, int accumulate) {
    if (n == SEGMENT) segment_whole(src, offset, g, count, dst, accumulate);
    else segment_part(src, offset, g, count, dst, n, accumulate);
}

static void segment(const float *src, const long *offset, const float *g, long count, float *dst, long n,
                    int accumulate) {
    if (dl_direct_conv_vectorized()) segment_avx2(src, offset, g, count, dst, n, accumulate);
    else segment_portable(src, offset, g, count, dst, n, accumulate);
}

// MARK: - Grouping an image's non-zero entries

/// The non-zero routed entries of image `n`, grouped by `byChannel ? channel : pixel` (groups
/// in order, entries within a group in routing order): group b's entries are
/// [start[b], start[b + 1]); `other` holds each entry's pixel (by channel) or channel (by pixel).
/// `key` is scratch for one long per routed entry.
static void group_entries(const dl_routed_shape *s, const float *dz, long n, int byChannel,
                          long *restrict start, long *restrict other, float *restrict value, long *restrict key) {
    const long f = s->filters, groups = byChannel ? f : s->positions, routed = s->pooledPerImage;
    const int *restrict routes = s->argmax + n * routed;
    const float *restrict dzImage = dz + n * s->positions * f;
    memset(start, 0, sizeof(long) * (size_t)(groups + 1));
    // One pass over the routes: each non-zero entry's group and other index, compacted.
    long entries = 0, channel = 0;
    for (long i = 0; i < routed; i++) {
        // Pooled outputs and their routes are channel-minor: route i is of channel i % f.
        long index = routes[i], pixel = (index - channel) / f;
        float g = dzImage[index];
        key[entries] = byChannel ? channel : pixel;
        other[entries] = byChannel ? pixel : channel;
        value[entries] = g;
        entries += g != 0;
        channel = channel + 1 == f ? 0 : channel + 1;
    }
    for (long e = 0; e < entries; e++) start[key[e] + 1]++;
    for (long b = 0; b < groups; b++) start[b + 1] += start[b];
    // Counting sort, stable: entries move to their group's next free place (from the back, so
    // the compacted arrays can be read while the sorted ones are written over the keys' copy).
    long *restrict place = key + entries;
    for (long e = 0; e < entries; e++) place[e] = start[key[e]]++;
    for (long b = groups; b > 0; b--) start[b] = start[b - 1];
    start[0] = 0;
    // other/value hold the entries compacted; scatter them into sorted order through `key`'s
    // first half (reused as a temporary copy of other) and `place`.
    for (long e = 0; e < entries; e++) key[e] = other[e];
    float *restrict sortedValue = (float *)(place + entries);
    for (long e = 0; e < entries; e++) sortedValue[e] = value[e];
    for (long e = 0; e < entries; e++) {
        other[place[e]] = key[e];
        value[place[e]] = sortedValue[e];
    }
}

void dl_routed_kernel_gradient(const dl_routed_shape *s, const float *col, const float *dz,
                               long firstImage, long images, float *dkT, long *scratch) {
    const long f = s->filters, patch = s->patch;
    long *start = scratch, *pixel = start + f + 1, *offset = pixel + s->pooledPerImage;
    float *value = (float *)(offset + s->pooledPerImage);
    long *key = offset + 2 * s->pooledPerImage; // value takes the longs between
    memset(dkT, 0, sizeof(float) * (size_t)(f * patch));
    for (long n = firstImage; n < firstImage + images; n++) {
        group_entries(s, dz, n, 1, start, pixel, value, key);
        const float *colImage = col + n * s->positions * patch;
        for (long c = 0; c < f; c++) {
            long first = start[c], count = start[c + 1] - first;
            if (count == 0) continue;
            for (long p0 = 0; p0 < patch; p0 += SEGMENT) {
                for (long k = 0; k < count; k++) offset[first + k] = pixel[first + k] * patch + p0;
                long n0 = patch - p0 < SEGMENT ? patch - p0 : SEGMENT;
                segment(colImage, offset + first, value + first, count, dkT + c * patch + p0, n0, 1);
            }
        }
    }
}

void dl_routed_column_gradient(const dl_routed_shape *s, const float *dz, const float *kT,
                               long firstImage, long images, float *dcol, long *scratch) {
    const long patch = s->patch, positions = s->positions;
    long *start = scratch, *channel = start + positions + 1, *offset = channel + s->pooledPerImage;
    float *value = (float *)(offset + s->pooledPerImage);
    long *key = offset + 2 * s->pooledPerImage; // value takes the longs between
    for (long n = firstImage; n < firstImage + images; n++) {
        group_entries(s, dz, n, 0, start, channel, value, key);
        float *dcolImage = dcol + n * positions * patch;
        // Segment by segment, so K^T's columns of one segment stay in the L1 cache.
        for (long p0 = 0; p0 < patch; p0 += SEGMENT) {
            long n0 = patch - p0 < SEGMENT ? patch - p0 : SEGMENT;
            long entries = start[positions];
            for (long k = 0; k < entries; k++) offset[k] = channel[k] * patch + p0;
            for (long r = 0; r < positions; r++) {
                long first = start[r], count = start[r + 1] - first;
                float *row = dcolImage + r * patch + p0;
                if (count == 0) memset(row, 0, sizeof(float) * (size_t)n0);
                else segment(kT, offset + first, value + first, count, row, n0, 0);
            }
        }
    }
}

long dl_routed_scratch_size(const dl_routed_shape *s) {
    long groups = s->filters > s->positions ? s->filters : s->positions;
    // start; other, offset (longs); value (floats, a long each, keeping longs aligned); key,
    // place and the sorted values in group_entries (a long each)
    return groups + 1 + 6 * s->pooledPerImage;
}
