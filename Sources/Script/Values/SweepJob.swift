import DLCore
import Dispatch
import Engine
import Tabular

/// One combination of a sweep, trained from the session's initial weights. Its network and
/// trainer were made by the job that returns it and are shared with nothing else, so the
/// row may cross from a worker thread to the session (hence the unchecked Sendable).
struct SweepRow: @unchecked Sendable {
    var plan: TrainingPlan
    var label: String
    var history: [HistoryRow]
    var network: Network
    var trainer: Trainer
    var seconds: Double
    var stoppedAt: Int?
    var bestEpoch: Int?

    var last: HistoryRow? { history.last }
}

/// What the last `sweep` found, for its table, `use best` and `plot sweep`.
struct SweepResult {
    var keys: [String]
    var rows: [SweepRow]
    var monitor: Monitor
    var layers: [LayerRecord]
    /// The data the sweep trained on: `use best` needs the same.
    var dataRevision: DataRevision

    /// The row's score by the monitor at its final weights (lower is better, accuracy negated).
    func score(_ row: SweepRow) -> Float {
        let final = row.bestEpoch.flatMap { best in row.history.first { $0.epoch == best } } ?? row.last
        guard let value = final?.value(of: monitor) else { return .infinity }
        return monitor == .valAccuracy ? -value : (value.isNaN ? .infinity : value)
    }

    var ranked: [Int] { rows.indices.sorted { (score(rows[$0]), $0) < (score(rows[$1]), $1) } }
    var best: Int? { ranked.first }
}

/// One combination of a sweep with copies of everything it reads: the pipeline, the spec
/// and the loss. Sendable, so the compiler checks that a worker thread gets nothing else.
struct SweepJob: Sendable {
    let plan: TrainingPlan
    let keys: [String]
    /// "[2/4] lr=0.1 epochs=20", for progress lines.
    let label: String
    let pipeline: DataPipeline
    let spec: ModelSpec
    let loss: Loss
    let range: SourceRange

    /// Trains on a fresh copy of the initial weights, with its own shuffle generator:
    /// exactly what `reset weights` then `train` would do.
    func run(onEvent: (TrainingEvent) -> Void = { _ in }) throws -> SweepRow {
        let network = try spec.initialNetwork(inputShape: spec.inputShape(of: pipeline.dataset!))
        let trainer = Trainer(network: network, loss: loss, optimizer: Optimizer(plan.optimizer, weightDecay: Float(plan.weightDecay)))
        let (fit, validation) = try pipeline.trainingSets(plan: plan, spec: spec, at: range)
        let options = plan.options(schedule: spec.schedule, validation: validation)
        var shuffle = SeededRandom(seed: spec.seed)
        let start = monotonicNanoseconds()
        let result: TrainingResult
        do {
            result = try trainer.train(fit, options: options, rng: &shuffle, onEvent: onEvent)
        } catch TrainingFailure.nonFinite(let epoch, let batch, _) {
            throw Diagnostic("\(plan.describe(keys)): the loss became NaN at epoch \(epoch), batch \(batch); this learning rate is too high",
                             at: range, hint: "leave that value out of the grid")
        }
        return SweepRow(plan: plan, label: plan.describe(keys), history: result.records.map { HistoryRow($0, offset: 0) },
                        network: network, trainer: trainer, seconds: Double(monotonicNanoseconds() - start) / 1e9,
                        stoppedAt: result.stoppedAt, bestEpoch: result.restoredBest ? result.bestEpoch : nil)
    }
}
