// The only file that calls OpenBLAS (opened in OpenBLAS.swift). Everything else multiplies
// through `sgemm`, so swapping the BLAS (or adding a fallback) touches one place.

/// Row-major single-precision GEMM: `C = alpha * op(A) * op(B) + beta * C`,
/// where `op(A)` is `[m, k]`, `op(B)` is `[k, n]` and `C` is `[m, n]`.
/// `lda`, `ldb`, `ldc` are the row strides of the matrices as stored (before transposing).
/// `onWorker`: the caller is one of several threads multiplying at once, after
/// `prepareBlasForWorkers()`; the product then runs on its thread whatever its size.
@inline(__always)
func sgemm(transposeA: Bool, transposeB: Bool,
           m: Int, n: Int, k: Int,
           alpha: Float = 1,
           a: UnsafePointer<Float>, lda: Int,
           b: UnsafePointer<Float>, ldb: Int,
           beta: Float = 0,
           c: UnsafeMutablePointer<Float>, ldc: Int, onWorker: Bool = false) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        // BLAS leaves C untouched for k == 0 only when beta == 1; make the empty product explicit.
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } }
        return
    }
    if !onWorker { useBlasThreads(m: m, n: n, k: k) }
    OpenBLAS.library.sgemm(OpenBLAS.rowMajor,
                           transposeA ? OpenBLAS.transpose : OpenBLAS.noTranspose,
                           transposeB ? OpenBLAS.transpose : OpenBLAS.noTranspose,
                           Int32(m), Int32(n), Int32(k),
                           alpha, a, Int32(lda), b, Int32(ldb),
                           beta, c, Int32(ldc))
}

// MARK: - Threading

/// Below this many multiply-adds OpenBLAS runs on one thread. The im2col products of a small
/// CNN (e.g. [50176, 25] x [25, 6] for LeNet's first conv at batch 64) are memory bound and
/// skinny: a second thread cannot split them usefully, and its spin-wait/yield hand-off cost
/// more than the product itself (LeNet-5 epoch: 0.9 s on one thread, 1.8-3.8 s on two on a
/// 2-core machine that is also doing other work). Products of a few million multiply-adds
/// do run faster on two threads in isolation, but interleaved with the single-threaded layer
/// code a limit of 2^20 still doubled the epoch (0.72 s -> 0.9-1.6 s); from 2^24 (e.g.
/// 64x1024 times 1024x256) two threads halve the time and are worth their hand-off.
let blasSingleThreadLimit = 1 << 24
/// Products that are not skinny (every side at least `blasFatSide`) go to all threads from
/// this size: an MLP's 128x784 times 784x128 (12.8 M) gains most from the second core
/// (MLP epoch at batch 128: 0.27 s -> 0.175 s), while the skinny im2col products of
/// a CNN (6 or 16 filters) keep the 2^24 limit above.
let blasFatProductLimit = 1 << 23
let blasFatSide = 64

/// OpenBLAS's thread count as last set here (0: not yet set).
nonisolated(unsafe) private var blasThreadsInUse = 0
/// When true every product runs on one OpenBLAS thread and `sgemm` touches no global state, so
/// several threads may multiply at once. Written only by `setBlasSingleThreaded`, which callers
/// run before they start training on more than one thread; afterwards it is only read.
nonisolated(unsafe) private var blasPinnedToOneThread = false

/// Switches OpenBLAS to one thread for small products and back to its default for large ones,
/// calling into OpenBLAS only when the choice changes. Does nothing while pinned to one thread:
/// the check-then-set below is not atomic, and `openblas_set_num_threads` must not run while
/// another thread is inside a threaded product.
@inline(__always)
private func useBlasThreads(m: Int, n: Int, k: Int) {
    if blasPinnedToOneThread { return }
    let wanted = blasWouldThread(m: m, n: n, k: k) ? OpenBLAS.library.defaultThreads : 1
    guard wanted != blasThreadsInUse else { return }
    OpenBLAS.library.setThreads(Int32(wanted))
    blasThreadsInUse = wanted
}

/// Puts OpenBLAS on one thread before products it would not thread run on several of
/// our own threads at once: their `sgemm` calls then find the setting already right and only
/// read the globals above, never calling `openblas_set_num_threads` while another product runs.
func prepareBlasForWorkers() { useBlasThreads(m: 0, n: 0, k: 0) }

/// Whether OpenBLAS runs an [m, k] x [k, n] product on all its threads (when not pinned):
/// large ones, and fat ones (every side at least `blasFatSide`) from `blasFatProductLimit`.
/// Layers that split their own work over threads keep such products whole.
func blasWouldThread(m: Int, n: Int, k: Int) -> Bool {
    let work = m * n * k
    return work >= blasSingleThreadLimit || (min(m, n, k) >= blasFatSide && work >= blasFatProductLimit)
}

/// Pins OpenBLAS to one thread (`on`) or returns to choosing per product size (`off`).
/// Not thread-safe itself: call it while no product is running. One-thread OpenBLAS computes
/// each product on the calling thread, so concurrent callers do not share its thread pool.
/// Products of at least `blasSingleThreadLimit` multiply-adds may round differently pinned than
/// threaded (OpenBLAS's threaded driver blocks them differently); smaller ones are unaffected.
func setBlasSingleThreaded(_ on: Bool) {
    blasPinnedToOneThread = on
    if blasThreadsInUse != 1 {
        OpenBLAS.library.setThreads(1)
        blasThreadsInUse = 1
    }
}

/// Whether OpenBLAS is pinned to one thread.
var blasIsSingleThreaded: Bool { blasPinnedToOneThread }
