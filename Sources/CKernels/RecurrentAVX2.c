// The LSTM's gate passes (LSTM.swift) in AVX2 vectors, compiled for those instructions function
// by function and called only where dl_direct_conv_vectorized() says the CPU has them. They do
// the same operations in the same order as the Swift lanes in GateMath.swift and LSTM.swift
// (no fused multiply-adds: this target builds with -ffp-contract=off), so either path gives the
// same bits; the Swift ones are compiled for baseline x86-64, two SSE halves per 8 lanes.
#include "CKernels.h"
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,fma")))
#define INLINE TARGET static inline __attribute__((always_inline))

/// e^x as GateMath.swift's laneExp: clamp to ±87, Cephes's range reduction and polynomial.
INLINE __m256 lane_exp(__m256 x) {
    // Constant first: maxps/minps return their second operand for NaN, which stays NaN as in Swift.
    x = _mm256_max_ps(_mm256_set1_ps(-87.0f), x);
    x = _mm256_min_ps(_mm256_set1_ps(87.0f), x);
    const __m256 shifter = _mm256_set1_ps(12582912.0f);
    __m256 shifted = _mm256_add_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504f)), shifter);
    __m256 n = _mm256_sub_ps(shifted, shifter);
    __m256 r = _mm256_add_ps(_mm256_sub_ps(x, _mm256_mul_ps(n, _mm256_set1_ps(0.693359375f))),
                             _mm256_mul_ps(n, _mm256_set1_ps(2.1219444e-4f)));
    __m256 p = _mm256_set1_ps(1.98756915e-4f);
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(5.0000001201e-1f));
    __m256 poly = _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(p, r), r), r), _mm256_set1_ps(1.0f));
    __m256i bits = _mm256_sub_epi32(_mm256_castps_si256(shifted), _mm256_castps_si256(shifter));
    __m256 scale = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(bits, _mm256_set1_epi32(127)), 23));
    return _mm256_mul_ps(poly, scale);
}

INLINE __m256 lane_sigmoid(__m256 x) {
    const __m256 one = _mm256_set1_ps(1.0f);
    return _mm256_div_ps(one, _mm256_add_ps(one, lane_exp(_mm256_xor_ps(x, _mm256_set1_ps(-0.0f)))));
}

INLINE __m256 lane_tanh(__m256 x) {
    const __m256 one = _mm256_set1_ps(1.0f);
    return _mm256_sub_ps(one, _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(lane_exp(_mm256_add_ps(x, x)), one)));
}

TARGET void dl_lstm_forward_rows(float *z, const float *bias, const float *cPrev, float *c, float *cellTanh,
                                 float *h, long rows, long units) {
    const long width = 4 * units;
    for (long b = 0; b < rows; b++) {
        float *row = z + b * width;
        const float *cp = cPrev + b * units;
        float *cb = c + b * units, *tc = cellTanh + b * units, *hb = h + b * units;
        for (long j = 0; j < width; j += 8) {
            __m256 v = _mm256_add_ps(_mm256_loadu_ps(row + j), _mm256_loadu_ps(bias + j));
            int isTanh = j >= 2 * units && j < 3 * units;
            _mm256_storeu_ps(row + j, isTanh ? lane_tanh(v) : lane_sigmoid(v));
        }
        const float *i = row, *f = row + units, *g = row + 2 * units, *o = row + 3 * units;
        for (long u = 0; u < units; u += 8) {
            __m256 cv = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(f + u), _mm256_loadu_ps(cp + u)),
                                      _mm256_mul_ps(_mm256_loadu_ps(i + u), _mm256_loadu_ps(g + u)));
            __m256 tv = lane_tanh(cv);
            _mm256_storeu_ps(cb + u, cv);
            _mm256_storeu_ps(tc + u, tv);
            _mm256_storeu_ps(hb + u, _mm256_mul_ps(_mm256_loadu_ps(o + u), tv));
        }
    }
}

TARGET void dl_lstm_backward_rows(const float *activations, const float *cPrev, const float *cellTanh,
                                  float *dh, float *dc, float *dz, long rows, long units) {
    const long width = 4 * units;
    const __m256 one = _mm256_set1_ps(1.0f);
    for (long b = 0; b < rows; b++) {
        const float *row = activations + b * width;
        const float *i = row, *f = row + units, *g = row + 2 * units, *o = row + 3 * units;
        float *dRow = dz + b * width;
        const float *cp = cPrev + b * units, *tcb = cellTanh + b * units;
        float *dhb = dh + b * units, *dcb = dc + b * units;
        for (long u = 0; u < units; u += 8) {
            __m256 vi = _mm256_loadu_ps(i + u), vf = _mm256_loadu_ps(f + u);
            __m256 vg = _mm256_loadu_ps(g + u), vo = _mm256_loadu_ps(o + u);
            __m256 tc = _mm256_loadu_ps(tcb + u), vdh = _mm256_loadu_ps(dhb + u);
            __m256 total = _mm256_add_ps(_mm256_loadu_ps(dcb + u),
                                         _mm256_mul_ps(_mm256_mul_ps(vdh, vo), _mm256_sub_ps(one, _mm256_mul_ps(tc, tc))));
            _mm256_storeu_ps(dRow + 3 * units + u,
                             _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(vdh, tc), vo), _mm256_sub_ps(one, vo)));
            _mm256_storeu_ps(dRow + u,
                             _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(total, vg), vi), _mm256_sub_ps(one, vi)));
            _mm256_storeu_ps(dRow + 2 * units + u,
                             _mm256_mul_ps(_mm256_mul_ps(total, vi), _mm256_sub_ps(one, _mm256_mul_ps(vg, vg))));
            _mm256_storeu_ps(dRow + units + u,
                             _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(total, _mm256_loadu_ps(cp + u)), vf),
                                           _mm256_sub_ps(one, vf)));
            _mm256_storeu_ps(dcb + u, _mm256_mul_ps(total, vf));
        }
    }
}
