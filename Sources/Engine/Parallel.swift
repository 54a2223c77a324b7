import Dispatch
import Foundation

// Batch-level parallelism for the layers' own loops (im2col, col2im, pooling, activations) and
// for cutting one small product into blocks of rows. Every split here is along a dimension whose
// parts are computed independently (images of a batch, rows of a product), never along a sum,
// so a result is bit-identical however many parts it is cut into; the tests compare threaded
// training with `Trainer.setSingleThreaded(true)` training bit for bit.

/// How many parts work is cut into: the machine's cores, and 1 (run on the caller's thread)
/// while `Trainer.setSingleThreaded(true)` is in effect, so concurrent trainers each stay on
/// their own thread and never queue behind one another on Dispatch's shared pool.
var parallelParts: Int { blasIsSingleThreaded ? 1 : availableCores }

/// Active cores at start-up, at least 1.
private let availableCores = max(1, ProcessInfo.processInfo.activeProcessorCount)

/// Below this many scalars touched, a pass runs on the caller's thread: waking a second thread
/// costs a few microseconds, more than a pass over a few hundred KiB saves.
let parallelMinimumWork = 1 << 15

/// Scalars of a light pass (a multiply-add or two each: batch norm's, an activation layer's)
/// per unit of `work`: such a pass pays for a second thread only over 8 times as many scalars
/// as a product does. Measured on the digits CNN with two batchnorm and activation layers
/// (40 epochs, 2 cores): 2.7-3.2 s split at the products' threshold, 1.9 s at this one.
let lightPassScalarsPerWork = 8

/// Calls `body` once per consecutive sub-range of `0..<count`, on up to `parallelParts` threads
/// at once when `work` (scalars touched, or multiply-adds) is at least `parallelMinimumWork`;
/// otherwise once with the whole range on the caller's thread. Cuts fall on multiples of
/// `granule` (see `sgemmRowGranule`). `body` must only write what its own range owns.
@inline(__always)
func forEachPart(of count: Int, granule: Int = 1, work: Int, _ body: (Range<Int>) -> Void) {
    let parts = min(parallelParts, count / granule)
    guard parts > 1, work >= parallelMinimumWork else {
        if count > 0 { body(0..<count) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: parts) { part in
        let start = count * part / parts / granule * granule
        let end = part == parts - 1 ? count : count * (part + 1) / parts / granule * granule
        body(start..<end)
    }
}

/// Rows of a row-major product that may start a block computed by a separate `sgemm` call.
/// OpenBLAS's micro-kernels handle our rows in groups of a few (6 on this machine's kernel) and
/// sum some group positions in a different order than others, so a block must begin where a
/// group of the whole product would begin: at a multiple of every usual group size (1-48).
/// Checked bit for bit against the whole product by `ParallelLayerTests` and
/// `testSgemmRowBlocksMatchTheWholeProduct`.
let sgemmRowGranule = 48

/// Images per block so that a block of images starts at a multiple of `sgemmRowGranule` rows,
/// with `rowsPerImage` product rows per image.
func imageGranule(rowsPerImage: Int) -> Int {
    var (a, b) = (max(rowsPerImage, 1), sgemmRowGranule)
    while b != 0 { (a, b) = (b, a % b) }
    return sgemmRowGranule / a
}
