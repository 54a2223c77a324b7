import DLCore
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
    /// The seed the initial weights were drawn from. Each `train` of these weights draws its
    /// shuffles, dropout masks and validation rows from stream k of it, k the trains before
    /// it (`SeededRandom.seed(_:stream:)`): the training depends on this model's history only.
    let seed: UInt64
    /// The trains that made these weights in this session, in order, each with the epochs it
    /// completed: what `show state` replays (a loaded model's earlier training is in its file).
    private(set) var trains: [TrainRecord] = []
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
    /// Whether these weights came from a model file (`load model`), trained on or not: a replay
    /// of `load model` brings them back, so weights drawn afresh after it need `reset weights`.
    private(set) var startedFromFile = false
    /// A loaded model's plateau reductions (`learning_rate_reductions` in its file) and the loss
    /// and optimizer it trained with: the first trainer made for the same loss and optimizer
    /// goes on from them, as Keras's saved optimizer keeps its lowered rate.
    private(set) var fileRateReductions = 0
    private var fileTraining: (loss: Loss?, optimizer: OptimizerKind, weightDecay: Double)?

    init(architecture: [LayerRecord], inputShape: [Int], dataRevision: DataRevision, network: Network, seed: UInt64) {
        self.architecture = architecture
        self.inputShape = inputShape
        self.dataRevision = dataRevision
        self.network = network
        self.seed = seed
    }

    /// A saved model's network and history (`load model`); its optimizer starts afresh.
    init(restoring network: Network, architecture: [LayerRecord], inputShape: [Int], dataRevision: DataRevision,
         history: [HistoryRow], restoredEpoch: Int? = nil, seed: UInt64,
         rateReductions: Int = 0, trainedWith: (loss: Loss?, optimizer: OptimizerKind, weightDecay: Double)? = nil) {
        self.architecture = architecture
        self.inputShape = inputShape
        self.dataRevision = dataRevision
        self.network = network
        self.seed = seed
        self.history = history
        self.restoredEpoch = restoredEpoch
        startedFromFile = true
        fileRateReductions = rateReductions
        fileTraining = trainedWith
    }

    /// The same weights and history for other data that reaches the network the same way
    /// (`load` after `load model`); the optimizer starts afresh.
    func rebased(to revision: DataRevision) -> TrainedModel {
        TrainedModel(restoring: network, architecture: architecture, inputShape: inputShape, dataRevision: revision, history: history,
                     restoredEpoch: restoredEpoch, seed: seed, rateReductions: fileRateReductions, trainedWith: fileTraining)
    }

    /// A sweep's combination, adopted by `use best` with its optimizer state and history
    /// (a row that kept its weights: `SweepRow.network` is set): what one `train` with the
    /// row's keys on fresh weights makes, and so recorded as that train.
    init(adopting row: SweepRow, of sweep: SweepResult, inputShape: [Int]) {
        architecture = sweep.layers
        self.inputShape = inputShape
        dataRevision = sweep.dataRevision
        seed = sweep.seed
        trains = [TrainRecord(plan: row.plan, schedule: sweep.schedule, loss: sweep.loss)]
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
    /// unchanged (training continues with its momentum), otherwise a fresh one, which becomes
    /// the model's once a `train` with it completes an epoch (`record`).
    func trainer(loss: Loss, spec: ModelSpec) -> Trainer {
        if let trainer, trainer.loss == loss, let made = trainerOptimizer,
           made.kind == spec.optimizer, made.weightDecay == spec.weightDecay {
            return trainer
        }
        let fresh = Trainer(network: network, loss: loss, optimizer: spec.makeOptimizer())
        if trainer == nil, let file = fileTraining, file.loss == nil || file.loss == loss,
           file.optimizer == spec.optimizer, file.weightDecay == spec.weightDecay {
            fresh.learningRateReductions = fileRateReductions
        }
        return fresh
    }

    /// The plateau reductions `save model` keeps: the trainer's, or the file's when it has not trained since.
    var rateReductions: Int { trainer?.learningRateReductions ?? fileRateReductions }

    /// The generator of the next `train`'s shuffles, with the dropout masks restarted for it:
    /// stream k of the model's seed, k the trains recorded before it.
    func nextTrainingRandom() -> SeededRandom {
        network.restartRandomness(run: trains.count)
        return SeededRandom(seed: SeededRandom.seed(seed, stream: trains.count))
    }

    /// Appends a `train` call's epochs, numbered on from those before; `restoredEpoch` is the
    /// call's own epoch (from 1) whose weights early stopping put back, if it did. A call that
    /// completed no epoch (interrupted in its first) changed nothing and is not recorded.
    func record(_ records: [EpochRecord], of train: TrainRecord, trainer used: Trainer, restoredEpoch restored: Int? = nil) {
        guard !records.isEmpty else { return }
        trainer = used
        trainerOptimizer = (train.plan.optimizer, train.plan.weightDecay)
        trains.append(train)
        lastPlan = train.plan
        lastRunEpochs = records.count
        let offset = history.count
        history += records.map { HistoryRow($0, offset: offset) }
        restoredEpoch = restored.map { offset + $0 }
    }
}
