// Winograd F(4x4, 3x3) transforms for 3x3, stride-1 convolutions over NHWC images (Lavin and
// Gray 2015). A 6x6 input tile d and a 3x3 kernel g give a 4x4 output tile
//     Y = A^T [ (G g G^T) . (B^T d B) ] A,
// so the convolution becomes 36 independent products over channels (one per point xi of the
// 6x6 transformed tile), each [tiles, C] x [C, F]: a quarter of the direct method's
// multiply-adds. The backward pass uses the same factorisation transposed:
//     dM = A dY A^T,  dU[xi] = V[xi]^T dM[xi],  dK = G^T dU G,
//     dV[xi] = dM[xi] U[xi]^T,  dd = B dV B^T (added back onto the overlapping input tiles).
// The products run through sgemm (Conv2D+Winograd.swift); this file holds the transforms, each
// vectorised across 8 channels. Compiled with -ffp-contract=off, so the AVX2 build and the
// portable build round every lane the same way: their results are bit-identical.
#include "CKernels.h"
#include <string.h>

#include "VectorLanes.h"

// MARK: - The 1-D transforms (the 2-D ones apply them to columns, then rows)

/// t = B^T d for 6 values d, strided by `ds` vectors in and `ts` out.
INLINE void input_1d(const v8 *d, int ds, v8 *t, int ts) {
    v8 d0 = d[0], d1 = d[ds], d2 = d[2 * ds], d3 = d[3 * ds], d4 = d[4 * ds], d5 = d[5 * ds];
    t[0] = 4 * d0 - 5 * d2 + d4;
    t[ts] = -4 * d1 - 4 * d2 + d3 + d4;
    t[2 * ts] = 4 * d1 - 4 * d2 - d3 + d4;
    t[3 * ts] = -2 * d1 - d2 + 2 * d3 + d4;
    t[4 * ts] = 2 * d1 - d2 - 2 * d3 + d4;
    t[5 * ts] = 4 * d1 - 5 * d3 + d5;
}

/// d = B v for 6 values v: the transpose of `input_1d`.
INLINE void input_grad_1d(const v8 *v, int vs, v8 *d, int ds) {
    v8 v0 = v[0], v1 = v[vs], v2 = v[2 * vs], v3 = v[3 * vs], v4 = v[4 * vs], v5 = v[5 * vs];
    d[0] = 4 * v0;
    d[ds] = -4 * v1 + 4 * v2 - 2 * v3 + 2 * v4 + 4 * v5;
    d[2 * ds] = -5 * v0 - 4 * v1 - 4 * v2 - v3 - v4;
    d[3 * ds] = v1 - v2 + 2 * v3 - 2 * v4 - 5 * v5;
    d[4 * ds] = v0 + v1 + v2 + v3 + v4;
    d[5 * ds] = v5;
}

/// o = A^T m: 6 values to 4.
INLINE void output_1d(const v8 *m, int ms, v8 *o, int os) {
    v8 m0 = m[0], m1 = m[ms], m2 = m[2 * ms], m3 = m[3 * ms], m4 = m[4 * ms], m5 = m[5 * ms];
    v8 a = m1 + m2, b = m1 - m2, c = m3 + m4, e = m3 - m4;
    o[0] = m0 + a + c;
    o[os] = b + 2 * e;
    o[2 * os] = a + 4 * c;
    o[3 * os] = b + 8 * e + m5;
}

/// m = A y: 4 values to 6, the transpose of `output_1d`.
INLINE void output_grad_1d(const v8 *y, int ys, v8 *m, int ms) {
    v8 y0 = y[0], y1 = y[ys], y2 = y[2 * ys], y3 = y[3 * ys];
    v8 even = y0 + y2, odd = y1 + y3, even4 = y0 + 4 * y2, odd4 = 2 * y1 + 8 * y3;
    m[0] = y0;
    m[ms] = even + odd;
    m[2 * ms] = even - odd;
    m[3 * ms] = even4 + odd4;
    m[4 * ms] = even4 - odd4;
    m[5 * ms] = y3;
}

// MARK: - One tile, w <= LANES channels or filters at a time

/// Where tile `t` of a pass starts: its image and its top-left input pixel (may be negative,
/// in the padding).
INLINE void tile_origin(const dl_wino_shape *s, long t, long *image, long *row, long *col) {
    long perImage = s->tilesHigh * s->tilesWide;
    *image = t / perImage;
    long r = t % perImage;
    *row = (r / s->tilesWide) * 4 - s->pad;
    *col = (r % s->tilesWide) * 4 - s->pad;
}

/// v = B^T d B of the 6x6 input tile at (r0, c0) of an NHWC image (zeros outside it),
/// channels [c, c + w).
INLINE void transform_input(const float *image, long r0, long c0, const dl_wino_shape *s, long c, int w, v8 *v) {
    const long C = s->channels, H = s->height, W = s->width;
    const v8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
    v8 d[36], t[36];
    for (int i = 0; i < 6; i++) {
        for (int j = 0; j < 6; j++) {
            long r = r0 + i, q = c0 + j;
            d[i * 6 + j] = r >= 0 && r < H && q >= 0 && q < W ? load_lanes(image + (r * W + q) * C + c, w) : zero;
        }
    }
    for (int j = 0; j < 6; j++) input_1d(d + j, 6, t + j, 6);
    for (int i = 0; i < 6; i++) input_1d(t + i * 6, 1, v + i * 6, 1);
}

/// The 4x4 output tile A^T m A at output pixel (o0, p0), filters [f, f + w), cropped to the
/// output, with the bias and relu of `epilogue`.
INLINE void store_output(const v8 *m, float *image, long o0, long p0, const dl_wino_shape *s, long f, int w,
                         const float *bias, int relu) {
    const long F = s->filters, OH = s->outHeight, OW = s->outWidth;
    v8 t[24], o[16];
    for (int j = 0; j < 6; j++) output_1d(m + j, 6, t + j, 6);
    for (int i = 0; i < 4; i++) output_1d(t + i * 6, 1, o + i * 4, 1);
    for (int i = 0; i < 4 && o0 + i < OH; i++) {
        for (int j = 0; j < 4 && p0 + j < OW; j++) {
            store_lanes(image + ((o0 + i) * OW + p0 + j) * F + f, epilogue(o[i * 4 + j], bias, f, w, relu), w);
        }
    }
}

/// dm = A dY A^T of the 4x4 output-gradient tile at (o0, p0) (zeros outside the output),
/// filters [f, f + w).
INLINE void transform_output_grad(const float *image, long o0, long p0, const dl_wino_shape *s, long f, int w, v8 *dm) {
    const long F = s->filters, OH = s->outHeight, OW = s->outWidth;
    const v8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
    v8 g[16], t[24];
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            g[i * 4 + j] = o0 + i < OH && p0 + j < OW ? load_lanes(image + ((o0 + i) * OW + p0 + j) * F + f, w) : zero;
        }
    }
    // Columns: 4 values to 6 (t is 6 rows of 4), then rows: 4 to 6.
    for (int j = 0; j < 4; j++) output_grad_1d(g + j, 4, t + j, 4);
    for (int i = 0; i < 6; i++) output_grad_1d(t + i * 4, 1, dm + i * 6, 1);
}

/// Adds B dv B^T onto the 6x6 input tile at (r0, c0) of an NHWC image gradient (what falls in
/// the padding is dropped), channels [c, c + w).
INLINE void add_input_grad(const v8 *dv, float *image, long r0, long c0, const dl_wino_shape *s, long c, int w) {
    const long C = s->channels, H = s->height, W = s->width;
    v8 t[36], d[36];
    for (int j = 0; j < 6; j++) input_grad_1d(dv + j, 6, t + j, 6);
    for (int i = 0; i < 6; i++) input_grad_1d(t + i * 6, 1, d + i * 6, 1);
    for (int i = 0; i < 6; i++) {
        long r = r0 + i;
        if (r < 0 || r >= H) continue;
        for (int j = 0; j < 6; j++) {
            long q = c0 + j;
            if (q >= 0 && q < W) add_lanes(image + (r * W + q) * C + c, d[i * 6 + j], w);
        }
    }
}

/// Clears dx of the whole images that tiles [first, end) cover.
INLINE void clear_images(const dl_wino_shape *s, long first, long end, float *dx) {
    const long perImage = s->tilesHigh * s->tilesWide, size = s->height * s->width * s->channels;
    memset(dx + first / perImage * size, 0, sizeof(float) * (size_t)((end - first) / perImage * size));
}

// MARK: - Many channels: the transforms around the 36 products

/// V[xi][t][c] = (B^T d B)[xi] for each tile t in [first, end).
INLINE void input_tiles(const dl_wino_shape *s, const float *x, long first, long end, long plane, float *v) {
    const long C = s->channels;
    for (long tile = first; tile < end; tile++) {
        long n, r0, c0;
        tile_origin(s, tile, &n, &r0, &c0);
        const float *image = x + n * s->height * s->width * C;
        for (long c = 0; c < C; c += LANES) {
            int w = C - c < LANES ? (int)(C - c) : LANES;
            v8 u[36];
            transform_input(image, r0, c0, s, c, w, u);
            for (int xi = 0; xi < 36; xi++) store_lanes(v + xi * plane + tile * C + c, u[xi], w);
        }
    }
}

/// y (NHWC) = A^T M A for each tile in [first, end), cropped to the output.
INLINE void output_tiles(const dl_wino_shape *s, const float *m, long first, long end, long plane, float *y,
                         const float *bias, int relu) {
    const long F = s->filters;
    for (long tile = first; tile < end; tile++) {
        long n, r0, c0;
        tile_origin(s, tile, &n, &r0, &c0);
        float *image = y + n * s->outHeight * s->outWidth * F;
        for (long f = 0; f < F; f += LANES) {
            int w = F - f < LANES ? (int)(F - f) : LANES;
            v8 a[36];
            for (int xi = 0; xi < 36; xi++) a[xi] = load_lanes(m + xi * plane + tile * F + f, w);
            // Output pixels start where the tile's input does, unpadded.
            store_output(a, image, r0 + s->pad, c0 + s->pad, s, f, w, bias, relu);
        }
    }
}

/// dM[xi][t][f] = (A dY A^T)[xi] for each tile in [first, end).
INLINE void output_grad_tiles(const dl_wino_shape *s, const float *dy, long first, long end, long plane, float *m) {
    const long F = s->filters;
    for (long tile = first; tile < end; tile++) {
        long n, r0, c0;
        tile_origin(s, tile, &n, &r0, &c0);
        const float *image = dy + n * s->outHeight * s->outWidth * F;
        for (long f = 0; f < F; f += LANES) {
            int w = F - f < LANES ? (int)(F - f) : LANES;
            v8 a[36];
            transform_output_grad(image, r0 + s->pad, c0 + s->pad, s, f, w, a);
            for (int xi = 0; xi < 36; xi++) store_lanes(m + xi * plane + tile * F + f, a[xi], w);
        }
    }
}

/// dx (NHWC) of the images of tiles [first, end) = the sum over their tiles of B dV B^T
/// (tiles overlap by 2 pixels). The range holds whole images; their dx is cleared first.
INLINE void input_grad_tiles(const dl_wino_shape *s, const float *v, long first, long end, long plane, float *dx) {
    const long C = s->channels;
    clear_images(s, first, end, dx);
    for (long tile = first; tile < end; tile++) {
        long n, r0, c0;
        tile_origin(s, tile, &n, &r0, &c0);
        float *image = dx + n * s->height * s->width * C;
        for (long c = 0; c < C; c += LANES) {
            int w = C - c < LANES ? (int)(C - c) : LANES;
            v8 a[36];
            for (int xi = 0; xi < 36; xi++) a[xi] = load_lanes(v + xi * plane + tile * C + c, w);
            add_input_grad(a, image, r0, c0, s, c, w);
        }
    }
}

// MARK: - Few channels, fused (C <= DL_WINO_FUSED_CHANNELS)

// With a handful of input channels (an RGB or grey first layer) the 36 products have K = C:
// sgemm wastes most of its work, and M (36 x tiles x F) is far larger than the output. These
// passes keep V, M and dM of one tile in registers and multiply in place; only V is stored
// ([tiles][36][C], for the backward pass), next to x and y.

/// One block of w <= LANES filters of one tile: M = V U in registers, then y = A^T M A.
INLINE void small_forward_block(const v8 *v, const float *u, const dl_wino_shape *s, long C, long f, int w,
                                float *out, long o0, long p0, const float *bias, int relu) {
    const long F = s->filters;
    v8 m[36];
    for (int xi = 0; xi < 36; xi++) {
        v8 acc = v[xi][0] * load_lanes(u + (xi * C) * F + f, w);
        for (long c = 1; c < C; c++) acc += v[xi][c] * load_lanes(u + (xi * C + c) * F + f, w);
        m[xi] = acc;
    }
    store_output(m, out, o0, p0, s, f, w, bias, relu);
}

/// y = A^T (V U) A per tile, V kept in `vsave`. U is [36][C][F]. C is a constant where the
/// callers below inline it, so the loops over channels unroll.
INLINE void small_forward_c(const dl_wino_shape *s, const float *x, const float *u, long first, long end,
                            float *vsave, float *y, const float *bias, int relu, const long C) {
    const long F = s->filters;
    for (long tile = first; tile < end; tile++) {
        long n, r0, c0;
        tile_origin(s, tile, &n, &r0, &c0);
        v8 v[36];
        transform_input(x + n * s->height * s->width * C, r0, c0, s, 0, (int)C, v);
        float *saved = vsave + tile * 36 * C;
        for (int xi = 0; xi < 36; xi++) for (long c = 0; c < C; c++) saved[xi * C + c] = v[xi][c];
        float *out = y + n * s->outHeight * s->outWidth * F;
        long o0 = r0 + s->pad, p0 = c0 + s->pad, f = 0;
        for (; f + LANES <= F; f += LANES) small_forward_block(v, u, s, C, f, LANES, out, o0, p0, bias, relu);
        if (f < F) small_forward_block(v, u, s, C, f, (int)(F - f), out, o0, p0, bias, relu);
    }
}

INLINE void small_forward(const dl_wino_shape *s, const float *x, const float *u, long first, long end,
                          float *vsave, float *y, const float *bias, int relu) {
    switch (s->channels) {
    case 1: small_forward_c(s, x, u, first, end, vsave, y, bias, relu, 1); break;
    case 2: small_forward_c(s, x, u, first, end, vsave, y, bias, relu, 2); break;
    case 3: small_forward_c(s, x, u, first, end, vsave, y, bias, relu, 3); break;
    default: small_forward_c(s, x, u, first, end, vsave, y, bias, relu, 4); break;
    }
}

/// One block of w <= LANES filters of one tile: dM = A dY A^T in registers, du += V^T dM and,
/// for dx, dv += dM U^T (8 partial sums per point and channel).
INLINE void small_backward_block(const float *v, const float *grad, const float *u, const dl_wino_shape *s, long C,
                                 long f, int w, long o0, long p0, float *du, v8 *dv, int wantsDx) {
    const long F = s->filters;
    v8 dm[36];
    transform_output_grad(grad, o0, p0, s, f, w, dm);
    for (int xi = 0; xi < 36; xi++) {
        for (long c = 0; c < C; c++) {
            float *dst = du + (xi * C + c) * F + f;
            store_lanes(dst, load_lanes(dst, w) + v[xi * C + c] * dm[xi], w);
            if (wantsDx) dv[xi * C + c] += dm[xi] * load_lanes(u + (xi * C + c) * F + f, w);
        }
    }
}

/// Over tiles [first, end): du[36][C][F] = the sum of V^T dM (overwritten), and when dx is
/// given, dx of those tiles' images (whole images, overwritten) = the sum of B (dM U^T) B^T.
INLINE void small_backward_c(const dl_wino_shape *s, const float *vsave, const float *dy, const float *u,
                             long first, long end, float *du, float *dx, const long C) {
    const long F = s->filters;
    const v8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
    memset(du, 0, sizeof(float) * (size_t)(36 * C * F));
    if (dx) clear_images(s, first, end, dx);
    for (long tile = first; tile < end; tile++) {
        long n, r0, c0;
        tile_origin(s, tile, &n, &r0, &c0);
        const float *v = vsave + tile * 36 * C;
        const float *grad = dy + n * s->outHeight * s->outWidth * F;
        long o0 = r0 + s->pad, p0 = c0 + s->pad, f = 0;
        v8 dv[36 * 4];
        if (dx) for (int k = 0; k < 36 * C; k++) dv[k] = zero;
        for (; f + LANES <= F; f += LANES) small_backward_block(v, grad, u, s, C, f, LANES, o0, p0, du, dv, dx != 0);
        if (f < F) small_backward_block(v, grad, u, s, C, f, (int)(F - f), o0, p0, du, dv, dx != 0);
        if (!dx) continue;
        v8 a[36];
        for (int xi = 0; xi < 36; xi++) {
            v8 lanes = zero;
            for (long c = 0; c < C; c++) {
                v8 p = dv[xi * C + c];
                lanes[c] = ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
            }
            a[xi] = lanes;
        }
        add_input_grad(a, dx + n * s->height * s->width * C, r0, c0, s, 0, (int)C);
    }
}

INLINE void small_backward(const dl_wino_shape *s, const float *vsave, const float *dy, const float *u,
                           long first, long end, float *du, float *dx) {
    switch (s->channels) {
    case 1: small_backward_c(s, vsave, dy, u, first, end, du, dx, 1); break;
    case 2: small_backward_c(s, vsave, dy, u, first, end, du, dx, 2); break;
    case 3: small_backward_c(s, vsave, dy, u, first, end, du, dx, 3); break;
    default: small_backward_c(s, vsave, dy, u, first, end, du, dx, 4); break;
    }
}

// MARK: - Entry points: an AVX2 build and a portable one of each, chosen at run time

ENTRY(input_tiles, (const dl_wino_shape *s, const float *x, long first, long end, long plane, float *v),
      (s, x, first, end, plane, v))
ENTRY(output_tiles, (const dl_wino_shape *s, const float *m, long first, long end, long plane, float *y,
                     const float *bias, int relu),
      (s, m, first, end, plane, y, bias, relu))
ENTRY(output_grad_tiles, (const dl_wino_shape *s, const float *dy, long first, long end, long plane, float *m),
      (s, dy, first, end, plane, m))
ENTRY(input_grad_tiles, (const dl_wino_shape *s, const float *v, long first, long end, long plane, float *dx),
      (s, v, first, end, plane, dx))

ENTRY(small_forward, (const dl_wino_shape *s, const float *x, const float *u, long first, long end, float *v, float *y,
                      const float *bias, int relu),
      (s, x, u, first, end, v, y, bias, relu))
ENTRY(small_backward, (const dl_wino_shape *s, const float *v, const float *dy, const float *u, long first, long end,
                       float *du, float *dx),
      (s, v, dy, u, first, end, du, dx))

void dl_wino_fused_forward(const dl_wino_shape *s, const float *x, const float *u, long first, long end, float *v, float *y,
                           const float *bias, int relu) {
    if (dl_direct_conv_vectorized()) small_forward_avx2(s, x, u, first, end, v, y, bias, relu);
    else small_forward_portable(s, x, u, first, end, v, y, bias, relu);
}

void dl_wino_fused_backward(const dl_wino_shape *s, const float *v, const float *dy, const float *u, long first, long end,
                            float *du, float *dx) {
    if (dl_direct_conv_vectorized()) small_backward_avx2(s, v, dy, u, first, end, du, dx);
    else small_backward_portable(s, v, dy, u, first, end, du, dx);
}

void dl_wino_input(const dl_wino_shape *s, const float *x, long first, long end, long plane, float *v) {
    if (dl_direct_conv_vectorized()) input_tiles_avx2(s, x, first, end, plane, v);
    else input_tiles_portable(s, x, first, end, plane, v);
}

void dl_wino_output(const dl_wino_shape *s, const float *m, long first, long end, long plane, float *y,
                    const float *bias, int relu) {
    if (dl_direct_conv_vectorized()) output_tiles_avx2(s, m, first, end, plane, y, bias, relu);
    else output_tiles_portable(s, m, first, end, plane, y, bias, relu);
}

void dl_wino_output_grad(const dl_wino_shape *s, const float *dy, long first, long end, long plane, float *m) {
    if (dl_direct_conv_vectorized()) output_grad_tiles_avx2(s, dy, first, end, plane, m);
    else output_grad_tiles_portable(s, dy, first, end, plane, m);
}

void dl_wino_input_grad(const dl_wino_shape *s, const float *v, long first, long end, long plane, float *dx) {
    if (dl_direct_conv_vectorized()) input_grad_tiles_avx2(s, v, first, end, plane, dx);
    else input_grad_tiles_portable(s, v, first, end, plane, dx);
}

// MARK: - Kernels (once per pass: C x F small 3x3 matrices, no need for vectors)

void dl_wino_kernel(const float *k, long channels, long filters, float *u) {
    const long cf = channels * filters;
    for (long e = 0; e < cf; e++) {
        float g[9], t[18];
        for (int p = 0; p < 9; p++) g[p] = k[p * cf + e];
        // t = G g (6x3), then U = t G^T (6x6); G's rows: [1/4,0,0], [-1/6,-1/6,-1/6],
        // [-1/6,1/6,-1/6], [1/24,1/12,1/6], [1/24,-1/12,1/6], [0,0,1].
        for (int j = 0; j < 3; j++) {
            float g0 = g[j], g1 = g[3 + j], g2 = g[6 + j];
            t[j] = g0 / 4;
            t[3 + j] = -(g0 + g1 + g2) / 6;
            t[6 + j] = -(g0 - g1 + g2) / 6;
            t[9 + j] = g0 / 24 + g1 / 12 + g2 / 6;
            t[12 + j] = g0 / 24 - g1 / 12 + g2 / 6;
            t[15 + j] = g2;
        }
        for (int i = 0; i < 6; i++) {
            float g0 = t[i * 3], g1 = t[i * 3 + 1], g2 = t[i * 3 + 2];
            float *row = u + (i * 6) * cf + e;
            row[0] = g0 / 4;
            row[cf] = -(g0 + g1 + g2) / 6;
            row[2 * cf] = -(g0 - g1 + g2) / 6;
            row[3 * cf] = g0 / 24 + g1 / 12 + g2 / 6;
            row[4 * cf] = g0 / 24 - g1 / 12 + g2 / 6;
            row[5 * cf] = g2;
        }
    }
}

void dl_wino_kernel_grad(const float *du, long channels, long filters, float *dk) {
    const long cf = channels * filters;
    for (long e = 0; e < cf; e++) {
        float a[36], t[18];
        for (int xi = 0; xi < 36; xi++) a[xi] = du[xi * cf + e];
        // dg = G^T a G: columns first (6 -> 3 per column j), then rows.
        for (int j = 0; j < 6; j++) {
            float u0 = a[j], u1 = a[6 + j], u2 = a[12 + j], u3 = a[18 + j], u4 = a[24 + j], u5 = a[30 + j];
            t[j] = u0 / 4 - u1 / 6 - u2 / 6 + u3 / 24 + u4 / 24;
            t[6 + j] = -u1 / 6 + u2 / 6 + u3 / 12 - u4 / 12;
            t[12 + j] = -u1 / 6 - u2 / 6 + u3 / 6 + u4 / 6 + u5;
        }
        for (int i = 0; i < 3; i++) {
            const float *r = t + i * 6;
            float u0 = r[0], u1 = r[1], u2 = r[2], u3 = r[3], u4 = r[4], u5 = r[5];
            dk[(i * 3) * cf + e] = u0 / 4 - u1 / 6 - u2 / 6 + u3 / 24 + u4 / 24;
            dk[(i * 3 + 1) * cf + e] = -u1 / 6 + u2 / 6 + u3 / 12 - u4 / 12;
            dk[(i * 3 + 2) * cf + e] = -u1 / 6 - u2 / 6 + u3 / 6 + u4 / 6 + u5;
        }
    }
}
