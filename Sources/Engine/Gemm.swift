import CBLAS

// The only file that talks to OpenBLAS. Everything else multiplies through `sgemm`,
// so swapping the BLAS (or adding a fallback) touches one place.

/// Row-major single-precision GEMM: `C = alpha * op(A) * op(B) + beta * C`,
/// where `op(A)` is `[m, k]`, `op(B)` is `[k, n]` and `C` is `[m, n]`.
/// `lda`, `ldb`, `ldc` are the row strides of the matrices as stored (before transposing).
@inline(__always)
func sgemm(transposeA: Bool, transposeB: Bool,
           m: Int, n: Int, k: Int,
           alpha: Float = 1,
           a: UnsafePointer<Float>, lda: Int,
           b: UnsafePointer<Float>, ldb: Int,
           beta: Float = 0,
           c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        // BLAS leaves C untouched for k == 0 only when beta == 1; make the empty product explicit.
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } }
        return
    }
    cblas_sgemm(CblasRowMajor,
                transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k),
                alpha, a, blasint(lda), b, blasint(ldb),
                beta, c, blasint(ldc))
}
