import DLCore

/// Batch normalisation over the last dimension (Keras's `BatchNormalization(axis=-1)`): each
/// feature (for images, each channel, with statistics over batch x height x width) is normalised
/// by the batch's mean and biased variance while training, by the moving statistics otherwise:
/// `y = gamma * (x - mean) / sqrt(variance + epsilon) + beta`.
///
/// Training passes also update the moving statistics, as Keras 3 does (with the biased batch
/// variance): `moving = moving * momentum + batch * (1 - momentum)`.
/// Parameters `gamma` (starts at 1) and `beta` (0); states `moving_mean` (0) and
/// `moving_variance` (1), which the optimizer never sees.
public final class BatchNorm: Layer, InputGradientOptional {
    /// Weight of the old moving statistics in each update, in [0, 1).
    public let momentum: Float
    /// Added to the variance before the square root; greater than 0.
    public let epsilon: Float
    public let kind = "BatchNormalization"
    public private(set) var outputShape: [Int] = []
    public private(set) var parameters: [Parameter] = []
    public private(set) var states: [Parameter] = []

    /// When false, `backward` fills gamma's and beta's gradients only and returns an empty tensor.
    var computesInputGradient = true

    /// Features normalised separately: the last dimension.
    private(set) var features = 0
    /// Scalars per sample.
    private var sampleSize = 0
    // Per-feature scratch, [features] each, allocated by build (not per sample).
    private var mean: [Float] = []      // batch mean of the last training pass
    private(set) var invStd: [Float] = [] // 1 / sqrt(variance + epsilon) of the last training pass
    private var scale: [Float] = []     // inference: gamma * invStd of the moving variance
    private var shift: [Float] = []     // inference: beta - moving_mean * scale
    // Reused buffers; their row count follows the batch size.
    private(set) var output = Tensor(shape: [0])      // y: [batch, shape...]
    private(set) var normalized = Tensor(shape: [0])  // xhat = (x - mean) * invStd: [batch, shape...]
    private(set) var gradInput = Tensor(shape: [0])   // dL/dx: [batch, shape...]
    private let skippedGradient = Tensor(shape: [0])
    private var hasTrainingPass = false

    public init(momentum: Float = 0.99, epsilon: Float = 0.001) {
        self.momentum = momentum
        self.epsilon = epsilon
    }

    var gamma: Parameter { parameters[0] }
    var beta: Parameter { parameters[1] }
    var movingMean: Parameter { states[0] }
    var movingVariance: Parameter { states[1] }

    public func footprint(inputShape: [Int]) throws -> LayerFootprint {
        guard momentum >= 0 && momentum < 1 else {
            throw LayerError(.invalidSetting(layer: "batchnorm", expected: "a momentum of at least 0 and below 1", received: "\(momentum)"))
        }
        guard epsilon > 0 && epsilon.isFinite else {
            throw LayerError(.invalidSetting(layer: "batchnorm", expected: "an epsilon above 0", received: "\(epsilon)"))
        }
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }) else {
            throw LayerError(.invalidSetting(layer: "batchnorm", expected: "an input with at least one value per sample",
                                             received: describeShape(inputShape)))
        }
        let size = inputShape.reduce(1, *), features = inputShape.last!
        // y (training and inference), xhat (training) and dL/dx, each [batch, shape...]. The
        // four [features] scratch arrays are not per sample and are left out, as they are tiny.
        return LayerFootprint(outputShape: inputShape, parameters: 2 * features, states: 2 * features,
                              buffers: [.init(floatsPerSample: size, use: .output),
                                        .init(floatsPerSample: size, use: .training),
                                        .init(floatsPerSample: size, use: .inputGradient)])
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws {
        outputShape = try footprint(inputShape: inputShape).outputShape
        features = inputShape.last!
        sampleSize = inputShape.reduce(1, *)
        mean = [Float](repeating: 0, count: features)
        invStd = mean
        scale = mean
        shift = mean
        output = Tensor(shape: [0] + inputShape)
        normalized = Tensor(shape: [0] + inputShape)
        gradInput = Tensor(shape: [0] + inputShape)
        parameters = [Parameter(name: "gamma", value: Tensor(shape: [features], repeating: 1)),
                      Parameter(name: "beta", value: Tensor(shape: [features]))]
        states = [Parameter(name: "moving_mean", value: Tensor(shape: [features])),
                  Parameter(name: "moving_variance", value: Tensor(shape: [features], repeating: 1))]
    }

    // x: [batch, shape...] viewed as [rows, features] -> y: [batch, shape...]
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(!parameters.isEmpty, "batchnorm used before build")
        precondition(input.rows == 0 || input.columns == sampleSize,
                     "batchnorm expects \(describeShape(outputShape)) per sample but got \(Array(input.shape.dropFirst()))")
        output.resize(rows: input.rows)
        hasTrainingPass = training
        if training {
            normalized.resize(rows: input.rows)
            forwardTraining(input)
        } else {
            forwardInference(input)
        }
        return output
    }

    /// Batch statistics per feature, xhat, y, and the moving statistics' update.
    private func forwardTraining(_ input: Tensor) {
        let width = features, rows = input.count / features
        guard rows > 0 else { return }
        let (epsilon, momentum) = (self.epsilon, self.momentum)
        input.data.withUnsafeBufferPointer { xBuffer in
            mean.withUnsafeMutableBufferPointer { meanBuffer in
                invStd.withUnsafeMutableBufferPointer { invStdBuffer in
                    let (x, mu, inv) = (xBuffer.baseAddress!, meanBuffer.baseAddress!, invStdBuffer.baseAddress!)
                    // Sums run down the rows for each feature, so the parts split the features only:
                    // every sum adds its rows in the same order however many parts there are.
                    forEachPart(of: width, work: rows * width / lightPassScalarsPerWork) { part in
                        let (lo, hi) = (part.lowerBound, part.upperBound)
                        for j in lo..<hi { mu[j] = 0; inv[j] = 0 }
                        // Row pointers and wrapping index arithmetic let the inner loops vectorise
                        // across features (each feature still sums its rows in order).
                        var row = x
                        for _ in 0..<rows {
                            for j in lo..<hi { mu[j] += row[j] }
                            row += width
                        }
                        for j in lo..<hi { mu[j] /= Float(rows) }
                        // Biased variance, from a second pass over the centred values (no cancellation).
                        row = x
                        for _ in 0..<rows {
                            for j in lo..<hi {
                                let d = row[j] - mu[j]
                                inv[j] += d * d
                            }
                            row += width
                        }
                        for j in lo..<hi { inv[j] /= Float(rows) }
                    }
                    // moving = moving * momentum + batch * (1 - momentum), before inv turns into 1/std.
                    movingMean.value.data.withUnsafeMutableBufferPointer { m in
                        movingVariance.value.data.withUnsafeMutableBufferPointer { v in
                            for j in 0..<width {
                                m[j] = m[j] * momentum + mu[j] * (1 - momentum)
                                v[j] = v[j] * momentum + inv[j] * (1 - momentum)
                                inv[j] = 1 / (inv[j] + epsilon).squareRoot()
                            }
                        }
                    }
                }
            }
        }
        // xhat = (x - mean) * invStd, y = gamma * xhat + beta; rows are independent.
        normalizeRows(input, rows: rows)
    }

    private func normalizeRows(_ input: Tensor, rows: Int) {
        let width = features
        input.data.withUnsafeBufferPointer { xBuffer in
            normalized.data.withUnsafeMutableBufferPointer { xhatBuffer in
                output.data.withUnsafeMutableBufferPointer { yBuffer in
                    mean.withUnsafeBufferPointer { mu in
                        invStd.withUnsafeBufferPointer { inv in
                            gamma.value.data.withUnsafeBufferPointer { g in
                                beta.value.data.withUnsafeBufferPointer { b in
                                    let (x, xhat, y) = (xBuffer.baseAddress!, xhatBuffer.baseAddress!, yBuffer.baseAddress!)
                                    let (mu, inv, g, b) = (mu.baseAddress!, inv.baseAddress!, g.baseAddress!, b.baseAddress!)
                                    forEachPart(of: rows, work: rows * width / lightPassScalarsPerWork) { part in
                                        let start = part.lowerBound &* width
                                        var (xRow, xhatRow, yRow) = (x + start, xhat + start, y + start)
                                        for _ in part {
                                            for j in 0..<width {
                                                let n = (xRow[j] - mu[j]) * inv[j]
                                                xhatRow[j] = n
                                                yRow[j] = g[j] * n + b[j]
                                            }
                                            xRow += width; xhatRow += width; yRow += width
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// y = x * scale + shift with the moving statistics folded into scale and shift, as
    /// TensorFlow's `batch_normalization` computes it.
    private func forwardInference(_ input: Tensor) {
        let width = features, rows = input.count / features, epsilon = self.epsilon
        for j in 0..<width {
            let s = gamma.value.data[j] / (movingVariance.value.data[j] + epsilon).squareRoot()
            scale[j] = s
            shift[j] = beta.value.data[j] - movingMean.value.data[j] * s
        }
        guard rows > 0 else { return }
        input.data.withUnsafeBufferPointer { xBuffer in
            output.data.withUnsafeMutableBufferPointer { yBuffer in
                scale.withUnsafeBufferPointer { s in
                    shift.withUnsafeBufferPointer { t in
                        let (x, y, s, t) = (xBuffer.baseAddress!, yBuffer.baseAddress!, s.baseAddress!, t.baseAddress!)
                        forEachPart(of: rows, work: rows * width / lightPassScalarsPerWork) { part in
                            let start = part.lowerBound &* width
                            var (xRow, yRow) = (x + start, y + start)
                            for _ in part {
                                for j in 0..<width { yRow[j] = xRow[j] * s[j] + t[j] }
                                xRow += width; yRow += width
                            }
                        }
                    }
                }
            }
        }
    }

    // dL/dy: [batch, shape...] viewed as [rows, features] -> dL/dx: [batch, shape...];
    // dbeta = sum(dy), dgamma = sum(dy * xhat) over the rows, and through the batch statistics
    // dx = gamma * invStd / n * (n * dy - dbeta - xhat * dgamma) with n rows.
    public func backward(_ gradOutput: Tensor) -> Tensor {
        precondition(hasTrainingPass, "batchnorm backward without a training forward pass before it")
        hasTrainingPass = false
        precondition(gradOutput.count == normalized.count, "batchnorm backward expects \(normalized.shape) but got \(gradOutput.shape)")
        let width = features, rows = normalized.count / features
        let wantsInput = computesInputGradient
        if wantsInput { gradInput.resize(rows: gradOutput.rows) }
        gradOutput.data.withUnsafeBufferPointer { dyBuffer in
            normalized.data.withUnsafeBufferPointer { xhatBuffer in
                gamma.gradient.data.withUnsafeMutableBufferPointer { dgBuffer in
                    beta.gradient.data.withUnsafeMutableBufferPointer { dbBuffer in
                        let (dg, db) = (dgBuffer.baseAddress!, dbBuffer.baseAddress!)
                        dgBuffer.update(repeating: 0)
                        dbBuffer.update(repeating: 0)
                        guard rows > 0 else { return }
                        let (dy, xhat) = (dyBuffer.baseAddress!, xhatBuffer.baseAddress!)
                        // Sums over the rows per feature: split by features only (see forwardTraining).
                        forEachPart(of: width, work: rows * width / lightPassScalarsPerWork) { part in
                            var (dyRow, xhatRow) = (dy, xhat)
                            for _ in 0..<rows {
                                for j in part {
                                    db[j] += dyRow[j]
                                    dg[j] += dyRow[j] * xhatRow[j]
                                }
                                dyRow += width; xhatRow += width
                            }
                        }
                        guard wantsInput else { return }
                        inputGradient(dy: dy, xhat: xhat, dgamma: dg, dbeta: db, rows: rows)
                    }
                }
            }
        }
        return wantsInput ? gradInput : skippedGradient
    }

    /// dx = gamma * invStd / n * (n * dy - dbeta - xhat * dgamma), row by row (rows are independent).
    private func inputGradient(dy: UnsafePointer<Float>, xhat: UnsafePointer<Float>,
                               dgamma dg: UnsafePointer<Float>, dbeta db: UnsafePointer<Float>, rows: Int) {
        let width = features, n = Float(rows)
        // gamma * invStd / n, per feature (the inference scale array is free while training).
        for j in 0..<width { scale[j] = gamma.value.data[j] * invStd[j] / n }
        gradInput.data.withUnsafeMutableBufferPointer { dxBuffer in
            scale.withUnsafeBufferPointer { k in
                let (dx, k) = (dxBuffer.baseAddress!, k.baseAddress!)
                forEachPart(of: rows, work: rows * width / lightPassScalarsPerWork) { part in
                    let start = part.lowerBound &* width
                    var (dxRow, dyRow, xhatRow) = (dx + start, dy + start, xhat + start)
                    for _ in part {
                        for j in 0..<width {
                            dxRow[j] = k[j] * (n * dyRow[j] - db[j] - xhatRow[j] * dg[j])
                        }
                        dxRow += width; dyRow += width; xhatRow += width
                    }
                }
            }
        }
    }
}
