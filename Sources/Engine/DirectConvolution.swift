import CKernels

/// Convolution with few filters (at most `DirectConvolution.maxFilters`), computed from a
/// zero-padded copy of the input batch by the C kernels in CKernels instead of im2col + sgemm.
///
/// Why: with 6 filters, LeNet's first layer spent most of its time writing and re-reading a
/// [batch*784, 25] column matrix (5 MB a batch) for a product OpenBLAS runs poorly at that width,
/// and its kernel gradient (a 50,176-long reduction) ran on one core. The padded copy is 25
/// times smaller than the columns; the kernels add in OpenBLAS's order (see CKernels.h), so
/// training gives the same bits as the im2col path (checked by `DirectConvolutionTests`).
struct DirectConvolution {
    static let maxFilters = Int(DL_DIRECT_CONV_MAX_FILTERS)

    let geometry: WindowGeometry
    let filters: Int
    /// The padded image: every row and column some window reads, padding included.
    let paddedHeight: Int, paddedWidth: Int
    /// A window's floats relative to its first, in the kernel's [ky, kx, c] order.
    private let offsets: [Int32]

    init(geometry g: WindowGeometry, filters: Int) {
        precondition(filters <= DirectConvolution.maxFilters)
        geometry = g
        self.filters = filters
        paddedHeight = (g.outHeight - 1) * g.stride + g.kernelHeight
        paddedWidth = (g.outWidth - 1) * g.stride + g.kernelWidth
        var offsets: [Int32] = []
        for ky in 0..<g.kernelHeight {
            for kx in 0..<g.kernelWidth {
                for c in 0..<g.channels { offsets.append(Int32((ky * paddedWidth + kx) * g.channels + c)) }
            }
        }
        self.offsets = offsets
    }

    /// Floats per padded image.
    var paddedImageSize: Int { paddedHeight * paddedWidth * geometry.channels }

    /// x: [images, inH, inW, inC] -> padded: [images, paddedH, paddedW, inC], zeros around.
    func pad(_ x: UnsafePointer<Float>, images: Int, into padded: UnsafeMutablePointer<Float>) {
        let g = geometry, c = g.channels
        let rowFloats = paddedWidth * c
        // Input columns that land inside the padded row (valid padding may leave some unread).
        let copied = max(0, min(g.inWidth, paddedWidth - g.padLeft)) * c
        let left = g.padLeft * c, right = rowFloats - left - copied
        for n in 0..<images {
            let image = x + n * g.inputSize
            var target = padded + n * paddedImageSize
            for py in 0..<paddedHeight {
                let iy = py - g.padTop
                if iy < 0 || iy >= g.inHeight {
                    target.update(repeating: 0, count: rowFloats)
                } else {
                    if left > 0 { target.update(repeating: 0, count: left) }
                    copyRun(from: image + iy * g.inWidth * c, to: target + left, count: copied)
                    if right > 0 { (target + left + copied).update(repeating: 0, count: right) }
                }
                target += rowFloats
            }
        }
    }

    /// padded: [images, paddedH, paddedW, inC] -> y: [images, outH, outW, filters], kernel:
    /// [kh*kw*inC, filters]. Bias and activation are added here for relu and linear (the C kernel
    /// does what `Activation.applyWithBias` does for them); other activations get z only.
    /// Returns whether `y` is finished (bias and activation applied).
    func forward(_ padded: UnsafePointer<Float>, images: Int, kernel: UnsafePointer<Float>,
                 bias: UnsafePointer<Float>, activation: Activation, into y: UnsafeMutablePointer<Float>) -> Bool {
        let fused = activation == .relu || activation == .linear
        withShape { shape in
            dl_conv_forward(shape, padded, images, kernel, fused ? bias : nil, activation == .relu ? 1 : 0, y)
        }
        return fused
    }

    /// One chain of the kernel gradient over batch rows `rows` (row = image * outH*outW +
    /// position) of dz's `dzRows`: chain[p, f] = sum_r window(r)[p] * dz[r, f], added in row order.
    /// `rows` must be a stretch `reductionChains` returned.
    func kernelGradientChain(_ padded: UnsafePointer<Float>, dz: UnsafePointer<Float>, dzRows: Int, rows: Range<Int>,
                             into chain: UnsafeMutablePointer<Float>) {
        withShape { shape in
            dl_conv_kernel_gradient_chain(shape, padded, dz, dzRows, rows.lowerBound, rows.count, chain)
        }
    }

    private func withShape(_ body: (UnsafePointer<dl_conv_shape>) -> Void) {
        let g = geometry
        offsets.withUnsafeBufferPointer { offsetBuffer in
            var shape = dl_conv_shape(
                positions: g.positions, outWidth: g.outWidth,
                strideStep: g.stride * g.channels, rowStep: g.stride * paddedWidth * g.channels,
                imageSize: paddedImageSize, patch: g.patchSize, filters: filters,
                offsets: offsetBuffer.baseAddress!)
            body(&shape)
        }
    }
}

/// Cuts a reduction of `count` steps into the stretches OpenBLAS sums separately (the chains
/// of CKernels.h), appending each stretch's start and finally `count` to `bounds`.
func reductionChains(_ count: Int, into bounds: inout [Int]) {
    bounds.removeAll(keepingCapacity: true)
    var start = 0
    while start < count {
        bounds.append(start)
        start += dl_reduction_block(count - start)
    }
    bounds.append(count)
}

/// total = ((0 + chain 0) + chain 1) + ...: `count` chains of `size` floats added one after
/// another, as OpenBLAS adds the stretches of a reduction into C.
func addChains(_ chains: UnsafePointer<Float>, count: Int, size: Int, into total: UnsafeMutablePointer<Float>) {
    total.update(repeating: 0, count: size)
    for c in 0..<count {
        let chain = chains + c * size
        for i in 0..<size { total[i] = total[i] + chain[i] }
    }
}
