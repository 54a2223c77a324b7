import CKernels
import DLCore

/// 2-D convolution over NHWC images: `y = f(conv(x, K) + b)` with `K: [kh, kw, inC, filters]`
/// and `b: [filters]` (Keras's `Conv2D` layout, so weights carry over unchanged).
///
/// The whole batch goes through one GEMM: im2col turns it into `[batch*outH*outW, kh*kw*inC]`,
/// times K viewed as `[kh*kw*inC, filters]`, which is already the NHWC output. Layers with at
/// most 7 filters skip the columns and use `DirectConvolution`, to the same bits; 3x3 stride-1
/// layers over at most 4 or at least 8 channels use Winograd's F(4x4, 3x3) instead
/// (Conv2D+Winograd.swift), a quarter of the multiply-adds, rounded differently.
/// Initialisation as Keras and `Dense`: He normal for relu/leaky_relu, Glorot uniform otherwise,
/// with fan_in = kh*kw*inC and fan_out = kh*kw*filters; biases start at zero.
public final class Conv2D: Layer, InputGradientOptional {
    public let kernelHeight: Int, kernelWidth: Int, filters: Int, stride: Int
    public let padding: Padding
    public let activation: Activation
    public let kind = "Conv2D"
    public private(set) var outputShape: [Int] = []
    public private(set) var parameters: [Parameter] = []

    /// When false, `backward` skips `dCol = dZ K^T` and col2im and returns an empty tensor;
    /// the trainer turns it off when this is the first layer.
    var computesInputGradient = true

    /// Set by the trainer while the next layer's backward already applied this layer's
    /// activation derivative (see `Pool2D.reluSlopeForPrevious`): the incoming gradient is dL/dz.
    var gradientIsPreActivation = false
    /// Set by the trainer with `gradientIsPreActivation` when that max pooling is this layer's
    /// next: only the entries it routed a gradient to are non-zero (Conv2D+Routed.swift).
    weak var routingPool: Pool2D?
    /// K^T for the routed backward pass: [filters, patch].
    var routedKernelT: [Float] = []
    /// Per chunk of images, the routed kernels' grouping of entries (`dl_routed_scratch_size`).
    var routedScratch: [Int] = []

    private(set) var geometry = WindowGeometry()

    /// Whether `build` may choose the direct kernels (tests turn it off to compare both paths).
    var prefersDirectKernels = true
    /// Set by `build` for layers with few filters: they convolve a padded copy of the input
    /// with the kernels of `DirectConvolution` instead of going through im2col + sgemm.
    private(set) var direct: DirectConvolution?
    /// Whether `build` may choose the Winograd path (tests turn it off to compare both paths).
    var prefersWinograd = true
    /// Set by `build` for 3x3 stride-1 layers over enough channels (Conv2D+Winograd.swift).
    private(set) var winograd: WinogradConvolution?
    // The Winograd path's transformed input V (then dV), products M (then dM), kernels U and dU.
    var winogradInput: [Float] = [], winogradProducts: [Float] = []
    var winogradKernel: [Float] = [], winogradKernelGradient: [Float] = []
    /// The fused path's partial dU per chunk of `fusedChunkImages` images.
    var winogradChunkGradients: [Float] = []
    // The direct path's padded images and the kernel gradient's partial sums (also used by
    // Conv2D+Direct.swift, hence not private).
    var paddedInput = Tensor(shape: [0, 0])     // [batch, paddedH * paddedW * inC]
    var chainBounds: [Int] = []                  // kernel-gradient chains over the rows
    var chainSums = Tensor(shape: [0, 0])        // [chains, kh*kw*inC * filters]

    // Reused buffers; their row count follows the batch size. Settable in the module because the
    // direct path (Conv2D+Direct.swift) fills them too.
    private(set) var columns = Tensor(shape: [0, 0])              // col: [batch*outH*outW, kh*kw*inC]
    var output = Tensor(shape: [0, 0, 0, 0])                      // y: [batch, outH, outW, filters]
    private(set) var gradPreActivation = Tensor(shape: [0, 0, 0, 0]) // dL/dz: [batch, outH, outW, filters]
    var gradColumns = Tensor(shape: [0, 0])                       // dL/dcol: like col
    var gradInput = Tensor(shape: [0, 0, 0, 0])                   // dL/dx: [batch, inH, inW, inC]
    let skippedGradient = Tensor(shape: [0])
    /// True after a training forward pass: `columns` and `output` then hold what backward needs
    /// (the columns replace a saved input, so the caller's batch buffer is never retained).
    private var hasTrainingPass = false
    /// Most column-matrix floats an inference pass builds at once (16 MiB): `predict` hands
    /// 1024 images over, whose full im2col can run to hundreds of MiB for a mid-sized CNN.
    static let inferenceColumnLimit = 1 << 22

    public init(kernelHeight: Int, kernelWidth: Int, filters: Int, stride: Int = 1,
                padding: Padding = .valid, activation: Activation = .linear) {
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.filters = filters
        self.stride = stride
        self.padding = padding
        self.activation = activation
    }

    var kernel: Parameter { parameters[0] }
    var bias: Parameter { parameters[1] }

    /// Where the kernel visits an input of `inputShape`, or the reason it cannot.
    private func checkedGeometry(_ inputShape: [Int]) throws -> WindowGeometry {
        guard filters > 0 else { throw LayerError(.invalidSetting(layer: "conv", expected: "at least one filter", received: "\(filters)")) }
        guard kernelHeight > 0, kernelWidth > 0 else {
            throw LayerError(.invalidSetting(layer: "conv", expected: "a kernel of at least 1x1", received: "\(kernelHeight)x\(kernelWidth)"))
        }
        guard stride > 0 else { throw LayerError(.invalidSetting(layer: "conv", expected: "a stride of at least 1", received: "\(stride)")) }
        try requireImage(inputShape, layer: "conv")
        guard let g = WindowGeometry(input: inputShape, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                                     stride: stride, padding: padding) else {
            throw LayerError(.windowDoesNotFit(layer: "conv", window: [kernelHeight, kernelWidth], padded: padding == .same, input: inputShape))
        }
        return g
    }

    public func footprint(inputShape: [Int]) throws -> LayerFootprint {
        let g = try checkedGeometry(inputShape)
        let outputs = g.positions * filters, columns = g.positions * g.patchSize
        var buffers: [LayerFootprint.Buffer] = [.init(floatsPerSample: outputs, use: .output),
                                                .init(floatsPerSample: outputs, use: .training),      // dL/dz
                                                .init(floatsPerSample: g.inputSize, use: .inputGradient)]
        if let plan = winogradPlan(g) {
            // The transformed input V (then dV) and products M (then dM) replace the columns.
            buffers.append(.init(floatsPerSample: plan.inputFloatsPerImage, use: .boundedScratch(limit: Conv2D.winogradInferenceLimit)))
            if !plan.fused {
                buffers.append(.init(floatsPerSample: plan.productFloatsPerImage, use: .boundedScratch(limit: Conv2D.winogradInferenceLimit)))
            }
            return LayerFootprint(outputShape: [g.outHeight, g.outWidth, filters],
                                  parameters: (g.patchSize + 1) * filters, buffers: buffers, chains: nil)
        }
        buffers.append(.init(floatsPerSample: columns, use: .inputGradient)) // dL/dcol
        if let direct = usesDirectKernels ? DirectConvolution(geometry: g, filters: filters) : nil {
            buffers.append(.init(floatsPerSample: direct.paddedImageSize, use: .output))
        } else {
            buffers.append(.init(floatsPerSample: columns, use: .boundedScratch(limit: Conv2D.inferenceColumnLimit)))
        }
        // The kernel gradient's partial sums: always on the direct path, and on the im2col path
        // when the product is cut across threads (counted always: an estimate errs high).
        return LayerFootprint(outputShape: [g.outHeight, g.outWidth, filters],
                              parameters: (g.patchSize + 1) * filters, buffers: buffers,
                              chains: (rowsPerSample: g.positions, chainSize: g.patchSize * filters))
    }

    private var usesDirectKernels: Bool { prefersDirectKernels && filters <= DirectConvolution.maxFilters }

    /// The Winograd plan for `g`, unless the direct kernels or im2col serve this layer.
    private func winogradPlan(_ g: WindowGeometry) -> WinogradConvolution? {
        guard prefersWinograd, !usesDirectKernels else { return nil }
        return WinogradConvolution(geometry: g, kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride, filters: filters)
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws {
        let g = try checkedGeometry(inputShape)
        geometry = g
        outputShape = [g.outHeight, g.outWidth, filters]
        direct = usesDirectKernels ? DirectConvolution(geometry: g, filters: filters) : nil
        winograd = winogradPlan(g)
        paddedInput = Tensor(shape: [0, direct?.paddedImageSize ?? 0])
        chainSums = Tensor(shape: [0, g.patchSize * filters])
        columns = Tensor(shape: [0, g.patchSize])
        output = Tensor(shape: [0] + outputShape)
        gradPreActivation = Tensor(shape: [0] + outputShape)
        gradColumns = Tensor(shape: [0, g.patchSize])
        gradInput = Tensor(shape: [0] + inputShape)

        let fanIn = g.patchSize, fanOut = kernelHeight * kernelWidth * filters
        var kernelValue = Tensor(shape: [kernelHeight, kernelWidth, g.channels, filters])
        switch activation {
        case .relu, .leakyRelu:
            let std = (2.0 / Double(fanIn)).squareRoot()
            for i in kernelValue.data.indices { kernelValue.data[i] = Float(rng.normal(mean: 0, std: std)) }
        case .linear, .sigmoid, .tanh, .softmax:
            let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
            for i in kernelValue.data.indices { kernelValue.data[i] = Float(rng.uniform(-limit, limit)) }
        }
        parameters = [Parameter(name: "kernel", value: kernelValue),
                      Parameter(name: "bias", value: Tensor(shape: [filters]))]
    }

    // x: [batch, inH, inW, inC] -> col: [batch*outH*outW, kh*kw*inC] -> y: [batch, outH, outW, filters]
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(!parameters.isEmpty, "conv used before build")
        let g = geometry, width = filters, activation = self.activation
        precondition(input.columns == g.inputSize || input.rows == 0,
                     "conv expects \(describeShape([g.inHeight, g.inWidth, g.channels])) images but got \(Array(input.shape.dropFirst()))")
        let batch = input.rows, patch = g.patchSize, imageSize = g.inputSize
        if let direct {
            forwardDirect(input, direct)
            hasTrainingPass = training
            return output
        }
        if let winograd {
            forwardWinograd(input, winograd, training: training)
            hasTrainingPass = training
            return output
        }
        // Backward needs the columns of the whole batch; inference only needs them while
        // multiplying, so `predict`'s large chunks go through in slices of bounded size.
        let imagesPerPass = training ? batch
            : max(1, min(batch, Conv2D.inferenceColumnLimit / max(g.positions * patch, 1)))
        columns.resize(rows: imagesPerPass * g.positions)
        output.resize(rows: batch)
        input.data.withUnsafeBufferPointer { x in
            columns.data.withUnsafeMutableBufferPointer { col in
                kernel.value.data.withUnsafeBufferPointer { k in
                    bias.value.data.withUnsafeBufferPointer { b in
                        output.data.withUnsafeMutableBufferPointer { y in
                            var first = 0
                            while first < batch {
                                let images = min(imagesPerPass, batch - first)
                                let xPass = x.baseAddress! + first * imageSize
                                let yPass = y.baseAddress! + first * g.positions * width
                                let colBase = col.baseAddress!, kBase = k.baseAddress!, bBase = b.baseAddress!
                                // Images are independent: each thread takes a run of them through
                                // im2col, its rows of z = col K (on its own thread, however large:
                                // handing a whole product to OpenBLAS's threads left im2col and the
                                // bias pass on one core) and the bias + activation pass.
                                prepareBlasForWorkers()
                                forEachPart(of: images, granule: imageGranule(rowsPerImage: g.positions),
                                            work: images * g.positions * patch) { part in
                                    let rows = part.count * g.positions
                                    let colPart = colBase + part.lowerBound * g.positions * patch
                                    let yPart = yPass + part.lowerBound * g.positions * width
                                    im2col(xPass + part.lowerBound * imageSize, batch: part.count, g, into: colPart)
                                    // z = col K: [rows, patch] x [patch, filters], then bias and activation in one pass.
                                    sgemm(transposeA: false, transposeB: false, m: rows, n: width, k: patch,
                                          a: colPart, lda: patch, b: kBase, ldb: width, c: yPart, ldc: width,
                                          onWorker: true)
                                    activation.applyWithBias(yPart, rows: rows, width: width, bias: bBase)
                                }
                                first += images
                            }
                        }
                    }
                }
            }
        }
        hasTrainingPass = training
        return output
    }

    // dL/dy: [batch, outH, outW, filters] -> dL/dx: [batch, inH, inW, inC];
    // fills kernel grad [kh, kw, inC, filters] and bias grad [filters].
    public func backward(_ gradOutput: Tensor) -> Tensor {
        precondition(hasTrainingPass, "conv backward without a training forward pass before it")
        hasTrainingPass = false
        let g = geometry, width = filters, patch = g.patchSize
        let batch = output.rows, rows = batch * g.positions
        precondition(gradOutput.rows == batch && gradOutput.count == output.count,
                     "conv backward expects \(output.shape) but got \(gradOutput.shape)")
        gradPreActivation.resize(rows: batch)

        // dz = dL/dy * f'(z), from the kept output: [rows, filters]; rows are independent.
        // Skipped when the incoming gradient is already dz.
        if !gradientIsPreActivation {
            activation.backpropagateRows(output: output, gradOutput: gradOutput, into: &gradPreActivation, width: width)
        }
        let dzTensor = gradientIsPreActivation ? gradOutput : gradPreActivation

        let wantsInput = computesInputGradient
        if let direct { return backwardDirect(dzTensor, direct) }
        if let winograd { return backwardWinograd(dzTensor, winograd) }
        if wantsInput {
            gradColumns.resize(rows: rows)
            gradInput.resize(rows: batch)
        }
        dzTensor.data.withUnsafeBufferPointer { dzBuffer in
            columns.data.withUnsafeBufferPointer { colBuffer in
                kernel.value.data.withUnsafeBufferPointer { kBuffer in
                    kernel.gradient.data.withUnsafeMutableBufferPointer { dkBuffer in
                        bias.gradient.data.withUnsafeMutableBufferPointer { db in
                            gradColumns.data.withUnsafeMutableBufferPointer { dcolBuffer in
                                gradInput.data.withUnsafeMutableBufferPointer { dxBuffer in
                                    let dbBase = db.baseAddress!
                                    db.update(repeating: 0)
                                    guard rows > 0 else { dkBuffer.update(repeating: 0); return }
                                    let dz = dzBuffer.baseAddress!, col = colBuffer.baseAddress!
                                    let k = kBuffer.baseAddress!, dk = dkBuffer.baseAddress!
                                    let dcol = wantsInput ? dcolBuffer.baseAddress : nil
                                    let dx = wantsInput ? dxBuffer.baseAddress : nil
                                    // Products OpenBLAS keeps on one thread are cut across ours (see
                                    // `backwardByParts`); larger ones it threads itself, whole.
                                    let byParts = !blasWouldThread(m: patch, n: width, k: rows)
                                        && !(wantsInput && blasWouldThread(m: rows, n: patch, k: width))
                                    if let pool = routingPool, gradientIsPreActivation, routesGradient {
                                        backwardRouted(dz: dz, col: col, kernel: k, dcol: dcol, dx: dx, into: dk, pool: pool)
                                    } else if byParts {
                                        prepareBlasForWorkers()
                                        backwardByParts(dz: dz, col: col, kernel: k, dcol: dcol, dx: dx, into: dk)
                                    } else {
                                        // dK = col^T dz: [patch, rows] x [rows, filters]
                                        sgemm(transposeA: true, transposeB: false, m: patch, n: width, k: rows,
                                              a: col, lda: patch, b: dz, ldb: width, c: dk, ldc: width)
                                        if let dcol, let dx {
                                            inputGradient(dz, kernel: k, images: 0..<batch, dcol: dcol, dx: dx)
                                        }
                                    }
                                    // db = column sums of dz over every position of every image.
                                    columnSums(dz, rows: rows, width: width, into: dbBase)
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

extension Conv2D {
    /// dL/dx of `images`: dCol = dz K^T over their rows ([rows, filters] x [filters, patch]),
    /// scattered back onto their pixels by col2im. Buffers are the whole batch's.
    func inputGradient(_ dz: UnsafePointer<Float>, kernel k: UnsafePointer<Float>, images: Range<Int>,
                               dcol: UnsafeMutablePointer<Float>, dx: UnsafeMutablePointer<Float>) {
        let g = geometry, patch = g.patchSize
        let r0 = images.lowerBound * g.positions, count = images.count * g.positions
        sgemm(transposeA: false, transposeB: true, m: count, n: patch, k: filters,
              a: dz + r0 * filters, lda: filters, b: k, ldb: filters, c: dcol + r0 * patch, ldc: patch)
        col2im(dcol + r0 * patch, batch: images.count, g, into: dx + images.lowerBound * g.inputSize)
    }

    /// The im2col backward cut across threads by images: each part computes its share of the
    /// kernel gradient's chains (the stretches of rows OpenBLAS sums separately in the one
    /// product, `reductionChains`) and, for an inner layer, dCol = dz K^T and col2im for its own
    /// images. The chains are then added in order, as OpenBLAS adds them (ParallelLayerTests).
    private func backwardByParts(dz: UnsafePointer<Float>, col: UnsafePointer<Float>, kernel k: UnsafePointer<Float>,
                                 dcol: UnsafeMutablePointer<Float>?, dx: UnsafeMutablePointer<Float>?,
                                 into dk: UnsafeMutablePointer<Float>) {
        let g = geometry, width = filters, patch = g.patchSize, batch = output.rows
        let rows = batch * g.positions, chainSize = patch * width
        reductionChains(rows, into: &chainBounds)
        let chains = chainBounds.count - 1
        chainSums.resize(rows: chains)
        chainBounds.withUnsafeBufferPointer { bounds in
            chainSums.data.withUnsafeMutableBufferPointer { sums in
                let sumBase = sums.baseAddress!
                forEachPart(of: batch, granule: imageGranule(rowsPerImage: g.positions),
                            work: rows * patch * width * (dcol == nil ? 1 : 2)) { part in
                    // This part's share of the chains, in proportion to its images.
                    let firstChain = chains * part.lowerBound / batch
                    let endChain = part.upperBound == batch ? chains : chains * part.upperBound / batch
                    for c in firstChain..<endChain {
                        let r0 = bounds[c], count = bounds[c + 1] - r0
                        // chain c = col[r0..<r0+count]^T dz[r0..<r0+count]: [patch, count] x [count, filters]
                        sgemm(transposeA: true, transposeB: false, m: patch, n: width, k: count,
                              a: col + r0 * patch, lda: patch, b: dz + r0 * width, ldb: width,
                              c: sumBase + c * chainSize, ldc: width)
                    }
                    if let dcol, let dx { inputGradient(dz, kernel: k, images: part, dcol: dcol, dx: dx) }
                }
                addChains(sumBase, count: chains, size: chainSize, into: dk)
            }
        }
    }
}

/// `sums[j] += m[r, j]` for each row in turn, over a row-major [rows, width] matrix
/// (vectorised across j in CKernels; each sum still adds the rows in order).
func columnSums(_ m: UnsafePointer<Float>, rows: Int, width: Int, into sums: UnsafeMutablePointer<Float>) {
    dl_column_sums(m, rows, width, sums)
}

/// Throws `LayerProblem.expectedImage` unless `shape` is one image (height x width x channels,
/// none of them 0); what to do about it is left to the shell's message.
func requireImage(_ shape: [Int], layer: String) throws {
    if shape.count == 3 && shape.allSatisfy({ $0 > 0 }) { return }
    throw LayerError(.expectedImage(layer: layer, received: shape))
}
