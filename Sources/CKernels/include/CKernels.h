// Convolution kernels for layers with few filters, computed straight from the (padded) input
// images instead of through im2col + sgemm. They are in C because they need FMA vectors chosen
// at run time (AVX2 + FMA where the CPU has them, portable C with fmaf otherwise): Swift has no
// per-function target attributes. Both paths round exactly alike.
//
// The summation order is OpenBLAS's (Haswell-family kernels, measured against its sgemm) for
// products with at most 7 columns: each output is one fused multiply-add chain over the
// reduction index in order, restarted every `dl_reduction_block` steps, with the chains added
// up one after another. (With 8 columns OpenBLAS sums some tail rows another way, and with 16
// it splits chains into even and odd steps: those layers stay on im2col + sgemm.) So a network
// trains to the same bits either way; DirectConvolutionTests compare them with sgemm.
#ifndef DL_CKERNELS_H
#define DL_CKERNELS_H

/// Most filters the direct kernels take (one 8-float vector per output pixel; see above for 8).
#define DL_DIRECT_CONV_MAX_FILTERS 7

/// Where windows read from a batch of zero-padded NHWC images [images, paddedH, paddedW, C].
typedef struct {
    long positions;    ///< output pixels per image (outH * outW)
    long outWidth;     ///< output pixels per row
    long strideStep;   ///< floats between horizontally adjacent windows (stride * C)
    long rowStep;      ///< floats between vertically adjacent windows (stride * paddedW * C)
    long imageSize;    ///< floats per padded image (paddedH * paddedW * C)
    long patch;        ///< floats per window (kh * kw * C)
    long filters;      ///< output channels, 1 ... DL_DIRECT_CONV_MAX_FILTERS
    const int *offsets; ///< `patch` offsets of a window's floats from its first, in [ky, kx, c] order
} dl_conv_shape;

/// y[image, position, f] = sum over the window of x * kernel[p, f], for `images` images starting
/// at `x`; kernel is [patch, filters]. With `bias` (else NULL), each sum z becomes z + bias[f],
/// then, with `relu`, 0 where 0 >= z + bias[f] (the engine's bias and relu pass, fused).
void dl_conv_forward(const dl_conv_shape *shape, const float *x, long images, const float *kernel,
                     const float *bias, int relu, float *y);

/// The kernel gradient of batch rows [firstRow, firstRow + rows) (row = image * positions +
/// position) as one chain per (p, f): acc[p * filters + f] = sum_r window(r)[p] * dz[r, f].
/// `dz` points at row 0 of its `dzRows` rows. The caller splits the rows with
/// `dl_reduction_block` and adds the chains.
void dl_conv_kernel_gradient_chain(const dl_conv_shape *shape, const float *x, const float *dz, long dzRows,
                                   long firstRow, long rows, float *acc);

/// Length of the next chain of a reduction with `remaining` steps left (OpenBLAS's K blocking
/// for these kernels: 320 steps, and the last stretch under 640 cut in two halves rounded up to 8).
long dl_reduction_block(long remaining);

/// sums[j] += m[r, j] for r = 0, 1, ... in turn, over a row-major [rows, width] matrix.
void dl_column_sums(const float *m, long rows, long width, float *sums);

/// 1 when the vector (AVX2 + FMA) path runs on this CPU, 0 for the portable one.
int dl_direct_conv_vectorized(void);

/// Tests: 1 runs the portable path even where the vector one could run; 0 chooses again.
void dl_direct_conv_use_portable(int on);

/// A convolution's output routed through max pooling whose windows do not overlap: of its
/// dz ([images, positions, filters]) only the entries the pooling picked can be non-zero.
typedef struct {
    long positions;      ///< conv output pixels per image
    long patch;          ///< floats per window (a row of the im2col columns)
    long filters;        ///< conv output channels
    long pooledPerImage; ///< pooled outputs per image (pooled pixels * filters)
    const int *argmax;   ///< [images, pooledPerImage]: index within its image of the picked dz entry
} dl_routed_shape;

/// dkT[f, p] = sum over the picked non-zero entries (pixel r, channel f) of images [firstImage,
/// firstImage + images), image by image in routing order, of dz[r, f] * col[r, p]; dkT
/// ([filters, patch]) is overwritten. col: the im2col columns [images * positions, patch] of the
/// whole batch. scratch: `dl_routed_scratch_size` longs, for this call alone.
void dl_routed_kernel_gradient(const dl_routed_shape *shape, const float *col, const float *dz,
                               long firstImage, long images, float *dkT, long *scratch);

/// dcol[r, :] = sum over the picked non-zero entries (r, f), by channel, of dz[r, f] * kT[f, :],
/// for the rows of images [firstImage, firstImage + images) (written whole: rows with no entry
/// become 0). kT: the kernel transposed, [filters, patch]. scratch as above.
void dl_routed_column_gradient(const dl_routed_shape *shape, const float *dz, const float *kT,
                               long firstImage, long images, float *dcol, long *scratch);

/// Longs of scratch one call of the two above needs.
long dl_routed_scratch_size(const dl_routed_shape *shape);

// MARK: - LSTM gate passes (RecurrentAVX2.c; call only where dl_direct_conv_vectorized() is 1,
// with units a multiple of 8). Rows are consecutive batch rows of one step; z is [rows, 4 units]
// (x W + h R in, the activations i, f, g, o out), the others [rows, units].

/// Forward: gates from z + bias, then c = f cPrev + i g, cellTanh = tanh c, h = o cellTanh.
void dl_lstm_forward_rows(float *z, const float *bias, const float *cPrev, float *c, float *cellTanh,
                          float *h, long rows, long units);
/// Backward: dz from dh and dc (dL/dh_t, dL/dc_t), leaving dL/dc_{t-1} in dc.
void dl_lstm_backward_rows(const float *activations, const float *cPrev, const float *cellTanh,
                           float *dh, float *dc, float *dz, long rows, long units);

// MARK: - Max pooling (MaxPool.c), NHWC, square windows without padding

typedef struct {
    long height, width, channels;
    long size, stride;            // the window is size x size
    long outHeight, outWidth;
} dl_pool_shape;

/// y = each window's maximum per channel, argmax = its index within the image (the first on
/// ties; a NaN is never picked over a number, nor a number over a NaN that comes first).
void dl_max_pool(const dl_pool_shape *shape, const float *x, long images, float *y, int *argmax);
/// dx of `images` images from the routed gradients gy, where the windows tile each image exactly
/// (stride = size, height and width multiples of it): 0 everywhere but at each argmax, which
/// gets 0 + gy, times `slope` where the pooled value y is not above 0 (the conv's relu mask).
void dl_max_pool_backward_routed(const dl_pool_shape *shape, const float *gy, const float *y, const int *argmax,
                                 long images, float slope, float *dx);

// MARK: - Winograd F(4x4, 3x3) transforms (Winograd.c) for 3x3 stride-1 convolutions, NHWC.
// A pass covers whole images, tilesHigh x tilesWide tiles each, row-major; the transformed
// buffers hold 36 planes `plane` floats apart, each [tiles][C] (V, dV) or [tiles][F] (M, dM).
// Each call handles tiles [first, end) of the pass and writes only their entries, so parts may
// run on threads.

typedef struct {
    long height, width, channels, filters;  // the input image and the filters
    long pad;                                // 1 for 'same', 0 for 'valid'
    long outHeight, outWidth;
    long tilesHigh, tilesWide;               // ceil(out / 4)
} dl_wino_shape;

/// V = B^T d B of each tile's 6x6 input (zeros outside the image).
void dl_wino_input(const dl_wino_shape *shape, const float *x, long first, long end, long plane, float *v);
/// y = A^T M A of each tile, cropped to the output; with a bias, + bias and then, with relu,
/// max(., 0) as Activation.applyWithBias does (no bias: the bare sums).
void dl_wino_output(const dl_wino_shape *shape, const float *m, long first, long end, long plane, float *y,
                    const float *bias, int relu);
/// dM = A dY A^T of each tile's 4x4 output gradient (zeros outside the output).
void dl_wino_output_grad(const dl_wino_shape *shape, const float *dy, long first, long end, long plane, float *m);
/// dx = the sum of B dV B^T over the tiles, padding dropped; [first, end) holds whole images,
/// whose dx it overwrites.
void dl_wino_input_grad(const dl_wino_shape *shape, const float *v, long first, long end, long plane, float *dx);
/// Layers of at most this many channels take the fused passes below instead of the products.
#define DL_WINO_FUSED_CHANNELS 4
/// Few channels: y = A^T (V U) A for tiles [first, end), one tile at a time, keeping each tile's
/// V in v ([tiles][36][C]). U as `dl_wino_kernel` makes it. Bias and relu as `dl_wino_output`.
void dl_wino_fused_forward(const dl_wino_shape *shape, const float *x, const float *u, long first, long end,
                           float *v, float *y, const float *bias, int relu);
/// Few channels: du[36][C][F] = the sum over tiles [first, end) of V^T dM (overwritten), and,
/// when dx is not null, dx of their images (whole images, overwritten).
void dl_wino_fused_backward(const dl_wino_shape *shape, const float *v, const float *dy, const float *u, long first,
                            long end, float *du, float *dx);
/// U[36][C][F] = G g G^T of each kernel g = k[0..9][c][f] ([3, 3, C, F], Keras's layout).
void dl_wino_kernel(const float *k, long channels, long filters, float *u);
/// dK[3][3][C][F] = G^T dU G: the kernel gradient from dU[36][C][F].
void dl_wino_kernel_grad(const float *du, long channels, long filters, float *dk);

// MARK: - Winograd F(m, r) with 8- or 10-point tiles (Winograd1D.c) for 1-D stride-1
// convolutions, NWC. A pass covers whole series, tilesPerSeries tiles each; the transformed
// buffers hold `points` planes `plane` floats apart, each [tiles][C] (V, dV) or [tiles][F] (M, dM). Each call handles tiles
// [first, end) of the pass and writes only their entries, so parts may run on threads.

/// Most points of a tile (input steps per tile, and transformed values per tile and channel).
#define DL_WINO1D_MAX_POINTS 10

typedef struct {
    long steps, channels, filters;  // the input series and the filters
    long points;                    // 8 or 10: m + r - 1
    long padStart;                  // zero steps before the series
    long outSteps;
    long outPerTile;                // m = points + 1 - kernel
    long tilesPerSeries;            // ceil(outSteps / m)
    const float *inputTransform;    // B^T, [points][points] row-major
    const float *outputTransform;   // A^T, [m][points] row-major
} dl_wino1d_shape;

/// V = B^T d of each tile's `points` input steps (zeros outside the series).
void dl_wino1d_input(const dl_wino1d_shape *shape, const float *x, long first, long end, long plane, float *v);
/// y = A^T M of each tile, cropped to the output; bias and relu as `dl_wino_output`.
void dl_wino1d_output(const dl_wino1d_shape *shape, const float *m, long first, long end, long plane, float *y,
                      const float *bias, int relu);
/// dM = A dY of each tile's m output-gradient steps (zeros past the output).
void dl_wino1d_output_grad(const dl_wino1d_shape *shape, const float *dy, long first, long end, long plane, float *m);
/// dx = the sum of B dV over the tiles, padding dropped; [first, end) holds whole series, whose
/// dx it overwrites.
void dl_wino1d_input_grad(const dl_wino1d_shape *shape, const float *v, long first, long end, long plane, float *dx);

#endif
