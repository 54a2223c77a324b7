// Direct convolution for few filters: the portable kernels and the choice between them and the
// vector ones. See CKernels.h for why this is C and how it rounds.
#include "ConvWindows.h"
#include <math.h>
#include <string.h>

long dl_reduction_block(long remaining) {
    const long q = 320, unroll = 8;
    if (remaining >= 2 * q) return q;
    if (remaining > q) return (remaining / 2 + unroll - 1) / unroll * unroll;
    return remaining;
}

// MARK: - Portable path (fmaf: the same roundings as the vector path)

static void forward_portable(const dl_conv_shape *s, const float *x, long images, const float *kernel,
                             const float *bias, int relu, float *y) {
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
            y[r * f + j] = bias_then_activation(total, bias, j, relu);
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

static void column_sums_portable(const float *m, long rows, long width, float *sums) {
    for (long r = 0; r < rows; r++)
        for (long j = 0; j < width; j++) sums[j] = sums[j] + m[r * width + j];
}

// MARK: - Choosing a path

/// -1: not yet asked; then 1 (AVX2 + FMA) or 0 (portable). Written before any kernel runs on
/// two threads (the engine's first conv forward is on one), and the same value every time.
static int vector_path = -1;

int dl_direct_conv_vectorized(void) {
    if (vector_path < 0) {
        __builtin_cpu_init();
        vector_path = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return vector_path;
}

void dl_direct_conv_use_portable(int on) {
    vector_path = on ? 0 : -1;
}

void dl_conv_forward(const dl_conv_shape *shape, const float *x, long images, const float *kernel,
                     const float *bias, int relu, float *y) {
    if (dl_direct_conv_vectorized()) dl_conv_forward_avx2(shape, x, images, kernel, bias, relu, y);
    else forward_portable(shape, x, images, kernel, bias, relu, y);
}

void dl_conv_kernel_gradient_chain(const dl_conv_shape *shape, const float *x, const float *dz, long dzRows,
                                   long firstRow, long rows, float *acc) {
    if (dl_direct_conv_vectorized() && rows <= DL_MAX_CHAIN_ROWS)
        dl_conv_gradient_chain_avx2(shape, x, dz, dzRows, firstRow, rows, acc);
    else
        gradient_portable(shape, x, dz, firstRow, rows, acc);
}

void dl_column_sums(const float *m, long rows, long width, float *sums) {
    if (dl_direct_conv_vectorized()) dl_column_sums_avx2(m, rows, width, sums);
    else column_sums_portable(m, rows, width, sums);
}
