/// What a layer would allocate, counted from its settings and an input shape without building
/// it: its weights, and the reused buffers whose rows follow the batch (see each layer's
/// "Reused buffers"). The shell compares the sum with the machine's memory before it builds
/// or trains anything, so an impossible model is refused with its size instead of crashing.
public struct LayerFootprint: Equatable, Sendable {
    /// One reused buffer: how many floats it holds per sample, and when it is sized.
    public struct Buffer: Equatable, Sendable {
        public enum Use: Equatable, Sendable {
            /// Sized to the batch by training passes only (gradients, masks, im2col columns of
            /// a training pass).
            case training
            /// dL/dx and what only it needs: never sized for the first layer, whose input
            /// gradient the trainer switches off.
            case inputGradient
            /// Sized by training passes and by inference passes alike (a layer's output).
            case output
            /// Inference scratch cut into passes of at most `limit` floats (conv columns of
            /// `predict`); training passes size it to the whole batch.
            case boundedScratch(limit: Int)
        }
        public var floatsPerSample: Int
        public var use: Use
    }

    /// Per-sample output shape, as `outputShape` after `build`.
    public var outputShape: [Int]
    /// Trainable scalars (the weights; their gradients are as many again).
    public var parameters: Int
    /// Non-trainable scalars (`Layer.states`, e.g. batch norm's moving statistics; each state
    /// carries an unused zero gradient of its size as well).
    public var states: Int = 0
    public var buffers: [Buffer] = []
    /// Kernel-gradient partial sums (conv): `chainSize` floats for every stretch of
    /// `reductionBlock` product rows, `rowsPerSample` rows a sample.
    public var chains: (rowsPerSample: Int, chainSize: Int)?

    public static func == (a: LayerFootprint, b: LayerFootprint) -> Bool {
        a.outputShape == b.outputShape && a.parameters == b.parameters && a.states == b.states && a.buffers == b.buffers
            && a.chains?.rowsPerSample == b.chains?.rowsPerSample && a.chains?.chainSize == b.chains?.chainSize
    }

    /// Floats held by the buffers after training steps of `batch` rows and inference passes of
    /// `inferenceRows` rows (both resize the same buffers, which keep their largest capacity).
    /// The first layer computes no input gradient.
    public func bufferFloats(batch: Int, inferenceRows: Int, isFirst: Bool) -> Int {
        var total = 0
        for buffer in buffers {
            let training = batch * buffer.floatsPerSample
            switch buffer.use {
            case .training: total += training
            case .inputGradient: total += isFirst ? 0 : training
            case .output: total += max(training, inferenceRows * buffer.floatsPerSample)
            case .boundedScratch(let limit):
                let perPass = max(1, min(inferenceRows, limit / max(buffer.floatsPerSample, 1)))
                total += max(training, perPass * buffer.floatsPerSample)
            }
        }
        if let chains, batch > 0 {
            let rows = batch * chains.rowsPerSample
            total += (rows + reductionBlock - 1) / reductionBlock * chains.chainSize
        }
        return total
    }
}

/// Rows of a kernel-gradient reduction summed as one chain (`dl_reduction_block` hands out
/// at most this many), so a batch of `rows` rows keeps about rows / 320 partial sums.
let reductionBlock = 320

/// What a whole network would allocate to train, layer by layer, counted without building it.
public struct NetworkFootprint: Equatable, Sendable {
    public let inputShape: [Int]
    public let layers: [LayerFootprint]

    /// Trainable scalars over all layers (as `Network.parameterCount` after building).
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameters } }

    /// Non-trainable scalars over all layers (as `Network.nonTrainableParameterCount` after building).
    public var stateCount: Int { layers.reduce(0) { $0 + $1.states } }

    /// Per-sample output shape (the input shape when there are no layers).
    public var outputShape: [Int] { layers.last?.outputShape ?? inputShape }

    /// Floats of layer `index`'s buffers after training at `batch` rows a step and evaluating
    /// `evaluationRows` rows (in `predict`'s chunks).
    public func layerBufferFloats(_ index: Int, batch: Int, evaluationRows: Int) -> Int {
        layers[index].bufferFloats(batch: batch, inferenceRows: min(evaluationRows, Network.predictChunkRows),
                                   isFirst: index == 0)
    }

    /// Floats the trainer and `predict` hold besides the layers: the gathered batch, its
    /// targets and loss gradient, the chunk of rows `predict` gathers and the predictions it returns.
    public func trainerFloats(batch: Int, evaluationRows: Int) -> Int {
        let inputs = inputShape.reduce(1, *), outputs = outputShape.reduce(1, *)
        return batch * (inputs + 2 * outputs) + min(evaluationRows, Network.predictChunkRows) * inputs
            + evaluationRows * outputs
    }
}

extension Network {
    /// The footprint of `layers` built for `inputShape`, without building them: each layer
    /// checks its input as `build` would and says what it would allocate. Throws
    /// `NetworkBuildError` (with the failing layer's index) where `init` would.
    public static func footprint(inputShape: [Int], layers: [Layer]) throws -> NetworkFootprint {
        var shape = inputShape, footprints: [LayerFootprint] = []
        for (index, layer) in layers.enumerated() {
            do {
                let footprint = try layer.footprint(inputShape: shape)
                footprints.append(footprint)
                shape = footprint.outputShape
            } catch let error as LayerError {
                throw NetworkBuildError(layerIndex: index, problem: error.problem)
            }
        }
        return NetworkFootprint(inputShape: inputShape, layers: footprints)
    }
}
