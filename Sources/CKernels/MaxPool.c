// Max pooling over NHWC images, eight channels at a time: the window maxima and, per output
// scalar, the index within its image of the maximum. The same compare-and-select as a scalar
// loop (`value > best`, in window order), so ties keep the first and NaN never replaces.
#include "CKernels.h"
#include "VectorLanes.h"

INLINE void max_pool(const dl_pool_shape *s, const float *x, long images, float *y, int *argmax) {
    const long C = s->channels, W = s->width, k = s->size, imageSize = s->height * W * C;
    const v8i lanes = {0, 1, 2, 3, 4, 5, 6, 7};
    for (long n = 0; n < images; n++) {
        const float *image = x + n * imageSize;
        float *out = y + n * s->outHeight * s->outWidth * C;
        int *index = argmax + n * s->outHeight * s->outWidth * C;
        for (long oy = 0; oy < s->outHeight; oy++) {
            for (long ox = 0; ox < s->outWidth; ox++) {
                const long first = (oy * s->stride * W + ox * s->stride) * C;
                for (long c = 0; c < C; c += LANES) {
                    int w = C - c < LANES ? (int)(C - c) : LANES;
                    v8 best = load_lanes(image + first + c, w);
                    v8i bestIndex = (int)(first + c) + lanes;
                    for (long ky = 0; ky < k; ky++) {
                        for (long kx = 0; kx < k; kx++) {
                            const long p = first + (ky * W + kx) * C + c;
                            v8 value = load_lanes(image + p, w);
                            v8i greater = value > best;
                            bestIndex = (greater & ((int)p + lanes)) | (~greater & bestIndex);
                            best = (v8)((greater & (v8i)value) | (~greater & (v8i)best));
                        }
                    }
                    store_lanes(out + c, best, w);
                    if (w == LANES) *(v8iu *)(index + c) = bestIndex;
                    else for (int l = 0; l < w; l++) index[c + l] = bestIndex[l];
                }
                out += C;
                index += C;
            }
        }
    }
}

AVX2 static void max_pool_avx2(const dl_pool_shape *s, const float *x, long images, float *y, int *argmax) {
    max_pool(s, x, images, y, argmax);
}

static void max_pool_portable(const dl_pool_shape *s, const float *x, long images, float *y, int *argmax) {
    max_pool(s, x, images, y, argmax);
}

void dl_max_pool(const dl_pool_shape *s, const float *x, long images, float *y, int *argmax) {
    if (dl_direct_conv_vectorized()) max_pool_avx2(s, x, images, y, argmax);
    else max_pool_portable(s, x, images, y, argmax);
}

/// The routed backward pass when windows tile the image exactly (stride = size, no pixel left
/// over): each window's rows are cleared and its one routed gradient per channel written at
/// once, while those cache lines are at hand, instead of clearing whole images first and
/// scattering afterwards. The values are those of that two-pass version: 0 + gy (so -0 becomes
/// +0, as adding to a cleared gradient does), then the conv's relu mask through `slope`.
INLINE void max_pool_backward_routed(const dl_pool_shape *s, const float *gy, const float *y, const int *argmax,
                                     long images, float slope, float *dx) {
    const v8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
    const long C = s->channels, W = s->width, k = s->size, imageSize = s->height * W * C;
    const long perImage = s->outHeight * s->outWidth * C;
    for (long n = 0; n < images; n++) {
        float *image = dx + n * imageSize;
        for (long oy = 0; oy < s->outHeight; oy++) {
            for (long ox = 0; ox < s->outWidth; ox++) {
                const long first = (oy * k * W + ox * k) * C;
                // Vector stores, not memset: a call per window row cost more than the clearing.
                for (long ky = 0; ky < k; ky++) {
                    float *row = image + first + ky * W * C;
                    for (long i = 0; i < k * C; i += LANES) store_lanes(row + i, zero, k * C - i < LANES ? (int)(k * C - i) : LANES);
                }
                const long out = n * perImage + (oy * s->outWidth + ox) * C;
                for (long c = 0; c < C; c++) {
                    float v = 0.0f + gy[out + c];
                    image[argmax[out + c]] = y[out + c] > 0 ? v : v * slope;
                }
            }
        }
    }
}

AVX2 static void backward_routed_avx2(const dl_pool_shape *s, const float *gy, const float *y, const int *argmax,
                                      long images, float slope, float *dx) {
    max_pool_backward_routed(s, gy, y, argmax, images, slope, dx);
}

static void backward_routed_portable(const dl_pool_shape *s, const float *gy, const float *y, const int *argmax,
                                     long images, float slope, float *dx) {
    max_pool_backward_routed(s, gy, y, argmax, images, slope, dx);
}

void dl_max_pool_backward_routed(const dl_pool_shape *s, const float *gy, const float *y, const int *argmax,
                                 long images, float slope, float *dx) {
    if (dl_direct_conv_vectorized()) backward_routed_avx2(s, gy, y, argmax, images, slope, dx);
    else backward_routed_portable(s, gy, y, argmax, images, slope, dx);
}
