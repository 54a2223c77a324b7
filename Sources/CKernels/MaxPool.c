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
