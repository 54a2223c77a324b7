import DLCore

/// A non-linearity on its own (Keras's `Activation` layer): `y = f(x)` elementwise, or for
/// softmax over the last dimension, on any input shape. No parameters. It runs the same code as
/// a Dense layer's fused activation (with a zero bias), so a linear Dense followed by a softmax
/// ActivationLayer computes what a Dense layer with softmax computes.
public final class ActivationLayer: Layer, InputGradientOptional, ActivationFusing {
    public let activation: Activation
    public let kind = "Activation"
    public private(set) var outputShape: [Int] = []
    public let parameters: [Parameter] = []

    /// Set by the trainer while this is the output layer and the loss already folded the
    /// activation's derivative in (softmax + crossentropy, sigmoid + binary_crossentropy):
    /// `backward` then passes a copy of dL/dz on.
    var gradientIsPreActivation = false
    /// When false, `backward` returns an empty tensor (the trainer's first layer).
    var computesInputGradient = true

    /// Size of the last dimension: softmax's row, and the width of the zero bias.
    private var width = 0
    /// Scalars per sample.
    private var sampleSize = 0
    /// Zeros, [width]: the bias handed to `Activation.applyWithBias`.
    private var zeroBias: [Float] = []
    // Reused buffers; their row count follows the batch size.
    private(set) var output = Tensor(shape: [0])     // y: [batch, shape...]
    private(set) var gradInput = Tensor(shape: [0])  // dL/dx: [batch, shape...]
    private let skippedGradient = Tensor(shape: [0])
    private var hasTrainingPass = false

    public init(_ activation: Activation) {
        self.activation = activation
    }

    public func footprint(inputShape: [Int]) throws -> LayerFootprint {
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }) else {
            throw LayerError(.invalidSetting(layer: "activation", expected: "an input with at least one value per sample",
                                             received: describeShape(inputShape)))
        }
        // y and dL/dx, each [batch, shape...]; the zero bias ([last dimension]) is not per sample.
        let size = inputShape.reduce(1, *)
        return LayerFootprint(outputShape: inputShape, parameters: 0,
                              buffers: [.init(floatsPerSample: size, use: .output),
                                        .init(floatsPerSample: size, use: .inputGradient)])
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws {
        outputShape = try footprint(inputShape: inputShape).outputShape
        width = inputShape.last!
        sampleSize = inputShape.reduce(1, *)
        zeroBias = [Float](repeating: 0, count: width)
        output = Tensor(shape: [0] + inputShape)
        gradInput = Tensor(shape: [0] + inputShape)
    }

    // x: [batch, shape...] -> y = f(x): [batch, shape...] (softmax over the last dimension)
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(!outputShape.isEmpty, "activation used before build")
        precondition(input.columns == sampleSize || input.rows == 0,
                     "activation expects \(describeShape(outputShape)) per sample but got \(Array(input.shape.dropFirst()))")
        output.resize(rows: input.rows)
        let (width, activation) = (self.width, self.activation)
        let rows = input.count / width
        input.data.withUnsafeBufferPointer { x in
            output.data.withUnsafeMutableBufferPointer { y in
                zeroBias.withUnsafeBufferPointer { bias in
                    guard rows > 0 else { return }
                    let (xBase, yBase, bBase) = (x.baseAddress!, y.baseAddress!, bias.baseAddress!)
                    // Rows are independent: each thread copies and activates its own.
                    forEachPart(of: rows, work: rows * width / lightPassScalarsPerWork) { part in
                        let offset = part.lowerBound * width
                        (yBase + offset).update(from: xBase + offset, count: part.count * width)
                        activation.applyWithBias(yBase + offset, rows: part.count, width: width, bias: bBase)
                    }
                }
            }
        }
        hasTrainingPass = training
        return output
    }

    // dL/dy: [batch, shape...] -> dL/dx = dL/dy * f'(x), from the kept output y: [batch, shape...]
    public func backward(_ gradOutput: Tensor) -> Tensor {
        precondition(hasTrainingPass, "activation backward without a training forward pass before it")
        hasTrainingPass = false
        precondition(gradOutput.count == output.count, "activation backward expects \(output.shape) but got \(gradOutput.shape)")
        guard computesInputGradient else { return skippedGradient }
        gradInput.resize(rows: gradOutput.rows, likeRowsOf: output)
        let fused = gradientIsPreActivation
        let (width, activation) = (self.width, self.activation)
        let rows = output.count / width
        output.data.withUnsafeBufferPointer { y in
            gradOutput.data.withUnsafeBufferPointer { g in
                gradInput.data.withUnsafeMutableBufferPointer { dx in
                    guard rows > 0 else { return }
                    let (yBase, gBase, dxBase) = (y.baseAddress!, g.baseAddress!, dx.baseAddress!)
                    forEachPart(of: rows, work: rows * width / lightPassScalarsPerWork) { part in
                        let offset = part.lowerBound * width
                        // Fused with the loss: the gradient already is dL/dx (copied, as Dense copies it).
                        if fused { (dxBase + offset).update(from: gBase + offset, count: part.count * width); return }
                        activation.backpropagate(output: yBase + offset, gradOutput: gBase + offset,
                                                 into: dxBase + offset, rows: part.count, width: width)
                    }
                }
            }
        }
        return gradInput
    }
}
