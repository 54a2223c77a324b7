import DLCore

/// Fully connected layer: `y = f(x W + b)` with `W: [in, units]`, `b: [units]` (Keras's `Dense`).
/// On series ([steps, in] per sample, a recurrent layer's `sequences`) it applies to every step
/// alike, as Keras's Dense does on 3-D input: [steps, in] -> [steps, units].
///
/// Initialisation: He normal (std `sqrt(2 / fan_in)`) for relu and leaky_relu, Glorot uniform
/// (limit `sqrt(6 / (fan_in + fan_out))`) otherwise; biases start at zero.
public final class Dense: Layer, InputGradientOptional, ActivationFusing {
    public let units: Int
    public let activation: Activation
    public let kind = "Dense"
    public private(set) var outputShape: [Int] = []
    public private(set) var parameters: [Parameter] = []

    /// Input features per sample (per step on series); set by build.
    private(set) var inputSize = 0
    /// Steps per sample on series, 1 on flat rows: the product runs over batch x steps rows.
    private(set) var steps = 1

    /// When true, `backward` receives dLoss/dz (pre-activation) instead of dLoss/dy, because the
    /// loss already folded the activation's derivative in (softmax + crossentropy, sigmoid +
    /// binary_crossentropy both give `p - y`). Set by the trainer around training only.
    var gradientIsPreActivation = false
    /// When false, `backward` skips the `dz W^T` product and returns an empty tensor; the
    /// trainer turns it off for the first layer, whose input gradient nobody reads.
    var computesInputGradient = true

    // Reused buffers, shaped by build; their row count follows the batch size.
    private(set) var output = Tensor(shape: [0, 0])            // y: [batch, units]
    private(set) var gradPreActivation = Tensor(shape: [0, 0]) // dL/dz: [batch, units]
    private(set) var gradInput = Tensor(shape: [0, 0])         // dL/dx: [batch, in]
    /// Returned by backward when the input gradient is switched off.
    private let skippedGradient = Tensor(shape: [0])
    /// The input of the last training forward pass, held (not copied) until backward
    /// consumes it, then released so the caller's batch buffer is uniquely owned again.
    private var savedInput: Tensor?

    public init(units: Int, activation: Activation = .linear) {
        self.units = units
        self.activation = activation
    }

    private var kernel: Parameter { parameters[0] }
    private var bias: Parameter { parameters[1] }

    /// Input features per sample (per step on series), or the reason this layer cannot take `inputShape`.
    private func checkedInputSize(_ inputShape: [Int]) throws -> Int {
        guard units > 0 else {
            throw LayerError(.invalidSetting(layer: "dense", expected: "at least one unit", received: "\(units)"))
        }
        guard inputShape.count == 1 || inputShape.count == 2 && inputShape[0] > 0 else {
            throw LayerError(.expectedFlatInput(layer: "dense", received: inputShape))
        }
        guard inputShape[inputShape.count - 1] > 0 else {
            throw LayerError(.invalidSetting(layer: "dense", expected: "at least one input feature", received: "0"))
        }
        return inputShape[inputShape.count - 1]
    }

    public func footprint(inputShape: [Int]) throws -> LayerFootprint {
        let inSize = try checkedInputSize(inputShape)
        let steps = inputShape.count == 2 ? inputShape[0] : 1
        // output and dL/dz: [batch, (steps,) units]; dL/dx: [batch, (steps,) in]. The input is held, not copied.
        return LayerFootprint(outputShape: inputShape.dropLast() + [units], parameters: (inSize + 1) * units,
                              buffers: [.init(floatsPerSample: steps * units, use: .output),
                                        .init(floatsPerSample: steps * units, use: .training),
                                        .init(floatsPerSample: steps * inSize, use: .inputGradient)])
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws {
        inputSize = try checkedInputSize(inputShape)
        steps = inputShape.count == 2 ? inputShape[0] : 1
        outputShape = inputShape.dropLast() + [units]
        output = Tensor(shape: [0] + outputShape)
        gradPreActivation = Tensor(shape: [0] + outputShape)
        gradInput = Tensor(shape: [0] + inputShape)

        var kernelValue = Tensor(shape: [inputSize, units])
        switch activation {
        case .relu, .leakyRelu:
            let std = (2.0 / Double(inputSize)).squareRoot()
            for i in kernelValue.data.indices { kernelValue.data[i] = Float(rng.normal(mean: 0, std: std)) }
        case .linear, .sigmoid, .tanh, .softmax:
            let limit = (6.0 / Double(inputSize + units)).squareRoot()
            for i in kernelValue.data.indices { kernelValue.data[i] = Float(rng.uniform(-limit, limit)) }
        }
        parameters = [Parameter(name: "kernel", value: kernelValue),
                      Parameter(name: "bias", value: Tensor(shape: [units]))]
    }

    // x: [batch, in] -> y: [batch, units]
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(!parameters.isEmpty, "dense used before build")
        precondition(input.columns == steps * inputSize || input.rows == 0,
                     "dense expects \(steps * inputSize) features per row but got \(input.columns)")
        output.resize(rows: input.rows)
        let batch = input.rows * steps  // rows of the product: one per sample and step
        let (inSize, width, activation) = (inputSize, units, self.activation)
        input.data.withUnsafeBufferPointer { x in
            kernel.value.data.withUnsafeBufferPointer { w in
                bias.value.data.withUnsafeBufferPointer { b in
                    output.data.withUnsafeMutableBufferPointer { y in
                        guard batch > 0 else { return }
                        // z = x W, then bias and activation fused in one pass over z.
                        sgemm(transposeA: false, transposeB: false, m: batch, n: width, k: inSize,
                              a: x.baseAddress!, lda: inSize, b: w.baseAddress!, ldb: width,
                              c: y.baseAddress!, ldc: width)
                        activation.applyWithBias(y.baseAddress!, rows: batch, width: width, bias: b.baseAddress!)
                    }
                }
            }
        }
        savedInput = training ? input : nil
        return output
    }

    // dL/dy: [batch, units] -> dL/dx: [batch, in]; fills kernel grad [in, units] and bias grad [units].
    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let input = savedInput else {
            preconditionFailure("dense backward without a training forward pass before it")
        }
        savedInput = nil
        precondition(gradOutput.rows == input.rows && gradOutput.columns == steps * units,
                     "dense backward expects [\(input.rows)] + \(outputShape) but got \(gradOutput.shape)")
        gradPreActivation.resize(rows: input.rows)
        let batch = input.rows * steps  // rows of the product: one per sample and step
        let (inSize, width) = (inputSize, units)

        // dz = dL/dy * f'(z), unless the loss already handed us dz.
        gradOutput.data.withUnsafeBufferPointer { g in
            output.data.withUnsafeBufferPointer { y in
                gradPreActivation.data.withUnsafeMutableBufferPointer { dz in
                    guard batch > 0 else { return }
                    if gradientIsPreActivation {
                        dz.baseAddress!.update(from: g.baseAddress!, count: batch * width)
                    } else {
                        activation.backpropagate(output: y.baseAddress!, gradOutput: g.baseAddress!,
                                                 into: dz.baseAddress!, rows: batch, width: width)
                    }
                }
            }
        }

        gradPreActivation.data.withUnsafeBufferPointer { dz in
            // dW = x^T dz: [in, batch] x [batch, units]
            input.data.withUnsafeBufferPointer { x in
                kernel.gradient.data.withUnsafeMutableBufferPointer { dw in
                    if batch == 0 { dw.update(repeating: 0); return }
                    sgemm(transposeA: true, transposeB: false, m: inSize, n: width, k: batch,
                          a: x.baseAddress!, lda: inSize, b: dz.baseAddress!, ldb: width,
                          c: dw.baseAddress!, ldc: width)
                }
            }
            // db = column sums of dz
            bias.gradient.data.withUnsafeMutableBufferPointer { db in
                db.update(repeating: 0)
                for r in 0..<batch {
                    let row = dz.baseAddress! + r * width
                    for j in 0..<width { db[j] += row[j] }
                }
            }
        }

        guard computesInputGradient else { return skippedGradient }
        gradInput.resize(rows: input.rows)
        // dx = dz W^T: [batch, units] x [units, in]
        gradPreActivation.data.withUnsafeBufferPointer { dz in
            kernel.value.data.withUnsafeBufferPointer { w in
                gradInput.data.withUnsafeMutableBufferPointer { dx in
                    guard batch > 0 else { return }
                    sgemm(transposeA: false, transposeB: true, m: batch, n: inSize, k: width,
                          a: dz.baseAddress!, lda: width, b: w.baseAddress!, ldb: width,
                          c: dx.baseAddress!, ldc: inSize)
                }
            }
        }
        return gradInput
    }
}
