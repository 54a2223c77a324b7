import DLCore

/// Inverted dropout (Keras's `Dropout`): while training each scalar is kept with probability
/// `1 - rate` and scaled by `1 / (1 - rate)`, so inference is the identity with no rescaling.
/// The mask comes from a generator seeded from the build rng, so a run is reproducible.
public final class Dropout: Layer {
    /// Fraction of scalars dropped, in [0, 1).
    public let rate: Float
    public let kind = "Dropout"
    public private(set) var outputShape: [Int] = []
    public let parameters: [Parameter] = []

    /// When set, training passes use this keep pattern (1 keep, 0 drop; one entry per scalar of
    /// the batch, `batch * features`) instead of drawing one, so a gradient check sees a fixed
    /// function. Kept values are still scaled by `1 / (1 - rate)`.
    public var fixedMask: [Float]?

    private var random = SeededRandom(seed: 0)
    /// The seed `build` drew for the masks: `restartMasks` derives each training run's from it.
    private var buildSeed: UInt64 = 0
    // Reused buffers; their row count follows the batch size.
    private(set) var mask = Tensor(shape: [0])       // 0 or 1/(1-rate): [batch, shape...]
    private(set) var output = Tensor(shape: [0])     // x * mask: [batch, shape...]
    private(set) var gradInput = Tensor(shape: [0])  // dL/dy * mask: [batch, shape...]
    private var hasTrainingPass = false

    public init(rate: Float) {
        self.rate = rate
    }

    public func footprint(inputShape: [Int]) throws -> LayerFootprint {
        guard rate >= 0 && rate < 1 else {
            throw LayerError(.invalidSetting(layer: "dropout", expected: "a rate of at least 0 and below 1", received: "\(rate)"))
        }
        // mask, output and dL/dx, each [batch, shape...], while training; inference passes the input on.
        let size = inputShape.reduce(1, *)
        return LayerFootprint(outputShape: inputShape, parameters: 0,
                              buffers: [.init(floatsPerSample: size, use: .training), .init(floatsPerSample: size, use: .training),
                                        .init(floatsPerSample: size, use: .inputGradient)])
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws {
        _ = try footprint(inputShape: inputShape)
        outputShape = inputShape
        buildSeed = rng.next()
        random = SeededRandom(seed: buildSeed)
        mask = Tensor(shape: [0] + inputShape)
        output = Tensor(shape: [0] + inputShape)
        gradInput = Tensor(shape: [0] + inputShape)
    }

    /// Starts the masks of training run `index` (from 0): stream `index` of the build seed, so
    /// run 0 draws what a freshly built layer draws, and no run depends on how far the ones
    /// before it got (an interrupted run's masks leave no trace).
    public func restartMasks(run index: Int) {
        random = SeededRandom(seed: SeededRandom.seed(buildSeed, stream: index))
    }

    // x: [batch, shape...] -> y: [batch, shape...]; the identity (no copy) outside training.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(!outputShape.isEmpty, "dropout used before build")
        hasTrainingPass = training
        guard training else { return input }
        let batch = input.rows, count = input.count
        mask.resize(rows: batch, likeRowsOf: input)
        output.resize(rows: batch, likeRowsOf: input)
        let keep = 1 / (1 - rate)
        mask.data.withUnsafeMutableBufferPointer { m in
            if let fixed = fixedMask {
                precondition(fixed.count == count, "dropout's fixed mask has \(fixed.count) entries but the batch has \(count)")
                for i in 0..<count { m[i] = fixed[i] != 0 ? keep : 0 }
            } else {
                // 24 random bits per scalar: a uniform in [0, 1) with Float's precision.
                let threshold = UInt64((Double(rate) * 16_777_216).rounded())
                for i in 0..<count { m[i] = random.next() >> 40 < threshold ? 0 : keep }
            }
        }
        multiply(input, by: mask, into: &output)
        return output
    }

    // dL/dy: [batch, shape...] -> dL/dx = dL/dy * mask: [batch, shape...]
    public func backward(_ gradOutput: Tensor) -> Tensor {
        precondition(hasTrainingPass, "dropout backward without a training forward pass before it")
        hasTrainingPass = false
        precondition(gradOutput.count == mask.count, "dropout backward expects \(mask.shape) but got \(gradOutput.shape)")
        gradInput.resize(rows: gradOutput.rows, likeRowsOf: gradOutput)
        multiply(gradOutput, by: mask, into: &gradInput)
        return gradInput
    }

    private func multiply(_ a: Tensor, by b: Tensor, into result: inout Tensor) {
        a.data.withUnsafeBufferPointer { a in
            b.data.withUnsafeBufferPointer { b in
                result.data.withUnsafeMutableBufferPointer { r in
                    for i in 0..<r.count { r[i] = a[i] * b[i] }
                }
            }
        }
    }
}
