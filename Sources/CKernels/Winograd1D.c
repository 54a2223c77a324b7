// Winograd F(m, r) transforms for 1-D, stride-1 convolutions over NWC series (Lavin and Gray
// 2015, in one dimension), with tiles of P = r + m - 1 = 8 or 10 points: F(6, 3) for a kernel of
// 3, F(6, 5) for a kernel of 5. A tile of P input steps d gives m output steps
//     y = A^T [ (G g) . (B^T d) ],
// so the convolution becomes P independent products over channels (one per point xi), each
// [tiles, C] x [C, F]: m r / P times fewer multiply-adds than the direct sum (2.25x for r = 3,
// 3x for r = 5). The backward pass uses the same factorisation transposed:
//     dM = A dY,  dU[xi] = V[xi]^T dM[xi],  dK = G^T dU,  dV[xi] = dM[xi] U[xi]^T,  dd = B dV.
// The matrices come from Conv1D+Winograd.swift (Cook-Toom), and the products and the kernel
// transforms are sgemm calls there. This file holds the tile transforms, vectorised across 8
// channels or filters, with every sum taken in the same order in both builds
// (-ffp-contract=off): the AVX2 and portable results are bit-identical.
#include "CKernels.h"
#include <string.h>

#include "VectorLanes.h"

/// Where tile `t` of a pass starts: its series and its first input step (negative in the padding).
INLINE void tile_start(const dl_wino1d_shape *s, long t, long *series, long *step) {
    *series = t / s->tilesPerSeries;
    *step = (t % s->tilesPerSeries) * s->outPerTile - s->padStart;
}

// Each pass below takes the tile's points P as a constant (8 or 10, from the entry points at the
// end), so its loops unroll.

/// out[i] = sum over k of matrix[i * P + k] * in[k], k = 0, 1, ... in turn, for `rows` rows.
INLINE void apply(const float *matrix, int rows, const v8 *in, v8 *out, const int P) {
    for (int i = 0; i < rows; i++) {
        v8 acc = matrix[i * P] * in[0];
        for (int k = 1; k < P; k++) acc += matrix[i * P + k] * in[k];
        out[i] = acc;
    }
}

/// out[k] = sum over i of matrix[i * P + k] * in[i], i = 0, 1, ... in turn: the transpose.
INLINE void apply_transposed(const float *matrix, int rows, const v8 *in, v8 *out, const int P) {
    for (int k = 0; k < P; k++) {
        v8 acc = matrix[k] * in[0];
        for (int i = 1; i < rows; i++) acc += matrix[i * P + k] * in[i];
        out[k] = acc;
    }
}

/// V[xi][t][c] = (B^T d)[xi] for each tile t in [first, end), d its P input steps (zeros outside).
INLINE void input_tiles(const dl_wino1d_shape *s, const float *x, long first, long end, long plane, float *v, const int P) {
    const long C = s->channels, T = s->steps;
    const v8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
    for (long tile = first; tile < end; tile++) {
        long n, start;
        tile_start(s, tile, &n, &start);
        const float *series = x + n * T * C;
        for (long c = 0; c < C; c += LANES) {
            int w = C - c < LANES ? (int)(C - c) : LANES;
            v8 d[DL_WINO1D_MAX_POINTS], u[DL_WINO1D_MAX_POINTS];
            for (int j = 0; j < P; j++) {
                long step = start + j;
                d[j] = step >= 0 && step < T ? load_lanes(series + step * C + c, w) : zero;
            }
            apply(s->inputTransform, P, d, u, P);
            for (int xi = 0; xi < P; xi++) store_lanes(v + xi * plane + tile * C + c, u[xi], w);
        }
    }
}

/// y = A^T M of each tile in [first, end), cropped to the output, with the bias and relu of
/// `epilogue`.
INLINE void output_tiles(const dl_wino1d_shape *s, const float *m, long first, long end, long plane, float *y,
                         const float *bias, int relu, const int P) {
    const long F = s->filters, OT = s->outSteps, M = s->outPerTile;
    for (long tile = first; tile < end; tile++) {
        long n, start;
        tile_start(s, tile, &n, &start);
        long o0 = start + s->padStart;  // output steps start where the tile's input does, unpadded
        float *series = y + n * OT * F;
        for (long f = 0; f < F; f += LANES) {
            int w = F - f < LANES ? (int)(F - f) : LANES;
            v8 a[DL_WINO1D_MAX_POINTS], o[DL_WINO1D_MAX_POINTS];
            for (int xi = 0; xi < P; xi++) a[xi] = load_lanes(m + xi * plane + tile * F + f, w);
            apply(s->outputTransform, (int)M, a, o, P);
            for (long i = 0; i < M && o0 + i < OT; i++) store_lanes(series + (o0 + i) * F + f, epilogue(o[i], bias, f, w, relu), w);
        }
    }
}

/// dM[xi][t][f] = (A dY)[xi] for each tile in [first, end), dY its m output steps (zeros past
/// the output).
INLINE void output_grad_tiles(const dl_wino1d_shape *s, const float *dy, long first, long end, long plane, float *m, const int P) {
    const long F = s->filters, OT = s->outSteps, M = s->outPerTile;
    const v8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
    for (long tile = first; tile < end; tile++) {
        long n, start;
        tile_start(s, tile, &n, &start);
        long o0 = start + s->padStart;
        const float *series = dy + n * OT * F;
        for (long f = 0; f < F; f += LANES) {
            int w = F - f < LANES ? (int)(F - f) : LANES;
            v8 g[DL_WINO1D_MAX_POINTS], a[DL_WINO1D_MAX_POINTS];
            for (long i = 0; i < M; i++) g[i] = o0 + i < OT ? load_lanes(series + (o0 + i) * F + f, w) : zero;
            apply_transposed(s->outputTransform, (int)M, g, a, P);
            for (int xi = 0; xi < P; xi++) store_lanes(m + xi * plane + tile * F + f, a[xi], w);
        }
    }
}

/// dx of the series of tiles [first, end) (whole series, cleared first) = the sum over their
/// tiles, in order, of B dV (tiles overlap by r - 1 steps; what falls in the padding is dropped).
INLINE void input_grad_tiles(const dl_wino1d_shape *s, const float *v, long first, long end, long plane, float *dx, const int P) {
    const long C = s->channels, T = s->steps;
    memset(dx + first / s->tilesPerSeries * T * C, 0, sizeof(float) * (size_t)((end - first) / s->tilesPerSeries * T * C));
    for (long tile = first; tile < end; tile++) {
        long n, start;
        tile_start(s, tile, &n, &start);
        float *series = dx + n * T * C;
        for (long c = 0; c < C; c += LANES) {
            int w = C - c < LANES ? (int)(C - c) : LANES;
            v8 a[DL_WINO1D_MAX_POINTS], d[DL_WINO1D_MAX_POINTS];
            for (int xi = 0; xi < P; xi++) a[xi] = load_lanes(v + xi * plane + tile * C + c, w);
            apply_transposed(s->inputTransform, P, a, d, P);
            for (int j = 0; j < P; j++) {
                long step = start + j;
                if (step >= 0 && step < T) add_lanes(series + step * C + c, d[j], w);
            }
        }
    }
}

// MARK: - Entry points: the constant P, then an AVX2 build and a portable one of each

INLINE void input_tiles_any(const dl_wino1d_shape *s, const float *x, long first, long end, long plane, float *v) {
    if (s->points == 10) input_tiles(s, x, first, end, plane, v, 10);
    else input_tiles(s, x, first, end, plane, v, 8);
}

INLINE void output_tiles_any(const dl_wino1d_shape *s, const float *m, long first, long end, long plane, float *y,
                             const float *bias, int relu) {
    if (s->points == 10) output_tiles(s, m, first, end, plane, y, bias, relu, 10);
    else output_tiles(s, m, first, end, plane, y, bias, relu, 8);
}

INLINE void output_grad_tiles_any(const dl_wino1d_shape *s, const float *dy, long first, long end, long plane, float *m) {
    if (s->points == 10) output_grad_tiles(s, dy, first, end, plane, m, 10);
    else output_grad_tiles(s, dy, first, end, plane, m, 8);
}

INLINE void input_grad_tiles_any(const dl_wino1d_shape *s, const float *v, long first, long end, long plane, float *dx) {
    if (s->points == 10) input_grad_tiles(s, v, first, end, plane, dx, 10);
    else input_grad_tiles(s, v, first, end, plane, dx, 8);
}

ENTRY(input_tiles_any, (const dl_wino1d_shape *s, const float *x, long first, long end, long plane, float *v),
      (s, x, first, end, plane, v))
ENTRY(output_tiles_any, (const dl_wino1d_shape *s, const float *m, long first, long end, long plane, float *y,
                         const float *bias, int relu),
      (s, m, first, end, plane, y, bias, relu))
ENTRY(output_grad_tiles_any, (const dl_wino1d_shape *s, const float *dy, long first, long end, long plane, float *m),
      (s, dy, first, end, plane, m))
ENTRY(input_grad_tiles_any, (const dl_wino1d_shape *s, const float *v, long first, long end, long plane, float *dx),
      (s, v, first, end, plane, dx))

void dl_wino1d_input(const dl_wino1d_shape *s, const float *x, long first, long end, long plane, float *v) {
    if (dl_direct_conv_vectorized()) input_tiles_any_avx2(s, x, first, end, plane, v);
    else input_tiles_any_portable(s, x, first, end, plane, v);
}

void dl_wino1d_output(const dl_wino1d_shape *s, const float *m, long first, long end, long plane, float *y,
                      const float *bias, int relu) {
    if (dl_direct_conv_vectorized()) output_tiles_any_avx2(s, m, first, end, plane, y, bias, relu);
    else output_tiles_any_portable(s, m, first, end, plane, y, bias, relu);
}

void dl_wino1d_output_grad(const dl_wino1d_shape *s, const float *dy, long first, long end, long plane, float *m) {
    if (dl_direct_conv_vectorized()) output_grad_tiles_any_avx2(s, dy, first, end, plane, m);
    else output_grad_tiles_any_portable(s, dy, first, end, plane, m);
}

void dl_wino1d_input_grad(const dl_wino1d_shape *s, const float *v, long first, long end, long plane, float *dx) {
    if (dl_direct_conv_vectorized()) input_grad_tiles_any_avx2(s, v, first, end, plane, dx);
    else input_grad_tiles_any_portable(s, v, first, end, plane, dx);
}
