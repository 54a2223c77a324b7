/// The products of a Winograd pass, one per point of the transformed tile (36 for F(4x4, 3x3),
/// 8 or 10 for the 1-D tiles), over planes `planeV` and `planeM` floats apart: V [tiles, C],
/// M and dM [tiles, F], U and dU [C, F] (contiguous). Each product is one whole sgemm on one
/// thread and threads take whole points, so the result does not depend on how they are shared.
struct WinogradProducts {
    let points: Int, tiles: Int, channels: Int, filters: Int
    let planeV: Int, planeM: Int

    /// M[xi] = V[xi] U[xi].
    func multiply(v: UnsafePointer<Float>, u: UnsafePointer<Float>, into m: UnsafeMutablePointer<Float>) {
        prepareBlasForWorkers()
        forEachPart(of: points, work: tiles * channels * filters * points) { range in
            for xi in range {
                sgemm(transposeA: false, transposeB: false, m: tiles, n: filters, k: channels,
                      a: v + xi * planeV, lda: channels, b: u + xi * channels * filters, ldb: filters,
                      c: m + xi * planeM, ldc: filters, onWorker: true)
            }
        }
    }

    /// dU[xi] = V[xi]^T dM[xi] and, with `inputGradient`, dV[xi] = dM[xi] U[xi]^T written over
    /// V (whose last use is the product before it).
    func backpropagate(v: UnsafeMutablePointer<Float>, dm: UnsafePointer<Float>, u: UnsafePointer<Float>,
                       du: UnsafeMutablePointer<Float>, inputGradient: Bool) {
        prepareBlasForWorkers()
        forEachPart(of: points, work: tiles * channels * filters * points * (inputGradient ? 2 : 1)) { range in
            for xi in range {
                let vPoint = v + xi * planeV, mPoint = dm + xi * planeM, kernelPoint = xi * channels * filters
                // dU = V^T dM: [C, tiles] x [tiles, F]
                sgemm(transposeA: true, transposeB: false, m: channels, n: filters, k: tiles,
                      a: vPoint, lda: channels, b: mPoint, ldb: filters, c: du + kernelPoint, ldc: filters, onWorker: true)
                // dV = dM U^T: [tiles, F] x [F, C]
                if inputGradient {
                    sgemm(transposeA: false, transposeB: true, m: tiles, n: channels, k: filters,
                          a: mPoint, lda: filters, b: u + kernelPoint, ldb: filters, c: vPoint, ldc: channels, onWorker: true)
                }
            }
        }
    }
}
