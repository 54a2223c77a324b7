import DLCore

/// Mini-batch training of a network against a loss with an optimizer.
/// The trainer owns the batch buffers, so repeated `train` calls reuse them.
public final class Trainer {
    public let network: Network
    public let loss: Loss
    public let optimizer: Optimizer

    // Reused across batches and epochs; resized (within capacity) for a partial last batch.
    private(set) var batchX = Tensor(shape: [0])       // [batch, inputShape...]
    private var batchY = Tensor(shape: [0])       // [batch, outputs]
    private(set) var lossGradient = Tensor(shape: [0]) // dL/dOutput (or dL/dz when fused): [batch, outputs]

    /// The reductions a plateau schedule has made to the rate so far, across `train` calls: Keras
    /// keeps the reduced rate in its optimizer, and this trainer holds dl's optimizer. It changes
    /// only after an epoch's last batch, so an interrupt (which undoes the epoch in progress)
    /// finds it as the completed epochs left it. Read only under `Schedule.plateau`.
    public var learningRateReductions = 0

    public init(network: Network, loss: Loss, optimizer: Optimizer) {
        self.network = network
        self.loss = loss
        self.optimizer = optimizer
    }

    /// Pins the matrix products of every network to one OpenBLAS thread (`true`), or lets them use
    /// all cores for large products again (`false`, the default). Call it with `true` once, before
    /// training networks on several threads at once (e.g. a hyper-parameter sweep), and with `false`
    /// only after those threads have finished: it changes process-wide state and must not run while
    /// any training is in progress. Without it, concurrent training is not safe.
    /// It also keeps the layers' own loops (conv and pooling passes, which otherwise cut the batch
    /// across the cores) on the calling thread; that cutting never changes a result's bits.
    ///
    /// Products below `singleThreadedProductLimit` (2^23 multiply-adds; skinny ones up to 2^24) run
    /// on one thread in both settings, so small networks give the same figures either way. Larger
    /// products (e.g. a 784 -> 512 Dense layer at batch 64) sum
    /// in a different order on one thread than on several and may differ in the last bits; runs
    /// under the same setting are bit-identical, concurrent or one after the other.
    public static func setSingleThreaded(_ on: Bool) { setBlasSingleThreaded(on) }

    /// Products smaller than this many multiply-adds always run on one thread, so pinning
    /// OpenBLAS to one thread cannot change their results.
    public static var singleThreadedProductLimit: Int { blasFatProductLimit }

    /// Whether `setSingleThreaded(true)` is in effect.
    public static var isSingleThreaded: Bool { blasIsSingleThreaded }

    /// The last layer when it is a Dense or an ActivationLayer whose activation the loss
    /// differentiates jointly with. A softmax fuses only over flat outputs, where one softmax covers
    /// the whole row the loss sums over (`p - y` assumes that row's targets sum to 1).
    private var fusedOutputLayer: ActivationFusing? {
        guard let last = network.layers.last as? ActivationFusing, loss.fuses(with: last.activation),
              last.activation != .softmax || network.outputShape.count == 1 else { return nil }
        return last
    }

    /// Relu/leaky-relu convs followed by max pooling whose windows do not overlap: the pool's
    /// backward applies the conv's activation derivative where it routes each gradient (the same
    /// `y > 0 ? g : g * slope` on the same values), which saves the conv a pass over its output.
    private lazy var maskingPools: [(Conv2D, Pool2D)] = {
        let layers = network.layers
        guard layers.count > 1 else { return [] }
        return (0..<layers.count - 1).compactMap { i in
            guard let conv = layers[i] as? Conv2D, let pool = layers[i + 1] as? Pool2D,
                  conv.activation == .relu || conv.activation == .leakyRelu,
                  pool.mode == .max, pool.stride >= pool.size else { return nil }
            return (conv, pool)
        }
    }()

    /// One training forward pass and, when the loss is finite, the backward pass that fills every
    /// parameter's gradient. x: [batch, in...], y: [batch, outputs] -> batch loss and predictions [batch, outputs].
    /// `classWeights` weight each row's loss by its class (`TrainingData.classWeights`).
    func forwardBackward(x: Tensor, y: Tensor, classWeights: [Float]? = nil) -> (loss: Float, predictions: Tensor) {
        let predictions = network.forward(x, training: true)
        let value = loss.value(predictions: predictions, targets: y, classWeights: classWeights)
        guard value.isFinite else { return (value, predictions) }
        let fused = fusedOutputLayer
        loss.gradient(predictions: predictions, targets: y, into: &lossGradient, fusedWithActivation: fused != nil,
                      classWeights: classWeights)
        fused?.gradientIsPreActivation = true
        defer { fused?.gradientIsPreActivation = false }
        let masked = maskingPools
        for (conv, pool) in masked {
            conv.gradientIsPreActivation = true
            conv.routingPool = pool
            pool.reluSlopeForPrevious = conv.activation == .relu ? 0 : Activation.leakySlope
        }
        defer {
            for (conv, pool) in masked {
                conv.gradientIsPreActivation = false
                conv.routingPool = nil
                pool.reluSlopeForPrevious = nil
            }
        }
        network.backward(lossGradient)
        return (value, predictions)
    }

    /// Mini-batch training with the trainer's optimizer (whichever `OptimizerKind` it was made with):
    /// each epoch shuffles row order with rng (rng.permutation), then per batch forward, loss, backward, optimizer step.
    /// Checks the batch loss for NaN/inf after every batch and throws TrainingFailure.nonFinite at once
    /// (before that batch's update, so the weights are those of the previous batch).
    /// Calls shouldStop() after each batch; when true, finishes that batch, undoes the epoch in
    /// progress (the weights, the layers' states and the optimizer's go back to where the last
    /// completed epoch left them) and returns with interruptedAt set: the network then holds
    /// exactly what the returned records describe, which a run of that many epochs reproduces.
    /// With no rows there is nothing to learn and the result has no records.
    ///
    /// Each epoch's learning rate is `options.schedule` at epoch `options.firstEpoch + epoch - 1`, or
    /// under `.plateau` the base rate after `learningRateReductions` reductions (see `Plateau`).
    /// After an epoch's last batch the validation rows (if any) are evaluated in inference mode, then
    /// the record is reported, then early stopping (if any) decides; see `EarlyStopping`.
    /// Preconditions: an early-stopping monitor other than `.loss` needs `options.validation`, and
    /// `.valAccuracy` needs its labels; `options.firstEpoch >= 1`.
    ///
    /// Thread safety: a trainer and its network belong to one thread at a time. Two trainers with
    /// distinct networks and optimizers may train on two threads at once, with results bit-identical
    /// to running them one after the other in the same setting, once `Trainer.setSingleThreaded(true)`
    /// has been called (see there).
    public func train(_ data: TrainingData, options: TrainingOptions, rng: inout SeededRandom,
                      shouldStop: () -> Bool = { false },
                      onEvent: (TrainingEvent) -> Void = { _ in }) throws -> TrainingResult {
        precondition(data.inputs.rowShape == network.inputShape,
                     "x rows have shape \(data.inputs.rowShape) but the network expects \(network.inputShape)")
        precondition(data.y.columns == network.outputShape.reduce(1, *) || data.y.rows == 0,
                     "y has \(data.y.columns) columns but the network has \(network.outputShape.reduce(1, *)) outputs")
        precondition(options.batchSize > 0, "batch size must be positive")
        precondition(options.firstEpoch >= 1, "the first epoch must be at least 1 but got \(options.firstEpoch)")
        precondition(data.classWeights.map { loss.accepts(classWeights: $0, width: data.y.columns) } ?? true,
                     "\(data.classWeights?.count ?? 0) class weights do not fit \(loss.rawValue) on \(data.y.columns) outputs")
        checkValidation(options)
        let n = data.count
        guard n > 0, options.epochs > 0 else { return TrainingResult(records: [], interruptedAt: nil) }
        var stopping = options.earlyStopping.map(EarlyStoppingTracker.init)
        var plateau: PlateauTracker?
        if case .plateau(let rule) = options.schedule { plateau = PlateauTracker(rule) }

        // Nobody reads the first layer's input gradient; skip that product while training.
        let firstLayer = network.layers.first as? InputGradientOptional
        firstLayer?.computesInputGradient = false
        defer { firstLayer?.computesInputGradient = true }

        let batchSize = min(options.batchSize, n)
        let batches = (n + batchSize - 1) / batchSize
        let parameters = network.parameters
        var records: [EpochRecord] = []
        var stoppedAt: Int?
        var checkpoint = EpochCheckpoint()
        // Each epoch's order as rows of x, when the data is some rows of a shared matrix.
        var orderInX = data.rowsOfX == nil ? [] : [Int](repeating: 0, count: n)
        // Drawn only when augmenting, so training without it shuffles exactly as before.
        var augmentRandom = SeededRandom(seed: options.augmenter == nil ? 0 : rng.next())

        for epoch in 1...options.epochs {
            let learningRate = plateau.map { $0.rule.learningRate(base: options.learningRate, reductions: learningRateReductions) }
                ?? options.schedule.learningRate(base: options.learningRate, epoch: options.firstEpoch + epoch - 1)
            let clock = ContinuousClock()
            let started = clock.now
            onEvent(.epochStarted(epoch: epoch, epochs: options.epochs, batches: batches))
            checkpoint.save(network, optimizer) // where this epoch started, to undo it when interrupted
            let order = rng.permutation(n)
            if let rowsOfX = data.rowsOfX {
                for i in 0..<n { orderInX[i] = rowsOfX[order[i]] }
            }
            var lossSum: Double = 0
            var rowsSeen = 0
            var correct = 0

            for batch in 1...batches {
                let rows = order[(batch - 1) * batchSize ..< min(batch * batchSize, n)]
                data.inputs.gather(at: data.rowsOfX == nil ? rows : orderInX[rows.indices], into: &batchX)
                gatherRows(of: data.y, at: rows, into: &batchY)
                options.augmenter?.apply(to: &batchX, count: rows.count, rng: &augmentRandom)
                let (value, predictions) = forwardBackward(x: batchX, y: batchY, classWeights: data.classWeights)
                guard value.isFinite else {
                    throw TrainingFailure.nonFinite(epoch: epoch, batch: batch, value: value)
                }
                if let labels = data.labels {
                    let start = rows.startIndex
                    correct += countCorrect(predictions: predictions) { labels[rows[start + $0]] }
                }
                optimizer.step(parameters, learningRate: learningRate)

                lossSum += Double(value) * Double(rows.count)
                rowsSeen += rows.count
                onEvent(.batchFinished(epoch: epoch, batch: batch, batches: batches,
                                       loss: Float(lossSum / Double(rowsSeen))))
                if shouldStop() {
                    checkpoint.restore(network, optimizer)
                    return TrainingResult(records: records, interruptedAt: epoch, bestEpoch: stopping?.bestEpoch,
                                          bestValue: stopping?.bestValue)
                }
            }

            // Only the figures are kept: the predictions may share the last layer's output buffer,
            // and holding them would make the next batch copy that buffer instead of reusing it.
            let validation = options.validation.map { rows -> (loss: Float, accuracy: Float?) in
                let evaluation = network.evaluate(rows, loss: loss)
                return (evaluation.loss, evaluation.accuracy)
            }
            let elapsed = started.duration(to: clock.now).components
            let record = EpochRecord(
                epoch: epoch,
                loss: Float(lossSum / Double(n)),
                accuracy: data.labels == nil ? nil : Float(correct) / Float(n),
                seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18,
                validationLoss: validation?.loss,
                validationAccuracy: validation?.accuracy,
                learningRate: learningRate)
            records.append(record)
            onEvent(.epochFinished(record))
            // Keras runs every callback's on_epoch_end before stopping: the plateau counts this epoch too.
            if plateau?.update(record: record, rate: learningRate) == true { learningRateReductions += 1 }
            if stopping?.update(record: record, network: network) == true {
                if epoch < options.epochs { stoppedAt = epoch }
                break
            }
        }
        return finish(records: records, stoppedAt: stoppedAt, stopping: stopping)
    }

    /// The result of a call that ended by early stopping or by running out of epochs: restores the
    /// best weights when asked for and the best epoch is not the last one.
    private func finish(records: [EpochRecord], stoppedAt: Int?, stopping: EarlyStoppingTracker?) -> TrainingResult {
        var result = TrainingResult(records: records, interruptedAt: nil, stoppedAt: stoppedAt,
                                    bestEpoch: stopping?.bestEpoch, bestValue: stopping?.bestValue)
        if let stopping, let best = stopping.bestEpoch, let weights = stopping.bestWeights,
           best != records.last?.epoch {
            network.setWeights(weights)
            result.restoredBest = true
        }
        return result
    }

    private func checkValidation(_ options: TrainingOptions) {
        if let validation = options.validation {
            let shape = validation.inputs.rowShape
            precondition(shape == network.inputShape,
                         "validation rows have shape \(shape) but the network expects \(network.inputShape)")
            precondition(validation.y.columns == network.outputShape.reduce(1, *) || validation.y.rows == 0,
                         "validation y has \(validation.y.columns) columns but the network has \(network.outputShape.reduce(1, *)) outputs")
        }
        if case .plateau(let rule) = options.schedule, rule.monitor.needsValidation {
            precondition(options.validation != nil, "a plateau schedule on \(rule.monitor.rawValue) needs validation data")
            precondition(rule.monitor != .valAccuracy || options.validation?.labels != nil,
                         "a plateau schedule on val_accuracy needs validation labels")
        }
        guard let rule = options.earlyStopping, rule.monitor.needsValidation else { return }
        precondition(options.validation != nil, "early stopping on \(rule.monitor.rawValue) needs validation data")
        precondition(rule.monitor != .valAccuracy || options.validation?.labels != nil,
                     "early stopping on val_accuracy needs validation labels")
    }
}
