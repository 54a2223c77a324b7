import DLCore

/// 1-D convolution over series `[steps, channels]` (channels fastest, as NWC): `y = f(conv(x, K) + b)`
/// with `K: [kernel, inC, filters]` and `b: [filters]` (Keras's `Conv1D` layout, so weights carry
/// over unchanged). Padding `same` follows TensorFlow (the extra step goes to the end); `dilation`
/// spreads the kernel's taps `dilation` steps apart.
///
/// The whole batch goes through one GEMM, as `Conv2D` does: the windows are copied into
/// `[batch*outSteps, kernel*inC]` (with dilation 1 a window inside the series is one contiguous run),
/// times K viewed as `[kernel*inC, filters]`, which is already the NWC output.
/// Stride-1, undilated layers with kernels of 2 to 7 over at least 8 channels and filters use a
/// 1-D Winograd instead (Conv1D+Winograd.swift): 2.25x to 3x fewer multiply-adds, rounded differently.
/// Initialisation as Keras and `Conv2D`: He normal for relu/leaky_relu, Glorot uniform otherwise,
/// with fan_in = kernel*inC and fan_out = kernel*filters; biases start at zero.
public final class Conv1D: Layer, InputGradientOptional {
    public let kernelSize: Int, filters: Int, stride: Int, dilation: Int
    public let padding: Padding
    public let activation: Activation
    public let kind = "Conv1D"
    public private(set) var outputShape: [Int] = []
    public private(set) var parameters: [Parameter] = []

    /// When false, `backward` skips `dCol = dZ K^T` and the scatter back onto the steps; the
    /// trainer turns it off when this is the first layer.
    var computesInputGradient = true
    /// Whether `build` may choose the Winograd path (tests turn it off to compare both paths).
    var prefersWinograd = true
    /// Set by `build` for stride-1, undilated layers over enough channels (Conv1D+Winograd.swift).
    private(set) var winograd: Winograd1DConvolution?
    // The Winograd path's transformed input V (then dV), products M (then dM), kernels U and dU.
    var winogradInput: [Float] = [], winogradProducts: [Float] = []
    var winogradKernel: [Float] = [], winogradKernelGradient: [Float] = []

    private(set) var geometry = SeriesWindow()

    // Reused buffers; their row count follows the batch size.
    private var columns = Tensor(shape: [0, 0])           // col: [batch*outSteps, kernel*inC]
    var output = Tensor(shape: [0, 0, 0])                 // y: [batch, outSteps, filters]
    private var gradPreActivation = Tensor(shape: [0, 0, 0]) // dL/dz: like y
    private var gradColumns = Tensor(shape: [0, 0])       // dL/dcol: like col
    var gradInput = Tensor(shape: [0, 0, 0])              // dL/dx: [batch, steps, inC]
    let skippedGradient = Tensor(shape: [0])
    /// True after a training forward pass: `columns` (or the Winograd path's V) and `output` then
    /// hold what backward needs.
    private var hasTrainingPass = false

    public init(kernelSize: Int, filters: Int, stride: Int = 1, padding: Padding = .valid,
                dilation: Int = 1, activation: Activation = .linear) {
        self.kernelSize = kernelSize
        self.filters = filters
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.activation = activation
    }

    var kernel: Parameter { parameters[0] }
    var bias: Parameter { parameters[1] }

    /// Where the kernel visits an input of `inputShape`, or the reason it cannot.
    private func checkedGeometry(_ inputShape: [Int]) throws -> SeriesWindow {
        guard filters > 0 else { throw LayerError(.invalidSetting(layer: "conv1d", expected: "at least one filter", received: "\(filters)")) }
        guard kernelSize > 0 else { throw LayerError(.invalidSetting(layer: "conv1d", expected: "a kernel of at least 1 step", received: "\(kernelSize)")) }
        guard stride > 0 else { throw LayerError(.invalidSetting(layer: "conv1d", expected: "a stride of at least 1", received: "\(stride)")) }
        guard dilation > 0 else { throw LayerError(.invalidSetting(layer: "conv1d", expected: "a dilation of at least 1", received: "\(dilation)")) }
        // Keras refuses the pair too (its strided convolution has no dilated form).
        guard stride == 1 || dilation == 1 else {
            throw LayerError(.invalidSetting(layer: "conv1d", expected: "stride 1 when dilated", received: "stride \(stride) with dilation \(dilation)"))
        }
        try requireSeries(inputShape, layer: "conv1d")
        guard let g = SeriesWindow(input: inputShape, kernel: kernelSize, stride: stride, dilation: dilation, padding: padding) else {
            throw LayerError(.windowDoesNotFit(layer: "conv1d", window: [(kernelSize - 1) * dilation + 1], padded: padding == .same, input: inputShape))
        }
        return g
    }

    public func footprint(inputShape: [Int]) throws -> LayerFootprint {
        let g = try checkedGeometry(inputShape)
        let outputs = g.outSteps * filters, columns = g.outSteps * g.patchSize
        let shared: [LayerFootprint.Buffer] = [.init(floatsPerSample: outputs, use: .output),
                                               .init(floatsPerSample: outputs, use: .training),      // dL/dz
                                               .init(floatsPerSample: g.inputSize, use: .inputGradient)]
        let path: [LayerFootprint.Buffer]
        if let plan = winogradPlan(g) {
            // The transformed input V (then dV) and products M (then dM) replace the columns.
            path = [.init(floatsPerSample: plan.inputFloatsPerSeries, use: .boundedScratch(limit: Conv1D.winogradInferenceLimit)),
                    .init(floatsPerSample: plan.productFloatsPerSeries, use: .boundedScratch(limit: Conv1D.winogradInferenceLimit))]
        } else {
            path = [.init(floatsPerSample: columns, use: .inputGradient), // dL/dcol
                    .init(floatsPerSample: columns, use: .boundedScratch(limit: Conv2D.inferenceColumnLimit))]
        }
        return LayerFootprint(outputShape: [g.outSteps, filters], parameters: (g.patchSize + 1) * filters, buffers: shared + path)
    }

    private func winogradPlan(_ g: SeriesWindow) -> Winograd1DConvolution? {
        prefersWinograd ? Winograd1DConvolution(geometry: g, filters: filters) : nil
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws {
        let g = try checkedGeometry(inputShape)
        geometry = g
        winograd = winogradPlan(g)
        outputShape = [g.outSteps, filters]
        columns = Tensor(shape: [0, g.patchSize])
        output = Tensor(shape: [0] + outputShape)
        gradPreActivation = Tensor(shape: [0] + outputShape)
        gradColumns = Tensor(shape: [0, g.patchSize])
        gradInput = Tensor(shape: [0] + inputShape)

        let fanIn = g.patchSize, fanOut = kernelSize * filters
        var kernelValue = Tensor(shape: [kernelSize, g.channels, filters])
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

    // x: [batch, steps, inC] -> col: [batch*outSteps, kernel*inC] -> y: [batch, outSteps, filters]
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(!parameters.isEmpty, "conv1d used before build")
        let g = geometry, width = filters, activation = self.activation
        precondition(input.columns == g.inputSize || input.rows == 0,
                     "conv1d expects \(describeShape([g.steps, g.channels])) series but got \(Array(input.shape.dropFirst()))")
        if let winograd {
            forwardWinograd(input, winograd, training: training)
            hasTrainingPass = training
            return output
        }
        let batch = input.rows, patch = g.patchSize, rowsPerSample = g.outSteps
        // Backward needs the columns of the whole batch; inference only while multiplying.
        let perPass = training ? batch : max(1, min(batch, Conv2D.inferenceColumnLimit / max(rowsPerSample * patch, 1)))
        columns.resize(rows: perPass * rowsPerSample)
        output.resize(rows: batch)
        input.data.withUnsafeBufferPointer { x in
            columns.data.withUnsafeMutableBufferPointer { col in
                kernel.value.data.withUnsafeBufferPointer { k in
                    bias.value.data.withUnsafeBufferPointer { b in
                        output.data.withUnsafeMutableBufferPointer { y in
                            guard batch > 0 else { return }
                            let (colBase, kBase, bBase) = (col.baseAddress!, k.baseAddress!, b.baseAddress!)
                            var first = 0
                            while first < batch {
                                let count = min(perPass, batch - first)
                                let xPass = x.baseAddress! + first * g.inputSize
                                let yPass = y.baseAddress! + first * rowsPerSample * width
                                // Series are independent: each thread copies its windows, multiplies its
                                // rows and adds bias + activation; products OpenBLAS threads stay whole.
                                let split = !blasWouldThread(m: count * rowsPerSample, n: width, k: patch)
                                if split {
                                    prepareBlasForWorkers()
                                    forEachPart(of: count, granule: imageGranule(rowsPerImage: rowsPerSample),
                                                work: count * rowsPerSample * patch * width) { part in
                                        let rows = part.count * rowsPerSample
                                        let colPart = colBase + part.lowerBound * rowsPerSample * patch
                                        let yPart = yPass + part.lowerBound * rowsPerSample * width
                                        seriesToColumns(xPass + part.lowerBound * g.inputSize, batch: part.count, g, into: colPart)
                                        sgemm(transposeA: false, transposeB: false, m: rows, n: width, k: patch,
                                              a: colPart, lda: patch, b: kBase, ldb: width, c: yPart, ldc: width)
                                        activation.applyWithBias(yPart, rows: rows, width: width, bias: bBase)
                                    }
                                } else {
                                    forEachPart(of: count, work: count * g.inputSize * g.kernel) { part in
                                        seriesToColumns(xPass + part.lowerBound * g.inputSize, batch: part.count, g,
                                                        into: colBase + part.lowerBound * rowsPerSample * patch)
                                    }
                                    // z = col K: [rows, patch] x [patch, filters]
                                    sgemm(transposeA: false, transposeB: false, m: count * rowsPerSample, n: width, k: patch,
                                          a: colBase, lda: patch, b: kBase, ldb: width, c: yPass, ldc: width)
                                    forEachPart(of: count * rowsPerSample, work: count * rowsPerSample * width) { part in
                                        activation.applyWithBias(yPass + part.lowerBound * width, rows: part.count, width: width, bias: bBase)
                                    }
                                }
                                first += count
                            }
                        }
                    }
                }
            }
        }
        hasTrainingPass = training
        return output
    }

    // dL/dy: [batch, outSteps, filters] -> dL/dx: [batch, steps, inC];
    // fills kernel grad [kernel, inC, filters] and bias grad [filters].
    public func backward(_ gradOutput: Tensor) -> Tensor {
        precondition(hasTrainingPass, "conv1d backward without a training forward pass before it")
        hasTrainingPass = false
        let batch = output.rows
        precondition(gradOutput.rows == batch && gradOutput.count == output.count,
                     "conv1d backward expects \(output.shape) but got \(gradOutput.shape)")
        let dz = preActivationGradient(gradOutput)
        if let winograd { return backwardWinograd(dz, winograd) }
        return backwardColumns(dz)
    }

    /// dz = dL/dy * f'(z), from the kept output; rows are independent. A linear layer (the
    /// FCN's, before batchnorm) passes dL/dy on as it is.
    private func preActivationGradient(_ gradOutput: Tensor) -> Tensor {
        guard activation != .linear else { return gradOutput }
        gradPreActivation.resize(rows: output.rows)
        activation.backpropagateRows(output: output, gradOutput: gradOutput, into: &gradPreActivation, width: filters)
        return gradPreActivation
    }

    /// The im2col path's backward pass from dz.
    private func backwardColumns(_ dzTensor: Tensor) -> Tensor {
        let g = geometry, width = filters, patch = g.patchSize
        let batch = output.rows, rows = batch * g.outSteps
        let wantsInput = computesInputGradient
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
                                    db.update(repeating: 0)
                                    guard rows > 0 else { dkBuffer.update(repeating: 0); return }
                                    let dz = dzBuffer.baseAddress!
                                    let col = colBuffer.baseAddress!, k = kBuffer.baseAddress!
                                    // dK = col^T dz: [patch, rows] x [rows, filters]
                                    sgemm(transposeA: true, transposeB: false, m: patch, n: width, k: rows,
                                          a: col, lda: patch, b: dz, ldb: width, c: dkBuffer.baseAddress!, ldc: width)
                                    // db = column sums of dz over every step of every series.
                                    columnSums(dz, rows: rows, width: width, into: db.baseAddress!)
                                    guard wantsInput else { return }
                                    let dcol = dcolBuffer.baseAddress!, dx = dxBuffer.baseAddress!
                                    // dCol = dz K^T: [rows, filters] x [filters, patch], then each
                                    // window's gradient added back onto the steps it was read from.
                                    sgemm(transposeA: false, transposeB: true, m: rows, n: patch, k: width,
                                          a: dz, lda: width, b: k, ldb: width, c: dcol, ldc: patch)
                                    forEachPart(of: batch, work: rows * patch) { part in
                                        columnsToSeries(dcol + part.lowerBound * g.outSteps * patch, batch: part.count, g,
                                                        into: dx + part.lowerBound * g.inputSize)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return wantsInput ? gradInput : skippedGradient
    }
}

/// Throws `LayerProblem.expectedSeries` unless `shape` is one series (steps x channels, neither 0).
func requireSeries(_ shape: [Int], layer: String) throws {
    if shape.count == 2 && shape.allSatisfy({ $0 > 0 }) { return }
    throw LayerError(.expectedSeries(layer: layer, received: shape))
}
