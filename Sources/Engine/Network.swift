import DLCore

/// Why a network could not be built: which layer (0-based) and what was wrong with it.
public struct NetworkBuildError: Error {
    public let layerIndex: Int
    public let problem: LayerProblem
    public init(layerIndex: Int, problem: LayerProblem) {
        self.layerIndex = layerIndex
        self.problem = problem
    }
    public var message: String { problem.message }
}

/// A feed-forward stack of layers with a fixed per-sample input shape.
public final class Network {
    public let inputShape: [Int]
    public let layers: [Layer]

    /// Rows per chunk in `predict`, to bound the memory of intermediate activations.
    static let predictChunkRows = 1024

    /// Builds every layer in order from the input shape. On failure throws NetworkBuildError with the index of the failing layer.
    public init(inputShape: [Int], layers: [Layer], rng: inout SeededRandom) throws {
        self.inputShape = inputShape
        self.layers = layers
        var shape = inputShape
        for (index, layer) in layers.enumerated() {
            do {
                try layer.build(inputShape: shape, rng: &rng)
            } catch let error as LayerError {
                throw NetworkBuildError(layerIndex: index, problem: error.problem)
            }
            shape = layer.outputShape
        }
    }

    /// Restarts the randomness the layers draw while training (dropout masks) for training run
    /// `index` of these weights (from 0): the same run of the same network draws the same masks.
    public func restartRandomness(run index: Int) {
        for case let dropout as Dropout in layers { dropout.restartMasks(run: index) }
    }

    /// Trainable scalars over all layers.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Non-trainable scalars over all layers (the states: batch norm's moving statistics).
    public var nonTrainableParameterCount: Int { layers.reduce(0) { $0 + $1.nonTrainableCount } }

    /// Per-sample output shape (the input shape when there are no layers).
    public var outputShape: [Int] { layers.last?.outputShape ?? inputShape }

    /// All trainable parameters, layer by layer, in each layer's order: what optimizers update.
    public var parameters: [Parameter] { layers.flatMap { $0.parameters } }

    /// All non-trainable states, layer by layer, in each layer's order.
    public var states: [Parameter] { layers.flatMap { $0.states } }

    /// Every tensor of the model, layer by layer, each layer's parameters then its states
    /// (Keras's order of `get_weights()`): what `weights()` snapshots and a saved model holds.
    public var variables: [Parameter] { layers.flatMap { $0.variables } }

    /// x: [batch, inputShape...] -> y: [batch, outputShape...]; with `training` the layers keep
    /// what `backward` needs.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        var activations = input
        for layer in layers { activations = layer.forward(activations, training: training) }
        return activations
    }

    /// dLoss/dOutput: [batch, outputShape...] -> dLoss/dInput: [batch, inputShape...];
    /// fills every parameter's gradient. Call after a training forward pass.
    @discardableResult
    public func backward(_ gradOutput: Tensor) -> Tensor {
        var gradient = gradOutput
        for layer in layers.reversed() { gradient = layer.backward(gradient) }
        return gradient
    }

    /// Inference over the rows of `x` at `rows`, in that order, gathered a chunk at a time
    /// (the same chunks, so the same results, as `predict` on a copy of those rows).
    public func predict(_ x: Tensor, rows: [Int]?) -> Tensor {
        predict(.floats(x), rows: rows, unless: .never)!
    }

    /// `predict(x, rows:)`, throwing `Interrupted` once `cancel` asks (looked at between chunks).
    public func predict(_ x: Tensor, rows: [Int]?, cancel: Cancellation) throws(Interrupted) -> Tensor {
        try predict(.floats(x), rows: rows, cancel: cancel)
    }

    /// The same for inputs that may be 8-bit rows, converted a chunk at a time.
    public func predict(_ x: InputRows, rows: [Int]?) -> Tensor {
        predict(x, rows: rows, unless: .never)!
    }

    public func predict(_ x: InputRows, rows: [Int]?, cancel: Cancellation) throws(Interrupted) -> Tensor {
        guard let y = predict(x, rows: rows, unless: cancel) else { throw Interrupted() }
        return y
    }

    /// Inference over many rows (in chunks of 1024 rows to bound memory): x [n, in...] -> [n, out...]
    public func predict(_ x: Tensor) -> Tensor {
        predict(.floats(x), rows: nil, unless: .never)!
    }

    /// `predict(x)`, throwing `Interrupted` once `cancel` asks (looked at between chunks).
    public func predict(_ x: Tensor, cancel: Cancellation) throws(Interrupted) -> Tensor {
        try predict(.floats(x), rows: nil, cancel: cancel)
    }

    /// The outputs, or nil when `cancel` asked to stop.
    private func predict(_ x: InputRows, rows: [Int]?, unless cancel: Cancellation) -> Tensor? {
        guard let rows else {
            if case .floats(let x) = x, x.rows <= Network.predictChunkRows { return forward(x, training: false) }
            return predictInChunks(of: x, count: x.rows, unless: cancel) { range, chunk in x.copy(range, into: &chunk) }
        }
        if rows.count <= Network.predictChunkRows {
            var chunk = Tensor(shape: [0] + x.rowShape)
            x.gather(at: rows[...], into: &chunk)
            return forward(chunk, training: false)
        }
        return predictInChunks(of: x, count: rows.count, unless: cancel) { range, chunk in
            x.gather(at: rows[range], into: &chunk)
        }
    }

    /// The outputs for `count` rows, forwarded `predictChunkRows` at a time: `fill` puts the
    /// input rows of one range into the chunk, which keeps its capacity from chunk to chunk.
    /// Nil when `cancel` asks to stop (it is looked at before each chunk).
    private func predictInChunks(of x: InputRows, count n: Int, unless cancel: Cancellation,
                                 fill: (Range<Int>, inout Tensor) -> Void) -> Tensor? {
        var result = Tensor(shape: [n] + outputShape)
        let outWidth = result.columns
        var chunk = Tensor(shape: [Network.predictChunkRows] + x.rowShape)
        var start = 0
        while start < n {
            if cancel.isRequested { return nil }
            let range = start ..< min(start + Network.predictChunkRows, n)
            fill(range, &chunk)
            let y = forward(chunk, training: false)
            y.data.withUnsafeBufferPointer { source in
                result.data.withUnsafeMutableBufferPointer { target in
                    (target.baseAddress! + start * outWidth).update(from: source.baseAddress!, count: range.count * outWidth)
                }
            }
            start = range.upperBound
        }
        return result
    }

    /// Snapshot of all values, parameters and states, in `variables` order.
    public func weights() -> [Tensor] { variables.map { $0.value } }

    /// Restores values from `weights()` (in `variables` order); the count and every shape must match.
    public func setWeights(_ w: [Tensor]) {
        let variables = self.variables
        precondition(w.count == variables.count, "expected \(variables.count) weight tensors but got \(w.count)")
        for (parameter, value) in zip(variables, w) {
            precondition(parameter.value.shape == value.shape,
                         "weight \(parameter.name) has shape \(parameter.value.shape) but got \(value.shape)")
            parameter.value = value
        }
    }
}
