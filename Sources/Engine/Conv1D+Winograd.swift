import CKernels

/// The Winograd factorisation F(m, r) of a 1-D, stride-1 convolution (CKernels' Winograd1D.c),
/// with tiles of P = m + r - 1 points: F(6, 3) for a kernel of 3 (P = 8), F(6, 5) for a kernel of
/// 5 (P = 10). Each tile's P input steps and each kernel are transformed, the convolution becomes
/// P independent products over channels ([tiles, C] x [C, F], one per point), and the products are
/// transformed back into m output steps: m r / P times fewer multiply-adds than im2col (2.25x for
/// r = 3, 3x for r = 5), in the forward pass and in both products of the backward pass. The FCN's
/// second and third layers (kernels 5 and 3 over 128 and 256 channels) spend most of its epoch there.
///
/// It rounds differently from im2col + sgemm (the transforms add and scale around the products):
/// a few 1e-6 of the outputs' size, up to about 1e-5 with 10 points (Conv1DWinogradTests).
struct Winograd1DConvolution {
    /// Kernels that save at least 1.75x.
    static let kernels = 2...7
    /// Below these the products (K = C, N = F) are too thin for sgemm to gain on im2col's one
    /// [rows, r C] x [r C, F] product: the FCN's first layer (1 channel) stays there.
    static let minimumChannels = 8, minimumFilters = 8

    let transforms: WinogradTransforms1D
    /// Where the C transforms read; its matrices belong to `transforms`, which live as long as the program.
    let shape: dl_wino1d_shape
    var points: Int { shape.points }
    var channels: Int { shape.channels }
    var filters: Int { shape.filters }
    var tilesPerSeries: Int { shape.tilesPerSeries }

    /// Floats per series in the transformed input (and its gradient) and in the products.
    var inputFloatsPerSeries: Int { points * tilesPerSeries * channels }
    var productFloatsPerSeries: Int { points * tilesPerSeries * filters }
    /// Transformed kernels U (and their gradient dU): P planes of [C, F].
    var kernelFloats: Int { points * channels * filters }

    /// For a stride-1, undilated geometry with a kernel in `kernels` and enough channels and
    /// filters; nil otherwise.
    init?(geometry g: SeriesWindow, filters: Int) {
        guard g.stride == 1, g.dilation == 1, Self.kernels.contains(g.kernel), g.outSteps > 0,
              g.channels >= Self.minimumChannels, filters >= Self.minimumFilters else { return nil }
        transforms = WinogradTransforms1D.forKernel(g.kernel)
        let m = transforms.outPerTile
        shape = dl_wino1d_shape(steps: g.steps, channels: g.channels, filters: filters, points: transforms.points, padStart: g.padStart,
                                outSteps: g.outSteps, outPerTile: m, tilesPerSeries: (g.outSteps + m - 1) / m,
                                inputTransform: transforms.inputTransform, outputTransform: transforms.outputTransform)
    }

    /// Floats between the P planes of a transformed buffer for `series` series of `width` (C or F)
    /// floats a tile. The 16 extra floats keep planes off multiples of 4 KiB apart, where the
    /// transforms, which touch all P at once, would share the L1 cache's sets (as in 2-D).
    func plane(series: Int, width: Int) -> Int { series * tilesPerSeries * width + 16 }
}

/// The Cook-Toom matrices of F(P + 1 - r, r) over the points 0, 1, -1, 2, -2, 1/2, -1/2 (and 3/4,
/// -3/4 when P = 10) and infinity, for the correlation y[i] = sum_k g[k] d[i + k] that convolution
/// layers compute:
/// - A^T [m][P]: A^T[i][j] = a_j^i; infinity adds its product to the last output only;
/// - G [P][r]: G[j][k] = a_j^k / prod_{l != j} (a_j - a_l); infinity takes the last tap g[r-1];
/// - B^T [P][P]: row j holds the coefficients of prod_{l != j} (x - a_l), row infinity those of
///   prod_l (x - a_l) (lowest power first).
/// Computed in Double and rounded once. Shared by every layer with the same kernel size; the
/// memory lives as long as the program (a handful of small matrices).
///
/// Kernels of 2 and 3 take 8 points; 4 to 7 take 10 (2.8x to 3x fewer multiply-adds instead of
/// 2.25x to 2.5x; the FCN's epoch went from 2.20-2.42 s to 1.96-2.10 s). Ten points round about
/// three times as coarsely: one tile of 128 channels and a kernel of 5 in float32 against float64,
/// 300 draws, gave a mean relative error of 2.0e-6 (largest 8.3e-6) against 6e-7 (largest 4e-6)
/// with 8 points. Of the pairs tried for the last two points (+-3/4, +-4/3, +-3/2, +-2/3, +-3,
/// +-1/3, +-5/2, +-1/4), +-3/4 rounded best. The kernel of 3 keeps 8, where 10 would save only
/// 2.4x against 2.25x.
final class WinogradTransforms1D: @unchecked Sendable {
    let kernel: Int, points: Int, outPerTile: Int
    let inputTransform: UnsafeMutablePointer<Float>   // B^T
    let outputTransform: UnsafeMutablePointer<Float>  // A^T
    let kernelTransform: UnsafeMutablePointer<Float>  // G

    static let finitePoints: [Double] = [0, 1, -1, 2, -2, 0.5, -0.5, 0.75, -0.75]

    private static let shared: [WinogradTransforms1D] = Winograd1DConvolution.kernels.map { WinogradTransforms1D(kernel: $0) }

    static func forKernel(_ r: Int) -> WinogradTransforms1D {
        shared[r - Winograd1DConvolution.kernels.lowerBound]
    }

    private init(kernel r: Int) {
        let n = r <= 3 ? 8 : 10, a = Array(Self.finitePoints.prefix(n - 1)), m = n + 1 - r
        precondition(n <= Int(DL_WINO1D_MAX_POINTS) && a.count == n - 1 && r >= 1 && m >= 1)
        kernel = r
        points = n
        outPerTile = m
        inputTransform = .allocate(capacity: n * n)
        outputTransform = .allocate(capacity: m * n)
        kernelTransform = .allocate(capacity: n * r)
        func power(_ x: Double, _ e: Int) -> Double { (0..<e).reduce(1) { p, _ in p * x } }
        /// Coefficients of prod (x - root), lowest power first, padded to n.
        func monic(_ roots: [Double]) -> [Double] {
            var c = [1.0] + [Double](repeating: 0, count: n - 1)
            for (degree, root) in roots.enumerated() {
                for k in stride(from: degree + 1, through: 1, by: -1) { c[k] = c[k - 1] - root * c[k] }
                c[0] = -root * c[0]
            }
            return c
        }
        for j in 0..<n {
            let finite = j < n - 1
            let others = finite ? a.indices.filter { $0 != j }.map { a[$0] } : a
            let row = monic(others)
            for k in 0..<n { inputTransform[j * n + k] = Float(row[k]) }
            let scale = finite ? others.reduce(1) { $0 * (a[j] - $1) } : 1
            for k in 0..<r { kernelTransform[j * r + k] = Float(finite ? power(a[j], k) / scale : (k == r - 1 ? 1 : 0)) }
            for i in 0..<m { outputTransform[i * n + j] = Float(finite ? power(a[j], i) : (i == m - 1 ? 1 : 0)) }
        }
    }
}

extension Conv1D {
    /// Floats a Winograd pass may hold per buffer in inference (as im2col's columns).
    static var winogradInferenceLimit: Int { Conv2D.inferenceColumnLimit }

    // x -> V (transformed tiles) -> M = V U per point -> y = the inverse transform, then bias and
    // activation. A training pass keeps V (and U) for the backward pass.
    func forwardWinograd(_ input: Tensor, _ plan: Winograd1DConvolution, training: Bool) {
        let batch = input.rows, width = filters, g = geometry, tiles = plan.tilesPerSeries, points = plan.points
        let perPass = training ? batch
            : max(1, min(batch, Conv1D.winogradInferenceLimit / max(plan.productFloatsPerSeries, plan.inputFloatsPerSeries)))
        let planeV = plan.plane(series: perPass, width: plan.channels), planeM = plan.plane(series: perPass, width: width)
        resizeKeepingCapacity(&winogradInput, to: points * planeV)
        resizeKeepingCapacity(&winogradProducts, to: points * planeM)
        resizeKeepingCapacity(&winogradKernel, to: plan.kernelFloats)
        output.resize(rows: batch)
        var shape = plan.shape
        let fused = activation.fitsTransformEpilogue, relu: Int32 = activation == .relu ? 1 : 0
        input.data.withUnsafeBufferPointer { x in
            kernel.value.data.withUnsafeBufferPointer { k in
                bias.value.data.withUnsafeBufferPointer { b in
                    output.data.withUnsafeMutableBufferPointer { y in
                        winogradInput.withUnsafeMutableBufferPointer { v in
                            winogradProducts.withUnsafeMutableBufferPointer { m in
                                winogradKernel.withUnsafeMutableBufferPointer { u in
                                    guard batch > 0 else { return }
                                    let (vBase, mBase, uBase, bBase) = (v.baseAddress!, m.baseAddress!, u.baseAddress!, b.baseAddress!)
                                    transformKernel(k.baseAddress!, plan, into: uBase)
                                    var first = 0
                                    while first < batch {
                                        let count = min(perPass, batch - first)
                                        let xPass = x.baseAddress! + first * g.inputSize
                                        let yPass = y.baseAddress! + first * g.outSteps * width
                                        let passTiles = count * tiles
                                        forEachPart(of: count, work: count * plan.inputFloatsPerSeries * 4) { part in
                                            dl_wino1d_input(&shape, xPass, part.lowerBound * tiles, part.upperBound * tiles, planeV, vBase)
                                        }
                                        WinogradProducts(points: points, tiles: passTiles, channels: plan.channels, filters: width,
                                                         planeV: planeV, planeM: planeM).multiply(v: vBase, u: uBase, into: mBase)
                                        forEachPart(of: count, work: count * plan.productFloatsPerSeries * 4) { part in
                                            dl_wino1d_output(&shape, mBase, part.lowerBound * tiles, part.upperBound * tiles, planeM, yPass,
                                                             fused ? bBase : nil, relu)
                                            if !fused {
                                                activation.applyWithBias(yPass + part.lowerBound * g.outSteps * width,
                                                                         rows: part.count * g.outSteps, width: width, bias: bBase)
                                            }
                                        }
                                        first += count
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// U = G K: [P, r] x [r, C F] (the kernel is [r, C, F], Keras's layout).
    private func transformKernel(_ k: UnsafePointer<Float>, _ plan: Winograd1DConvolution, into u: UnsafeMutablePointer<Float>) {
        let cf = plan.channels * plan.filters, r = plan.transforms.kernel
        sgemm(transposeA: false, transposeB: false, m: plan.points, n: cf, k: r,
              a: plan.transforms.kernelTransform, lda: r, b: k, ldb: cf, c: u, ldc: cf)
    }

    // dz -> dM (transformed) -> dU[xi] = V[xi]^T dM[xi] -> dK = G^T dU; dV[xi] = dM[xi] U[xi]^T -> dx.
    // Bias gradient: column sums of dz, as on the im2col path.
    func backwardWinograd(_ dzTensor: Tensor, _ plan: Winograd1DConvolution) -> Tensor {
        let batch = output.rows, width = filters, g = geometry, tiles = plan.tilesPerSeries, points = plan.points
        let passTiles = batch * tiles, wantsInput = computesInputGradient, channels = plan.channels
        let planeV = plan.plane(series: batch, width: channels), planeM = plan.plane(series: batch, width: width)
        precondition(winogradInput.count >= points * planeV, "conv1d Winograd backward without its training pass")
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
                                        let dzBase = dz.baseAddress!
                                        forEachPart(of: batch, work: batch * plan.productFloatsPerSeries * 4) { part in
                                            dl_wino1d_output_grad(&shape, dzBase, part.lowerBound * tiles, part.upperBound * tiles, planeM, mBase)
                                        }
                                        WinogradProducts(points: points, tiles: passTiles, channels: channels, filters: width,
                                                         planeV: planeV, planeM: planeM)
                                            .backpropagate(v: vBase, dm: mBase, u: uBase, du: duBase, inputGradient: wantsInput)
                                        // dK = G^T dU: [r, P] x [P, C F]
                                        let cf = channels * width, r = plan.transforms.kernel
                                        sgemm(transposeA: true, transposeB: false, m: r, n: cf, k: points,
                                              a: plan.transforms.kernelTransform, lda: r, b: duBase, ldb: cf,
                                              c: dk.baseAddress!, ldc: cf)
                                        if wantsInput, let dxBase = dx.baseAddress {
                                            forEachPart(of: batch, work: batch * plan.inputFloatsPerSeries * 4) { part in
                                                dl_wino1d_input_grad(&shape, vBase, part.lowerBound * tiles, part.upperBound * tiles, planeV, dxBase)
                                            }
                                        }
                                        columnSums(dzBase, rows: batch * g.outSteps, width: width, into: db.baseAddress!)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // V now holds dV: a second backward needs a new training pass (hasTrainingPass says so).
        return wantsInput ? gradInput : skippedGradient
    }
}

extension Activation {
    /// Whether a Winograd output transform adds the bias and applies this activation itself
    /// (one pass over y fewer); the others get the bare sums and `applyWithBias` after.
    var fitsTransformEpilogue: Bool { self == .relu || self == .linear }
}
