// Eight float lanes as the compiler's vector type, for the kernels that work across channels
// (Winograd.c, MaxPool.c): one register under AVX2, two SSE registers in the portable build.
// Each kernel is compiled twice, with `AVX2` and without, and chosen at run time
// (dl_direct_conv_vectorized); with -ffp-contract=off both round every lane the same way.
#ifndef DL_VECTOR_LANES_H
#define DL_VECTOR_LANES_H

#pragma clang diagnostic ignored "-Wpsabi"

#define LANES 8
#define INLINE static inline __attribute__((always_inline))
#define AVX2 __attribute__((target("avx2,fma")))

/// LANES channels at once. Locals stay whole vectors (no per-lane stack traffic).
typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4)));

/// w <= LANES floats from src, zero past w; the whole-vector case is one unaligned load.
INLINE v8 load_lanes(const float *src, int w) {
    if (w == LANES) return *(const v8u *)src;
    v8 r = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int l = 0; l < w; l++) r[l] = src[l];
    return r;
}

INLINE void store_lanes(float *dst, v8 v, int w) {
    if (w == LANES) { *(v8u *)dst = v; return; }
    for (int l = 0; l < w; l++) dst[l] = v[l];
}

INLINE void add_lanes(float *dst, v8 v, int w) {
    if (w == LANES) { *(v8u *)dst = *(v8u *)dst + v; return; }
    for (int l = 0; l < w; l++) dst[l] += v[l];
}

typedef int v8i __attribute__((vector_size(32)));
typedef int v8iu __attribute__((vector_size(32), aligned(4)));

/// After a transform: z + bias, then relu when asked: 0 where 0 > v, as Swift's max(v, 0) (NaN and -0 stay).
INLINE v8 epilogue(v8 z, const float *bias, long f, int w, int relu) {
    if (!bias) return z;
    v8 v = z + load_lanes(bias + f, w);
    if (relu) {
        const v8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
        v8i below = zero > v;
        v = (v8)((v8i)v & ~below);
    }
    return v;
}

/// An AVX2 build and a portable build of an inline kernel `name`, chosen at run time by the caller.
#define ENTRY(name, params, args)                                        \
    AVX2 static void name##_avx2 params { name args; }                   \
    static void name##_portable params { name args; }

#endif
