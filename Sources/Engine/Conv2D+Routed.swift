import CKernels

// The backward pass of an im2col convolution whose relu/leaky-relu output goes straight into max
// pooling with windows that do not overlap (the trainer's `maskingPools`). The pooling routes
// one gradient per window and channel, so of dz only those entries can be non-zero: a quarter
// for 2x2 pooling. Both products of the backward pass (dK = col^T dz and dCol = dz K^T) are then
// sums over those entries alone (CKernels' `dl_routed_*`), about a quarter of sgemm's work.
//
// The kernel gradient is summed per chunk of `routedChunkImages` images, and the chunks are
// added in order, so the result does not depend on how many threads share the chunks. The sums
// add the same non-zero terms as sgemm in another order: they differ from it by rounding only
// (ConvRoutedGradientTests).
extension Conv2D {
    /// Images per partial kernel gradient (fixed, so results do not depend on the thread count).
    static let routedChunkImages = 8

    /// Shortest window (im2col row) the routed pass takes. It reads a window's floats once per
    /// routed entry, with little reuse, where sgemm reuses each load many times over all the
    /// positions: measured per batch of 64 on one core (CPU time, bench harness of the kernels),
    /// the colour CNN's second conv (patch 288, 64 filters) took 13 ms routed against 15.8 ms by
    /// sgemm, LeNet's second (patch 150, 16 filters) 1.0 ms against 1.0-1.2 ms, and a first conv
    /// on RGB (patch 27, 32 filters) 5.7 ms for the kernel gradient alone against 4.9 ms for both
    /// products by sgemm. Windows of at least two whole 96-float segments gain.
    static let routedMinimumPatch = 192

    /// Whether the backward pass may use the routed kernels when a max pooling routes the
    /// gradient (an im2col layer with windows of at least `routedMinimumPatch` floats).
    var routesGradient: Bool { direct == nil && winograd == nil && geometry.patchSize >= Conv2D.routedMinimumPatch }

    /// Fills dk (as [patch, filters]) and, for an inner layer, dcol and dx, from the entries of dz
    /// that `pool` picked in its last training forward pass.
    func backwardRouted(dz: UnsafePointer<Float>, col: UnsafePointer<Float>, kernel k: UnsafePointer<Float>,
                        dcol: UnsafeMutablePointer<Float>?, dx: UnsafeMutablePointer<Float>?,
                        into dk: UnsafeMutablePointer<Float>, pool: Pool2D) {
        let g = geometry, width = filters, patch = g.patchSize, batch = output.rows
        let chunkImages = Conv2D.routedChunkImages
        let chunks = (batch + chunkImages - 1) / chunkImages, chunkSize = patch * width
        chainSums.resize(rows: chunks)
        resizeKeepingCapacity(&routedKernelT, to: chunkSize)
        precondition(pool.argmax.count == batch * pool.geometry.positions * width, "routing pool does not follow this conv")
        // K^T: [filters, patch], so each routed entry adds one contiguous row to dcol.
        for p in 0..<patch { for f in 0..<width { routedKernelT[f * patch + p] = k[p * width + f] } }
        pool.argmax.withUnsafeBufferPointer { argmax in
            var shape = dl_routed_shape(positions: g.positions, patch: patch, filters: width,
                                        pooledPerImage: pool.geometry.positions * width,
                                        argmax: argmax.baseAddress!)
            let scratchSize = dl_routed_scratch_size(&shape)
            resizeKeepingCapacity(&routedScratch, to: chunks * scratchSize)
            routedKernelT.withUnsafeBufferPointer { kT in
                chainSums.data.withUnsafeMutableBufferPointer { sums in
                  routedScratch.withUnsafeMutableBufferPointer { scratch in
                    let sumBase = sums.baseAddress!, kTBase = kT.baseAddress!, scratchBase = scratch.baseAddress!
                    let work = batch * pool.geometry.positions * width * patch * (dcol == nil ? 1 : 2)
                    withUnsafePointer(to: &shape) { s in
                        forEachPart(of: chunks, work: work) { part in
                            for c in part {
                                let first = c * chunkImages, images = min(chunkImages, batch - first)
                                let chunkScratch = scratchBase + c * scratchSize
                                dl_routed_kernel_gradient(s, col, dz, first, images, sumBase + c * chunkSize, chunkScratch)
                                if let dcol, let dx {
                                    dl_routed_column_gradient(s, dz, kTBase, first, images, dcol, chunkScratch)
                                    col2im(dcol + first * g.positions * patch, batch: images, g, into: dx + first * g.inputSize)
                                }
                            }
                        }
                    }
                    // dk[p, f] = ((0 + chunk 0) + chunk 1) + ..., each chunk held as [f, p].
                    dk.update(repeating: 0, count: chunkSize)
                    for c in 0..<chunks {
                        let chunk = sumBase + c * chunkSize
                        for f in 0..<width {
                            for p in 0..<patch { dk[p * width + f] = dk[p * width + f] + chunk[f * patch + p] }
                        }
                    }
                  }
                }
            }
        }
    }
}
