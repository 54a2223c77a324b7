import DLCore

/// The mean or maximum of each channel over all steps of a series `[steps, c]`, or over height
/// and width of an image `[h, w, c]` (Keras's `GlobalAveragePooling1D/2D` and
/// `GlobalMaxPooling1D/2D`): one row of `c` features per sample. No parameters.
public final class GlobalPool: Layer {
    public let mode: PoolingMode
    public var kind: String {
        (mode == .max ? "GlobalMaxPooling" : "GlobalAveragePooling") + (inputRank == 3 ? "2D" : "1D")
    }
    public private(set) var outputShape: [Int] = []
    public let parameters: [Parameter] = []

    /// 2 for series, 3 for images (after build).
    public private(set) var inputRank = 2
    private var positions = 0, channels = 0
    // Reused buffers; their row count follows the batch size.
    private var output = Tensor(shape: [0, 0])    // y: [batch, c]
    private var gradInput = Tensor(shape: [0])    // dL/dx: [batch, inputShape...]
    /// Max mode: for every output scalar, the position (within its sample) it came from.
    private var argmax: [Int32] = []
    private var trainedBatch: Int?

    public init(mode: PoolingMode = .avg) { self.mode = mode }

    public func footprint(inputShape: [Int]) throws -> LayerFootprint {
        guard (inputShape.count == 2 || inputShape.count == 3), inputShape.allSatisfy({ $0 > 0 }) else {
            let got = inputShape.count == 1 ? "\(inputShape[0]) flat features" : describeShape(inputShape)
            throw LayerError(.invalidSetting(layer: "globalpool", expected: "series [steps, channels] or images [height, width, channels]",
                                             received: got))
        }
        let c = inputShape.last!, size = inputShape.reduce(1, *)
        var buffers: [LayerFootprint.Buffer] = [.init(floatsPerSample: c, use: .output),
                                                .init(floatsPerSample: size, use: .inputGradient)]
        if mode == .max { buffers.append(.init(floatsPerSample: c, use: .output)) }
        return LayerFootprint(outputShape: [c], parameters: 0, buffers: buffers)
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws {
        outputShape = try footprint(inputShape: inputShape).outputShape
        inputRank = inputShape.count
        channels = inputShape.last!
        positions = inputShape.dropLast().reduce(1, *)
        output = Tensor(shape: [0, channels])
        gradInput = Tensor(shape: [0] + inputShape)
        argmax = []
    }

    // x: [batch, positions..., c] -> y: [batch, c]
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(!outputShape.isEmpty, "globalpool used before build")
        let (c, positions) = (channels, positions)
        precondition(input.columns == positions * c || input.rows == 0,
                     "globalpool expects \(positions * c) scalars per sample but got \(input.columns)")
        let batch = input.rows, isMax = mode == .max, scale = 1 / Float(positions)
        output.resize(rows: batch)
        if isMax { resizeKeepingCapacity(&argmax, to: output.count) }
        input.data.withUnsafeBufferPointer { xBuffer in
            output.data.withUnsafeMutableBufferPointer { yBuffer in
                argmax.withUnsafeMutableBufferPointer { indexBuffer in
                    guard batch > 0 else { return }
                    let (x, y, index) = (xBuffer.baseAddress!, yBuffer.baseAddress!, indexBuffer.baseAddress)
                    forEachPart(of: batch, work: batch * positions * c / lightPassScalarsPerWork) { part in
                        for n in part {
                            let sample = x + n * positions * c, out = y + n * c
                            for j in 0..<c { out[j] = sample[j] }
                            if isMax {
                                let best = index! + n * c
                                for j in 0..<c { best[j] = 0 }
                                for p in 1..<positions {
                                    let row = sample + p * c, at = Int32(p)
                                    for j in 0..<c {
                                        best[j] = row[j] > out[j] ? at : best[j]
                                        out[j] = row[j] > out[j] ? row[j] : out[j]
                                    }
                                }
                            } else {
                                // Each channel adds its positions in order, vectorised across channels.
                                for p in 1..<max(positions, 1) {
                                    let row = sample + p * c
                                    for j in 0..<c { out[j] += row[j] }
                                }
                                for j in 0..<c { out[j] *= scale }
                            }
                        }
                    }
                }
            }
        }
        trainedBatch = training ? batch : nil
        return output
    }

    // dL/dy: [batch, c] -> dL/dx: [batch, positions..., c]
    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let batch = trainedBatch else { preconditionFailure("globalpool backward without a training forward pass before it") }
        trainedBatch = nil
        let (c, positions) = (channels, positions)
        precondition(gradOutput.rows == batch && gradOutput.columns == c,
                     "globalpool backward expects [\(batch), \(c)] but got \(gradOutput.shape)")
        gradInput.resize(rows: batch)
        let isMax = mode == .max, scale = 1 / Float(positions)
        gradOutput.data.withUnsafeBufferPointer { gyBuffer in
            gradInput.data.withUnsafeMutableBufferPointer { dxBuffer in
                argmax.withUnsafeBufferPointer { indexBuffer in
                    guard batch > 0 else { return }
                    let (gy, dx, index) = (gyBuffer.baseAddress!, dxBuffer.baseAddress!, indexBuffer.baseAddress)
                    forEachPart(of: batch, work: batch * positions * c / lightPassScalarsPerWork) { part in
                        for n in part {
                            let sample = dx + n * positions * c, g = gy + n * c
                            if isMax {
                                sample.update(repeating: 0, count: positions * c)
                                let best = index! + n * c
                                for j in 0..<c { sample[Int(best[j]) * c + j] = g[j] }
                            } else {
                                // Every position receives the channel's gradient over the count.
                                for p in 0..<positions {
                                    let row = sample + p * c
                                    for j in 0..<c { row[j] = g[j] * scale }
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
