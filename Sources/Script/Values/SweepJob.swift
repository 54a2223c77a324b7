import DLCore
import Dispatch
import Engine
import Tabular

/// One training run of a sweep (a combination, or one fold of it) or of `crossval`,
/// trained from the session's initial weights. Its network and trainer were made by the
/// job that returns it and are shared with nothing else, so the row may cross from a worker
/// thread to the session (hence the unchecked Sendable).
struct SweepRow: @unchecked Sendable {
    var plan: TrainingPlan
    var label: String
    var history: [HistoryRow]
    /// The trained weights; nil when the run diverged (they are not numbers) and for a
    /// cross-validated combination (its folds' weights are not kept).
    var network: Network?
    var trainer: Trainer?
    var seconds: Double
    var stoppedAt: Int?
    var bestEpoch: Int?
    /// Set when the loss became NaN or infinite: the run ended there.
    var divergence: Divergence?
    /// A fold's run: what it measured on the fold's held-out rows.
    var heldOut: FoldScore?
    /// A cross-validated combination (`sweep … cv=5`): each fold's held-out figures.
    var folds: [FoldScore]?

    var last: HistoryRow? { history.last }
    /// The figures of the weights the run ended with: the restored best epoch's, or the last.
    var final: HistoryRow? { bestEpoch.flatMap { best in history.last { $0.epoch == best } } ?? last }
    var diverged: Bool { divergence != nil }
}

/// Where a run's loss stopped being a number.
struct Divergence: Sendable {
    var epoch: Int
    var batch: Int
    var value: Float
    /// The fold it happened in (from 1), in a cross-validated combination.
    var fold: Int?

    /// "NaN at epoch 3", "inf at epoch 12 in fold 2"
    var description: String {
        "\(value.isNaN ? "NaN" : "inf") at epoch \(epoch)" + (fold.map { " in fold \($0)" } ?? "")
    }
}

/// What the last `sweep` found, for its table, `use best` and `plot sweep`.
struct SweepResult {
    var keys: [String]
    var rows: [SweepRow]
    var monitor: Monitor
    var layers: [LayerRecord]
    /// The data the sweep trained on: `use best` needs the same.
    var dataRevision: DataRevision
    /// The seed, schedule and loss every combination trained with: what `use best` records
    /// as the one `train` that made the adopted weights.
    var seed: UInt64
    var schedule: Schedule
    var loss: Loss

    /// The folds of a cross-validated sweep (`cv=`); nil for a sweep on validation rows.
    var crossValidation: Int?
    /// What a fold's score is, "accuracy" or "R²" (`FoldScore.scoreName`).
    var scoreName = "accuracy"

    /// The row's score by the monitor at its final weights (lower is better, accuracy negated);
    /// a cross-validated row's is the mean over its folds' held-out rows; a diverged row's is
    /// infinite, so it ranks last.
    func score(_ row: SweepRow) -> Float {
        guard !row.diverged else { return .infinity }
        if let folds = row.folds {
            let value = monitor == .valAccuracy ? -folds.scores.mean : folds.losses.mean
            return value.isNaN ? .infinity : Float(value)
        }
        guard let value = row.final?.value(of: monitor) else { return .infinity }
        return monitor == .valAccuracy ? -value : (value.isNaN ? .infinity : value)
    }

    var ranked: [Int] { rows.indices.sorted { (score(rows[$0]), $0) < (score(rows[$1]), $1) } }
    /// The best combination that did not diverge; nil when none finished.
    var best: Int? { ranked.first { !rows[$0].diverged } }
    /// The rows `plot sweep` draws: those that did not diverge.
    var finishedRows: [SweepRow] { rows.filter { !$0.diverged } }
}

/// One training run of a sweep or of `crossval` with copies of everything it reads: the
/// pipeline, the spec (with a fold's seed, for cross-validation) and the loss. Sendable, so
/// the compiler checks that a worker thread gets nothing else.
struct SweepJob: Sendable {
    let plan: TrainingPlan
    let keys: [String]
    /// "[2/4] lr=0.1 epochs=20", for progress lines.
    let label: String
    let pipeline: DataPipeline
    let spec: ModelSpec
    let loss: Loss
    let range: SourceRange
    /// Cross-validation: train on this fold's training rows (the pipeline refitted on them)
    /// and measure the weights on its held-out rows.
    var fold: (index: Int, of: CrossValidationFolds)?

    /// Trains on a fresh copy of the initial weights, with the generator of a model's first
    /// train (stream 0 of the seed): exactly what `reset weights` then `train` would do. A loss that stops being a number
    /// ends the run with a row that says where, so a sweep goes on with the next one.
    func run(onEvent: (TrainingEvent) -> Void = { _ in }) throws -> SweepRow {
        // A fold's pipeline is made here, not kept by the job, so its rescaled rows live only
        // while it trains: K folds of a large table are never all in memory at once.
        let pipeline = try fold.map { try self.pipeline.fold($0.index, of: $0.of) } ?? self.pipeline
        let network = try spec.initialNetwork(inputShape: spec.inputShape(of: pipeline.dataset!))
        let trainer = Trainer(network: network, loss: loss, optimizer: Optimizer(plan.optimizer, weightDecay: Float(plan.weightDecay)))
        let (fit, validation) = try pipeline.trainingSets(plan: plan, spec: spec, at: range)
        if let problem = spec.plateauValidationProblem(hasValidation: validation != nil, at: range) { throw problem }
        var options = plan.options(schedule: spec.schedule, validation: validation)
        options.augmenter = pipeline.augmenter()
        network.restartRandomness(run: 0)
        var shuffle = SeededRandom(seed: SeededRandom.seed(spec.seed, stream: 0))
        let start = monotonicNanoseconds()
        var records: [EpochRecord] = [] // kept as they come, so a diverged run keeps its epochs
        var row = SweepRow(plan: plan, label: plan.describe(keys), history: [], network: network, trainer: trainer, seconds: 0)
        do {
            let result = try trainer.train(fit, options: options, rng: &shuffle, onEvent: { event in
                if case .epochFinished(let record) = event { records.append(record) }
                onEvent(event)
            })
            row.stoppedAt = result.stoppedAt
            row.bestEpoch = result.restoredBest ? result.bestEpoch : nil
            if fold != nil { row.heldOut = FoldScore(network: network, pipeline: pipeline, spec: spec, loss: loss) }
        } catch TrainingFailure.nonFinite(let epoch, let batch, let value) {
            row.divergence = Divergence(epoch: epoch, batch: batch, value: value)
            row.network = nil
            row.trainer = nil
        }
        row.history = records.map { HistoryRow($0, offset: 0) }
        row.heldOut?.epochs = records.count
        row.seconds = Double(monotonicNanoseconds() - start) / 1e9
        return row
    }
}
