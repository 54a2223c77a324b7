import CKernels

/// The Winograd F(4x4, 3x3) factorisation of a 3x3, stride-1 convolution (CKernels' Winograd.c):
/// each 6x6 input tile and each kernel are transformed, the convolution becomes 36 independent
/// products over channels ([tiles, C] x [C, F], one per point of the transformed tile), and the
/// products are transformed back into 4x4 output tiles. A quarter of im2col's multiply-adds, in
/// the forward pass and in both products of the backward pass.
///
/// It rounds differently from im2col + sgemm (the transforms add and scale before the products):
/// results agree with the direct sum to a few 1e-6 of the outputs' size (up to 4e-6 measured on
/// the colour CNN's second conv; ConvWinogradTests allows 1e-5).
struct WinogradConvolution {
    /// Channels from 5 to this minus 1 are left to im2col: over so few channels the 36 products
    /// (K = C) waste most of sgemm, and the transforms cost more than they save. Up to
    /// `fusedChannels` the fused passes multiply in registers instead (the RGB or grey first layer).
    static let minimumChannels = 8
    static let fusedChannels = Int(DL_WINO_FUSED_CHANNELS)

    let shape: dl_wino_shape
    let channels: Int, filters: Int
    var tilesPerImage: Int { shape.tilesHigh * shape.tilesWide }
    /// Few channels: one tile at a time, with no product buffers (`dl_wino_fused_*`).
    var fused: Bool { channels <= WinogradConvolution.fusedChannels }

    /// Floats per image in the transformed input (and its gradient) and in the products.
    var inputFloatsPerImage: Int { 36 * tilesPerImage * channels }
    var productFloatsPerImage: Int { fused ? 0 : 36 * tilesPerImage * filters }
    /// Transformed kernels U (and their gradient dU): 36 planes of [C, F].
    var kernelFloats: Int { 36 * channels * filters }

    /// For a 3x3, stride-1 geometry with at most `fusedChannels` or at least `minimumChannels`
    /// channels; nil otherwise.
    init?(geometry g: WindowGeometry, kernelHeight: Int, kernelWidth: Int, stride: Int, filters: Int) {
        guard kernelHeight == 3, kernelWidth == 3, stride == 1, g.outHeight > 0, g.outWidth > 0,
              g.channels <= WinogradConvolution.fusedChannels || g.channels >= WinogradConvolution.minimumChannels,
              g.padTop == g.padLeft, g.padTop <= 1 else { return nil }
        shape = dl_wino_shape(height: g.inHeight, width: g.inWidth, channels: g.channels, filters: filters, pad: g.padTop,
                              outHeight: g.outHeight, outWidth: g.outWidth,
                              tilesHigh: (g.outHeight + 3) / 4, tilesWide: (g.outWidth + 3) / 4)
        channels = g.channels
        self.filters = filters
    }

    /// Floats between the 36 planes of a transformed buffer for `images` images of `width`
    /// (C or F) floats a tile. The 16 extra floats keep the planes from lying a multiple of 4 KiB
    /// apart: the transforms touch all 36 at once, and at such strides they share the L1 cache's
    /// sets (measured on the colour CNN's second conv, batch 64, one core: 5.6 ms of transforms
    /// at 16-float-free strides, 3.5 ms with them).
    func plane(images: Int, width: Int) -> Int { images * tilesPerImage * width + 16 }
}

extension Conv2D {
    /// Linear and relu layers get their bias and activation in the output transform; the others
    /// get the bare sums and `finishActivation`.
    private var activationInTransform: Bool { activation.fitsTransformEpilogue }

    func epilogueBias(_ bias: UnsafePointer<Float>) -> UnsafePointer<Float>? { activationInTransform ? bias : nil }

    func finishActivation(_ y: UnsafeMutablePointer<Float>, rows: Int, bias: UnsafePointer<Float>) {
        if !activationInTransform { activation.applyWithBias(y, rows: rows, width: filters, bias: bias) }
    }

    /// Floats a Winograd pass may hold per buffer in inference (as im2col's columns).
    static var winogradInferenceLimit: Int { inferenceColumnLimit }

    // x -> V (transformed tiles) -> M = V U per point -> y = the inverse transform, then bias and
    // activation. A training pass keeps V (and U) for the kernel gradient.
    func forwardWinograd(_ input: Tensor, _ plan: WinogradConvolution, training: Bool) {
        if plan.fused { return forwardFused(input, plan, training: training) }
        let batch = input.rows, width = filters, g = geometry, tiles = plan.tilesPerImage
        let imagesPerPass = training ? batch
            : max(1, min(batch, Conv2D.winogradInferenceLimit / max(plan.productFloatsPerImage, plan.inputFloatsPerImage)))
        let planeV = plan.plane(images: imagesPerPass, width: plan.channels)
        let planeM = plan.plane(images: imagesPerPass, width: width)
        resizeKeepingCapacity(&winogradInput, to: 36 * planeV)
        resizeKeepingCapacity(&winogradProducts, to: 36 * planeM)
        resizeKeepingCapacity(&winogradKernel, to: plan.kernelFloats)
        output.resize(rows: batch)
        var shape = plan.shape
        input.data.withUnsafeBufferPointer { x in
            kernel.value.data.withUnsafeBufferPointer { k in
                bias.value.data.withUnsafeBufferPointer { b in
                    output.data.withUnsafeMutableBufferPointer { y in
                        winogradInput.withUnsafeMutableBufferPointer { v in
                            winogradProducts.withUnsafeMutableBufferPointer { m in
                                winogradKernel.withUnsafeMutableBufferPointer { u in
                                    guard batch > 0 else { return }
                                    let (vBase, mBase, uBase, bBase) = (v.baseAddress!, m.baseAddress!, u.baseAddress!, b.baseAddress!)
                                    dl_wino_kernel(k.baseAddress!, plan.channels, width, uBase)
                                    var first = 0
                                    while first < batch {
                                        let images = min(imagesPerPass, batch - first)
                                        let xPass = x.baseAddress! + first * g.inputSize
                                        let yPass = y.baseAddress! + first * g.positions * width
                                        let passTiles = images * tiles
                                        // Tiles are independent: each thread transforms its images' tiles.
                                        forEachPart(of: images, work: images * plan.inputFloatsPerImage * 4) { part in
                                            dl_wino_input(&shape, xPass, part.lowerBound * tiles, part.upperBound * tiles, planeV, vBase)
                                        }
                                        WinogradProducts(points: 36, tiles: passTiles, channels: plan.channels, filters: width,
                                                         planeV: planeV, planeM: planeM).multiply(v: vBase, u: uBase, into: mBase)
                                        forEachPart(of: images, work: images * plan.productFloatsPerImage * 4) { part in
                                            dl_wino_output(&shape, mBase, part.lowerBound * tiles, part.upperBound * tiles, planeM, yPass,
                                                           epilogueBias(bBase), activation == .relu ? 1 : 0)
                                            finishActivation(yPass + part.lowerBound * g.positions * width, rows: part.count * g.positions, bias: bBase)
                                        }
                                        first += images
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // dz -> dM (transformed) -> dU[xi] = V[xi]^T dM[xi] -> dK; dV[xi] = dM[xi] U[xi]^T -> dx.
    // Bias gradient: column sums of dz, as on the other paths.
    func backwardWinograd(_ dzTensor: Tensor, _ plan: WinogradConvolution) -> Tensor {
        if plan.fused { return backwardFused(dzTensor, plan) }
        let batch = output.rows, width = filters, g = geometry, tiles = plan.tilesPerImage
        let passTiles = batch * tiles, wantsInput = computesInputGradient
        let planeV = plan.plane(images: batch, width: plan.channels)
        let planeM = plan.plane(images: batch, width: width)
        precondition(winogradInput.count >= 36 * planeV, "Winograd backward without its training pass")
        resizeKeepingCapacity(&winogradKernelGradient, to: plan.kernelFloats)
        if wantsInput { gradInput.resize(rows: batch) }
        var shape = plan.shape
        dzTensor.data.withUnsafeBufferPointer { dz in
            kernel.gradient.data.withUnsafeMutableBufferPointer { dk in
                bias.gradient.data.withUnsafeMutableBufferPointer { db in
                    winogradInput.withUnsafeMutableBufferPointer { v in
                        winogradProducts.withUnsafeMutableBufferPointer { m in
                            winogradKernel.withUnsafeBufferPointer { u in
                                winogradKernelGradient.withUnsafeMutableBufferPointer { du in
                                    gradInput.data.withUnsafeMutableBufferPointer { dx in
                                        db.update(repeating: 0)
                                        guard batch > 0 else { dk.update(repeating: 0); return }
                                        let (vBase, mBase, uBase, duBase) = (v.baseAddress!, m.baseAddress!, u.baseAddress!, du.baseAddress!)
                                        let dzBase = dz.baseAddress!, dxBase = dx.baseAddress
                                        forEachPart(of: batch, work: batch * plan.productFloatsPerImage * 4) { part in
                                            dl_wino_output_grad(&shape, dzBase, part.lowerBound * tiles, part.upperBound * tiles, planeM, mBase)
                                        }
                                        WinogradProducts(points: 36, tiles: passTiles, channels: plan.channels, filters: width,
                                                         planeV: planeV, planeM: planeM)
                                            .backpropagate(v: vBase, dm: mBase, u: uBase, du: duBase, inputGradient: wantsInput)
                                        dl_wino_kernel_grad(duBase, plan.channels, width, dk.baseAddress!)
                                        if wantsInput, let dxBase {
                                            forEachPart(of: batch, work: batch * plan.inputFloatsPerImage * 4) { part in
                                                dl_wino_input_grad(&shape, vBase, part.lowerBound * tiles, part.upperBound * tiles, planeV, dxBase)
                                            }
                                        }
                                        columnSums(dzBase, rows: batch * g.positions, width: width, into: db.baseAddress!)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // V now holds dV: a second backward needs a new training pass (hasTrainingPass says so).
        guard wantsInput else { return skippedGradient }
        return gradInput
    }
}

// The fused passes, for few channels: V is kept per tile ([tiles][36][C], the whole batch: it is
// small), the products never leave the registers.
extension Conv2D {
    /// Images per partial kernel gradient of the fused backward pass (fixed, so the result does
    /// not depend on how many threads share the chunks; the chunks are added in order).
    static let fusedChunkImages = 8

    func forwardFused(_ input: Tensor, _ plan: WinogradConvolution, training: Bool) {
        let batch = input.rows, width = filters, g = geometry, tiles = plan.tilesPerImage
        // Training keeps V for the whole batch; inference goes through in passes of bounded V.
        let imagesPerPass = training ? batch : max(1, min(batch, Conv2D.winogradInferenceLimit / plan.inputFloatsPerImage))
        resizeKeepingCapacity(&winogradInput, to: imagesPerPass * plan.inputFloatsPerImage)
        resizeKeepingCapacity(&winogradKernel, to: plan.kernelFloats)
        output.resize(rows: batch)
        var shape = plan.shape
        input.data.withUnsafeBufferPointer { x in
            kernel.value.data.withUnsafeBufferPointer { k in
                bias.value.data.withUnsafeBufferPointer { b in
                    output.data.withUnsafeMutableBufferPointer { y in
                        winogradInput.withUnsafeMutableBufferPointer { v in
                            winogradKernel.withUnsafeMutableBufferPointer { u in
                                guard batch > 0 else { return }
                                let (vBase, uBase, bBase) = (v.baseAddress!, u.baseAddress!, b.baseAddress!)
                                dl_wino_kernel(k.baseAddress!, plan.channels, width, uBase)
                                var first = 0
                                while first < batch {
                                    let images = min(imagesPerPass, batch - first)
                                    let xPass = x.baseAddress! + first * g.inputSize
                                    let yPass = y.baseAddress! + first * g.positions * width
                                    // Tiles are independent: each thread takes its images' tiles.
                                    forEachPart(of: images, work: images * g.positions * width * 8) { part in
                                        dl_wino_fused_forward(&shape, xPass, uBase, part.lowerBound * tiles, part.upperBound * tiles,
                                                              vBase, yPass, epilogueBias(bBase), activation == .relu ? 1 : 0)
                                        finishActivation(yPass + part.lowerBound * g.positions * width, rows: part.count * g.positions, bias: bBase)
                                    }
                                    first += images
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    func backwardFused(_ dzTensor: Tensor, _ plan: WinogradConvolution) -> Tensor {
        let batch = output.rows, width = filters, g = geometry, tiles = plan.tilesPerImage
        let wantsInput = computesInputGradient, chunkImages = Conv2D.fusedChunkImages
        let chunks = (batch + chunkImages - 1) / chunkImages
        precondition(winogradInput.count >= batch * plan.inputFloatsPerImage, "Winograd backward without its training pass")
        resizeKeepingCapacity(&winogradKernelGradient, to: plan.kernelFloats)
        resizeKeepingCapacity(&winogradChunkGradients, to: chunks * plan.kernelFloats)
        if wantsInput { gradInput.resize(rows: batch) }
        var shape = plan.shape
        dzTensor.data.withUnsafeBufferPointer { dz in
            kernel.gradient.data.withUnsafeMutableBufferPointer { dk in
                bias.gradient.data.withUnsafeMutableBufferPointer { db in
                    winogradInput.withUnsafeBufferPointer { v in
                        winogradKernel.withUnsafeBufferPointer { u in
                            winogradKernelGradient.withUnsafeMutableBufferPointer { du in
                                winogradChunkGradients.withUnsafeMutableBufferPointer { sums in
                                    gradInput.data.withUnsafeMutableBufferPointer { dx in
                                        db.update(repeating: 0)
                                        guard batch > 0 else { dk.update(repeating: 0); return }
                                        let (vBase, uBase, dzBase, sumBase) = (v.baseAddress!, u.baseAddress!, dz.baseAddress!, sums.baseAddress!)
                                        let dxBase = wantsInput ? dx.baseAddress : nil
                                        forEachPart(of: chunks, work: batch * g.positions * width * 8) { part in
                                            for c in part {
                                                let first = c * chunkImages, end = min(batch, first + chunkImages)
                                                dl_wino_fused_backward(&shape, vBase, dzBase, uBase, first * tiles, end * tiles,
                                                                       sumBase + c * plan.kernelFloats, dxBase)
                                            }
                                        }
                                        // dU = ((0 + chunk 0) + chunk 1) + ..., then dK = G^T dU G.
                                        addChains(sumBase, count: chunks, size: plan.kernelFloats, into: du.baseAddress!)
                                        dl_wino_kernel_grad(du.baseAddress!, plan.channels, width, dk.baseAddress!)
                                        columnSums(dzBase, rows: batch * g.positions, width: width, into: db.baseAddress!)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard wantsInput else { return skippedGradient }
        return gradInput
    }
}
