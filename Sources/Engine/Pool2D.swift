import CKernels
import DLCore

/// How a pooling window summarises its pixels.
public enum PoolingMode: String, CaseIterable, Sendable {
    case max, avg
}

/// Max or average pooling over size x size windows of NHWC images, per channel, padding valid
/// (Keras's `MaxPooling2D` / `AveragePooling2D`). No parameters.
public final class Pool2D: Layer {
    public let size: Int, stride: Int, mode: PoolingMode
    public var kind: String { mode == .max ? "MaxPooling2D" : "AveragePooling2D" }
    public private(set) var outputShape: [Int] = []
    public let parameters: [Parameter] = []

    private(set) var geometry = WindowGeometry()

    // Reused buffers; their row count follows the batch size.
    private(set) var output = Tensor(shape: [0, 0, 0, 0])    // y: [batch, outH, outW, c]
    private(set) var gradInput = Tensor(shape: [0, 0, 0, 0]) // dL/dx: [batch, inH, inW, c]
    /// Max mode: for every output scalar, the flat index (within its image, so 32 bits suffice
    /// for any batch) of the input scalar it came from, so backward routes the gradient
    /// without looking at the input again.
    private(set) var argmax: [Int32] = []
    /// The geometry as CKernels' max-pooling passes take it.
    private var kernelShape: dl_pool_shape {
        let g = geometry
        return dl_pool_shape(height: g.inHeight, width: g.inWidth, channels: g.channels, size: g.kernelHeight,
                             stride: g.stride, outHeight: g.outHeight, outWidth: g.outWidth)
    }
    /// Set by the trainer around backward when the layer before is a relu/leaky-relu conv that
    /// takes this layer's gradient as its dL/dz (max mode, windows not overlapping): each routed
    /// gradient is masked by the sign of the pooled value, which is the conv output it came
    /// from, exactly as the conv would mask it, and the conv skips its own pass over the batch.
    var reluSlopeForPrevious: Float?
    /// Batch size of the last training forward pass; nil when backward has nothing to use.
    private var trainedBatch: Int?

    /// Windows of size x size moved by `stride` (default: `size`, so windows do not overlap).
    public init(size: Int, stride: Int? = nil, mode: PoolingMode = .max) {
        self.size = size
        self.stride = stride ?? size
        self.mode = mode
    }

    /// Where the window visits an input of `inputShape`, or the reason it cannot.
    private func checkedGeometry(_ inputShape: [Int]) throws -> WindowGeometry {
        guard size > 0 else { throw LayerError(.invalidSetting(layer: "pooling", expected: "a size of at least 1", received: "\(size)")) }
        guard stride > 0 else { throw LayerError(.invalidSetting(layer: "pooling", expected: "a stride of at least 1", received: "\(stride)")) }
        try requireImage(inputShape, layer: "pooling")
        guard let g = WindowGeometry(input: inputShape, kernelHeight: size, kernelWidth: size,
                                     stride: stride, padding: .valid) else {
            throw LayerError(.windowDoesNotFit(layer: "pooling", window: [size, size], padded: false, input: inputShape))
        }
        return g
    }

    public func footprint(inputShape: [Int]) throws -> LayerFootprint {
        let g = try checkedGeometry(inputShape)
        let outputs = g.positions * g.channels
        // output and (max) the 32-bit argmax per output scalar; dL/dx: [batch, inH, inW, c].
        var buffers: [LayerFootprint.Buffer] = [.init(floatsPerSample: outputs, use: .output),
                                                .init(floatsPerSample: g.inputSize, use: .inputGradient)]
        if mode == .max { buffers.append(.init(floatsPerSample: outputs, use: .output)) }
        return LayerFootprint(outputShape: [g.outHeight, g.outWidth, g.channels], parameters: 0, buffers: buffers)
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws {
        let g = try checkedGeometry(inputShape)
        geometry = g
        outputShape = [g.outHeight, g.outWidth, g.channels]
        output = Tensor(shape: [0] + outputShape)
        gradInput = Tensor(shape: [0] + inputShape)
        argmax = []
    }

    // x: [batch, inH, inW, c] -> y: [batch, outH, outW, c]
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(!outputShape.isEmpty, "pooling used before build")
        let g = geometry
        precondition(input.columns == g.inputSize || input.rows == 0,
                     "pooling expects \(describeShape([g.inHeight, g.inWidth, g.channels])) images but got \(Array(input.shape.dropFirst()))")
        let batch = input.rows
        output.resize(rows: batch)
        if mode == .max { resizeKeepingCapacity(&argmax, to: output.count) }
        let mode = self.mode
        input.data.withUnsafeBufferPointer { x in
            output.data.withUnsafeMutableBufferPointer { y in
                argmax.withUnsafeMutableBufferPointer { index in
                    guard batch > 0 else { return }
                    let (xBase, yBase, indexBase) = (x.baseAddress!, y.baseAddress!, index.baseAddress)
                    let perImage = g.positions * g.channels
                    var shape = kernelShape
                    // Images are independent (argmax indices count from their own image's start).
                    forEachPart(of: batch, work: batch * g.inputSize) { part in
                        let xPart = xBase + part.lowerBound * g.inputSize, yPart = yBase + part.lowerBound * perImage
                        if mode == .max {
                            dl_max_pool(&shape, xPart, part.count, yPart, indexBase! + part.lowerBound * perImage)
                        } else {
                            averagePool(xPart, batch: part.count, g, into: yPart)
                        }
                    }
                }
            }
        }
        trainedBatch = training ? batch : nil
        return output
    }

    // dL/dy: [batch, outH, outW, c] -> dL/dx: [batch, inH, inW, c]
    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let batch = trainedBatch else {
            preconditionFailure("pooling backward without a training forward pass before it")
        }
        trainedBatch = nil
        let g = geometry
        precondition(gradOutput.rows == batch && gradOutput.columns == g.positions * g.channels,
                     "pooling backward expects [\(batch)] + \(outputShape) but got \(gradOutput.shape)")
        gradInput.resize(rows: batch)
        let mode = self.mode, slope = reluSlopeForPrevious
        precondition(slope == nil || (mode == .max && stride >= size), "masking needs max pooling without overlap")
        gradOutput.data.withUnsafeBufferPointer { gy in
          output.data.withUnsafeBufferPointer { pooled in
            gradInput.data.withUnsafeMutableBufferPointer { dx in
                argmax.withUnsafeBufferPointer { index in
                    guard batch > 0 else { return }
                    let (gyBase, dxBase, indexBase) = (gy.baseAddress!, dx.baseAddress!, index.baseAddress)
                    let perImage = g.positions * g.channels
                    // Windows that tile the image exactly: one pass clears and fills each window.
                    if let slope, g.stride == g.kernelHeight, g.outHeight * g.stride == g.inHeight,
                       g.outWidth * g.stride == g.inWidth {
                        var shape = kernelShape
                        let y = pooled.baseAddress!
                        forEachPart(of: batch, work: batch * g.inputSize) { part in
                            let first = part.lowerBound * perImage
                            dl_max_pool_backward_routed(&shape, gyBase + first, y + first, indexBase! + first, part.count, slope,
                                                        dxBase + part.lowerBound * g.inputSize)
                        }
                        return
                    }
                    // Images are independent: each part zeroes and fills only its own images.
                    forEachPart(of: batch, work: batch * g.inputSize) { part in
                        let dxPart = dxBase + part.lowerBound * g.inputSize
                        dxPart.update(repeating: 0, count: part.count * g.inputSize)
                        if mode == .max {
                            // Each output scalar came from exactly one input scalar of its image.
                            if let slope {
                                // Windows do not overlap: one gradient per input, then the conv's mask.
                                let y = pooled.baseAddress!
                                for n in part {
                                    let image = dxBase + n * g.inputSize
                                    for i in n * perImage ..< (n + 1) * perImage {
                                        let v = image[Int(indexBase![i])] + gyBase[i]
                                        image[Int(indexBase![i])] = y[i] > 0 ? v : v * slope
                                    }
                                }
                                return
                            }
                            for n in part {
                                let image = dxBase + n * g.inputSize
                                for i in n * perImage ..< (n + 1) * perImage { image[Int(indexBase![i])] += gyBase[i] }
                            }
                        } else {
                            averagePoolBackward(gyBase + part.lowerBound * perImage, batch: part.count, g, into: dxPart)
                        }
                    }
                }
            }
          }
        }
        return gradInput
    }
}

/// x: [batch, inH, inW, c] -> y: [batch, outH, outW, c] (window means).
private func averagePool(_ x: UnsafePointer<Float>, batch: Int, _ g: WindowGeometry, into y: UnsafeMutablePointer<Float>) {
    let c = g.channels, k = g.kernelHeight, scale = 1 / Float(k * k)
    var out = y
    for n in 0..<batch {
        let image = x + n * g.inputSize
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                out.update(repeating: 0, count: c)
                for ky in 0..<k {
                    let pixel = image + ((oy * g.stride + ky) * g.inWidth + ox * g.stride) * c
                    // The k pixels of one window row are one contiguous run of k * c floats.
                    for kx in 0..<k {
                        for ch in 0..<c { out[ch] += pixel[kx * c + ch] }
                    }
                }
                for ch in 0..<c { out[ch] *= scale }
                out += c
            }
        }
    }
}

/// dL/dy: [batch, outH, outW, c] -> dL/dx (pre-zeroed) [batch, inH, inW, c]: each window's
/// gradient is shared evenly by its k*k pixels; overlapping windows accumulate.
private func averagePoolBackward(_ gy: UnsafePointer<Float>, batch: Int, _ g: WindowGeometry,
                                 into dx: UnsafeMutablePointer<Float>) {
    let c = g.channels, k = g.kernelHeight, scale = 1 / Float(k * k)
    var grad = gy
    for n in 0..<batch {
        let image = dx + n * g.inputSize
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                for ky in 0..<k {
                    let pixel = image + ((oy * g.stride + ky) * g.inWidth + ox * g.stride) * c
                    for kx in 0..<k {
                        for ch in 0..<c { pixel[kx * c + ch] += grad[ch] * scale }
                    }
                }
                grad += c
            }
        }
    }
}

/// Sets `array.count` without giving back capacity, so shrinking for a partial last batch and
/// growing back does not allocate. New elements are zero.
func resizeKeepingCapacity<T: Numeric>(_ array: inout [T], to count: Int) {
    if count < array.count {
        array.removeLast(array.count - count)
    } else if count > array.count {
        array.append(contentsOf: repeatElement(0, count: count - array.count))
    }
}
