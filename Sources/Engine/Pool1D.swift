import DLCore

/// Max or average pooling over windows of `size` steps of NWC series, per channel, padding valid
/// (Keras's `MaxPooling1D` / `AveragePooling1D`). No parameters.
public final class Pool1D: Layer {
    public let size: Int, stride: Int, mode: PoolingMode
    public var kind: String { mode == .max ? "MaxPooling1D" : "AveragePooling1D" }
    public private(set) var outputShape: [Int] = []
    public let parameters: [Parameter] = []

    private var steps = 0, channels = 0, outSteps = 0
    // Reused buffers; their row count follows the batch size.
    private var output = Tensor(shape: [0, 0, 0])    // y: [batch, outSteps, c]
    private var gradInput = Tensor(shape: [0, 0, 0]) // dL/dx: [batch, steps, c]
    /// Max mode: for every output scalar, the step (within its series) of the input it came from.
    private var argmax: [Int32] = []
    /// Batch size of the last training forward pass; nil when backward has nothing to use.
    private var trainedBatch: Int?

    /// Windows of `size` steps moved by `stride` (default: `size`, so windows do not overlap).
    public init(size: Int, stride: Int? = nil, mode: PoolingMode = .max) {
        self.size = size
        self.stride = stride ?? size
        self.mode = mode
    }

    public func footprint(inputShape: [Int]) throws -> LayerFootprint {
        guard size > 0 else { throw LayerError(.invalidSetting(layer: "pool1d", expected: "a size of at least 1", received: "\(size)")) }
        guard stride > 0 else { throw LayerError(.invalidSetting(layer: "pool1d", expected: "a stride of at least 1", received: "\(stride)")) }
        try requireSeries(inputShape, layer: "pool1d")
        guard size <= inputShape[0] else {
            throw LayerError(.windowDoesNotFit(layer: "pool1d", window: [size], padded: false, input: inputShape))
        }
        let out = (inputShape[0] - size) / stride + 1, outputs = out * inputShape[1]
        var buffers: [LayerFootprint.Buffer] = [.init(floatsPerSample: outputs, use: .output),
                                                .init(floatsPerSample: inputShape[0] * inputShape[1], use: .inputGradient)]
        if mode == .max { buffers.append(.init(floatsPerSample: outputs, use: .output)) }
        return LayerFootprint(outputShape: [out, inputShape[1]], parameters: 0, buffers: buffers)
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws {
        outputShape = try footprint(inputShape: inputShape).outputShape
        (steps, channels, outSteps) = (inputShape[0], inputShape[1], outputShape[0])
        output = Tensor(shape: [0] + outputShape)
        gradInput = Tensor(shape: [0] + inputShape)
        argmax = []
    }

    // x: [batch, steps, c] -> y: [batch, outSteps, c]
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(!outputShape.isEmpty, "pool1d used before build")
        precondition(input.columns == steps * channels || input.rows == 0,
                     "pool1d expects \(describeShape([steps, channels])) series but got \(Array(input.shape.dropFirst()))")
        let batch = input.rows, c = channels, (size, stride, outSteps, steps) = (size, stride, outSteps, steps)
        output.resize(rows: batch)
        if mode == .max { resizeKeepingCapacity(&argmax, to: output.count) }
        let isMax = mode == .max, scale = 1 / Float(size)
        input.data.withUnsafeBufferPointer { xBuffer in
            output.data.withUnsafeMutableBufferPointer { yBuffer in
                argmax.withUnsafeMutableBufferPointer { indexBuffer in
                    guard batch > 0 else { return }
                    let (x, y, index) = (xBuffer.baseAddress!, yBuffer.baseAddress!, indexBuffer.baseAddress)
                    forEachPart(of: batch, work: batch * steps * c) { part in
                        for n in part {
                            let series = x + n * steps * c
                            for o in 0..<outSteps {
                                let out = y + (n * outSteps + o) * c, window = series + o * stride * c
                                if isMax {
                                    let best = index! + (n * outSteps + o) * c
                                    for j in 0..<c { out[j] = window[j]; best[j] = Int32(o * stride) }
                                    for t in 1..<max(size, 1) {
                                        let step = window + t * c, at = Int32(o * stride + t)
                                        for j in 0..<c {
                                            // Selects, not branches: the first maximum wins ties.
                                            best[j] = step[j] > out[j] ? at : best[j]
                                            out[j] = step[j] > out[j] ? step[j] : out[j]
                                        }
                                    }
                                } else {
                                    for j in 0..<c { out[j] = window[j] }
                                    for t in 1..<max(size, 1) { for j in 0..<c { out[j] += window[t * c + j] } }
                                    for j in 0..<c { out[j] *= scale }
                                }
                            }
                        }
                    }
                }
            }
        }
        trainedBatch = training ? batch : nil
        return output
    }

    // dL/dy: [batch, outSteps, c] -> dL/dx: [batch, steps, c]
    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let batch = trainedBatch else { preconditionFailure("pool1d backward without a training forward pass before it") }
        trainedBatch = nil
        precondition(gradOutput.rows == batch && gradOutput.columns == outSteps * channels,
                     "pool1d backward expects [\(batch)] + \(outputShape) but got \(gradOutput.shape)")
        gradInput.resize(rows: batch)
        let c = channels, (size, stride, outSteps, steps) = (size, stride, outSteps, steps)
        let isMax = mode == .max, scale = 1 / Float(size)
        gradOutput.data.withUnsafeBufferPointer { gyBuffer in
            gradInput.data.withUnsafeMutableBufferPointer { dxBuffer in
                argmax.withUnsafeBufferPointer { indexBuffer in
                    guard batch > 0 else { return }
                    let (gy, dx, index) = (gyBuffer.baseAddress!, dxBuffer.baseAddress!, indexBuffer.baseAddress)
                    forEachPart(of: batch, work: batch * steps * c) { part in
                        (dx + part.lowerBound * steps * c).update(repeating: 0, count: part.count * steps * c)
                        for n in part {
                            let series = dx + n * steps * c
                            for o in 0..<outSteps {
                                let g = gy + (n * outSteps + o) * c
                                if isMax {
                                    let best = index! + (n * outSteps + o) * c
                                    for j in 0..<c { series[Int(best[j]) * c + j] += g[j] }
                                } else {
                                    let window = series + o * stride * c
                                    for t in 0..<size { for j in 0..<c { window[t * c + j] += g[j] * scale } }
                                }
                            }
                        }
                    }
                }
            }
        }
        return gradInput
    }
}
