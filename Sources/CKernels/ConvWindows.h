// Shared by the portable and the AVX2 kernels: walking the windows of a padded batch, and the
// epilogue both paths apply. Internal to CKernels.
#ifndef DL_CONV_WINDOWS_H
#define DL_CONV_WINDOWS_H
#include "CKernels.h"

/// Offset of the first float of row `r`'s window (row = image * positions + position).
static inline long window_start(const dl_conv_shape *s, long r) {
    long image = r / s->positions, position = r % s->positions;
    long oy = position / s->outWidth, ox = position % s->outWidth;
    return image * s->imageSize + oy * s->rowStep + ox * s->strideStep;
}

/// Moves `start` to the next row's window; `ox` and `position` follow along.
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

/// z + bias, then relu as the engine's Swift code does it (0 where 0 >= v: NaN stays NaN).
static inline float bias_then_activation(float z, const float *bias, long j, int relu) {
    if (!bias) return z;
    float v = z + bias[j];
    return relu && 0 >= v ? 0 : v;
}

// The vector kernels (DirectConvAVX2.c), called only where the CPU has AVX2 and FMA.
void dl_conv_forward_avx2(const dl_conv_shape *s, const float *x, long images, const float *kernel,
                          const float *bias, int relu, float *y);
void dl_conv_gradient_chain_avx2(const dl_conv_shape *s, const float *x, const float *dz,
                                 long dzRows, long firstRow, long rows, float *acc);
void dl_column_sums_avx2(const float *m, long rows, long width, float *sums);

/// Most rows of one gradient chain the vector path takes: `dl_reduction_block` never returns more.
#define DL_MAX_CHAIN_ROWS 320

#endif
