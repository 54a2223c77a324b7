import Engine

/// A built network with what training made of it: the weights (inside `network`), the
/// optimizer state (inside `trainer`), the history, and what they were built from: the
/// architecture, the input shape and the revision of the data. Whether the weights still
/// fit the session is a comparison with the session's spec and data (`fits`), never a flag.
final class TrainedModel {
    let architecture: [LayerRecord]
    let inputShape: [Int]
    /// The data the weights were initialised and trained for.
    let dataRevision: DataRevision
    let network: Network
    /// Holds the optimizer's state; made on the first `train`, and again when the loss or
    /// the optimizer changes (a new optimizer starts with no momentum or moment estimates).
    private(set) var trainer: Trainer?
    /// The optimizer `trainer` was made with.
    private var trainerOptimizer: (kind: OptimizerKind, weightDecay: Double)?
    private(set) var history: [HistoryRow] = []
    /// How the last `train` (or the adopted sweep row) trained it: what an exported script repeats.
    private(set) var lastPlan: TrainingPlan?
    /// The epochs the last `train` ran (fewer than asked after an early stop or Ctrl-C).
    private(set) var lastRunEpochs = 0
    /// The epoch (numbered as in `history`) whose weights early stopping restored at the end of
    /// the last `train`; nil when the weights are the last epoch's.
    private(set) var restoredEpoch: Int?

    init(architecture: [LayerRecord], inputShape: [Int], dataRevision: DataRevision, network: Network) {
        self.architecture = architecture
        self.inputShape = inputShape
        self.dataRevision = dataRevision
        self.network = network
    }

    /// A saved model's network and history (`load model`); its optimizer starts afresh.
    init(restoring network: Network, architecture: [LayerRecord], inputShape: [Int], dataRevision: DataRevision,
         history: [HistoryRow], restoredEpoch: Int? = nil) {
        self.architecture = architecture
        self.inputShape = inputShape
        self.dataRevision = dataRevision
        self.network = network
        self.history = history
        self.restoredEpoch = restoredEpoch
    }

    /// The same weights and history for other data that reaches the network the same way
    /// (`load` after `load model`); the optimizer starts afresh.
    func rebased(to revision: DataRevision) -> TrainedModel {
        TrainedModel(restoring: network, architecture: architecture, inputShape: inputShape, dataRevision: revision, history: history,
                     restoredEpoch: restoredEpoch)
    }

    /// A sweep's combination, adopted by `use best` with its optimizer state and history
    /// (a row that kept its weights: `SweepRow.network` is set).
    init(adopting row: SweepRow, architecture: [LayerRecord], inputShape: [Int], dataRevision: DataRevision) {
        self.architecture = architecture
        self.inputShape = inputShape
        self.dataRevision = dataRevision
        network = row.network!
        trainer = row.trainer
        trainerOptimizer = (row.plan.optimizer, row.plan.weightDecay)
        history = row.history
        lastPlan = row.plan
        restoredEpoch = row.bestEpoch
    }

    var epochsTrained: Int { history.count }
    /// The figures of the weights the model holds: the restored epoch's, or the last epoch's.
    var currentFigures: HistoryRow? {
        restoredEpoch.flatMap { epoch in history.last { $0.epoch == epoch } } ?? history.last
    }
    var isTrained: Bool { !history.isEmpty }
    /// The loss training minimised, once trained.
    var loss: Loss? { trainer?.loss }

    /// Whether these weights belong to this architecture, input shape and data.
    func fits(_ spec: ModelSpec, inputShape shape: [Int], data revision: DataRevision) -> Bool {
        architecture == spec.architecture && inputShape == shape && dataRevision === revision
    }

    /// The trainer for this loss and the spec's optimizer: the current one while both are
    /// unchanged (training continues with its momentum), otherwise a fresh one.
    func trainer(loss: Loss, spec: ModelSpec) -> Trainer {
        if let trainer, trainer.loss == loss, let made = trainerOptimizer,
           made.kind == spec.optimizer, made.weightDecay == spec.weightDecay {
            return trainer
        }
        let fresh = Trainer(network: network, loss: loss, optimizer: spec.makeOptimizer())
        trainer = fresh
        trainerOptimizer = (spec.optimizer, spec.weightDecay)
        return fresh
    }

    /// Appends a `train` call's epochs, numbered on from those before; `restoredEpoch` is the
    /// call's own epoch (from 1) whose weights early stopping put back, if it did.
    func record(_ records: [EpochRecord], plan: TrainingPlan, restoredEpoch restored: Int? = nil) {
        lastPlan = plan
        lastRunEpochs = records.count
        let offset = history.count
        history += records.map { HistoryRow($0, offset: offset) }
        restoredEpoch = restored.map { offset + $0 }
    }
}
