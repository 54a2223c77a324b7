/// The epoch figure early stopping watches (Keras's names).
public enum Monitor: String, CaseIterable, Sendable {
    /// `EpochRecord.validationLoss`, minimised.
    case valLoss = "val_loss"
    /// `EpochRecord.validationAccuracy`, maximised.
    case valAccuracy = "val_accuracy"
    /// `EpochRecord.loss` (the epoch's mean training loss), minimised.
    case loss

    /// True for figures that improve by going up.
    public var maximises: Bool { self == .valAccuracy }

    /// Whether the monitor reads the validation figures (and so needs `TrainingOptions.validation`).
    public var needsValidation: Bool { self != .loss }

    /// The monitored figure of a record (nil when the record lacks it).
    public func value(of record: EpochRecord) -> Float? {
        switch self {
        case .valLoss: return record.validationLoss
        case .valAccuracy: return record.validationAccuracy
        case .loss: return record.loss
        }
    }
}

/// Keras's `EarlyStopping` callback: stop when the monitored figure has not improved by more
/// than `minDelta` for `patience` epochs in a row.
///
/// An epoch improves when `value < best - minDelta` (minimised monitors) or
/// `value > best + minDelta` (`.valAccuracy`); the first epoch with a finite value always
/// improves, and NaN never does. With best epoch `b`, training stops after epoch `b + patience`
/// unless a later epoch improves (patience 0 stops at the first epoch that does not improve).
/// Optimizer state (momentum, moments) is not restored with the weights, as in Keras.
public struct EarlyStopping: Equatable, Sendable {
    /// Which figure to watch; `.valAccuracy` is maximised, the others minimised.
    public var monitor: Monitor
    /// Epochs without improvement (by more than `minDelta`) before stopping; Keras semantics. At least 0.
    public var patience: Int
    /// The smallest change that counts as an improvement (its magnitude is used, as Keras does).
    public var minDelta: Float
    /// Restore the weights (with any moving statistics) of the best epoch when training ends, whether it stopped early or ran to
    /// the last epoch, whenever the best epoch is not the last one (`TrainingResult.restoredBest`).
    /// Not when `shouldStop` interrupts training or the loss turns non-finite: weights are kept then.
    public var restoreBest: Bool

    public init(monitor: Monitor = .valLoss, patience: Int, minDelta: Float = 0, restoreBest: Bool = true) {
        self.monitor = monitor
        self.patience = patience
        self.minDelta = minDelta
        self.restoreBest = restoreBest
    }
}

/// The running state of one early-stopping rule during a `train` call: best value, its epoch,
/// epochs waited, and (with `restoreBest`) a snapshot of the best weights.
struct EarlyStoppingTracker {
    let rule: EarlyStopping
    private(set) var best: Float
    private(set) var bestEpoch: Int?
    private var wait = 0
    /// Values of the best epoch's variables (parameters and states), allocated at the first improvement and then
    /// overwritten in place, so later improvements copy without allocating.
    private(set) var bestWeights: [Tensor]?

    init(_ rule: EarlyStopping) {
        precondition(rule.patience >= 0, "early stopping needs patience >= 0 but got \(rule.patience)")
        self.rule = rule
        best = rule.monitor.maximises ? -.infinity : .infinity
    }

    /// The best value so far, or nil before any epoch improved.
    var bestValue: Float? { bestEpoch == nil ? nil : best }

    /// Records epoch `epoch` (1-based) and answers whether training should stop after it.
    /// Follows Keras's `on_epoch_end`: the wait counts every epoch and resets on improvement.
    mutating func update(record: EpochRecord, network: Network) -> Bool {
        guard let value = rule.monitor.value(of: record) else { return false }
        wait += 1
        let delta = abs(rule.minDelta)
        let improved = rule.monitor.maximises ? value - delta > best : value + delta < best
        if improved {
            best = value
            bestEpoch = record.epoch
            wait = 0
            if rule.restoreBest { snapshot(network) }
            return false
        }
        // Keras never stops after the first epoch (`epoch > 0`), even with patience 0.
        return wait >= rule.patience && record.epoch > 1
    }

    private mutating func snapshot(_ network: Network) {
        guard var saved = bestWeights else {
            // Shares storage with the parameters until the next optimizer step copies them once.
            bestWeights = network.weights()
            return
        }
        bestWeights = nil   // keep `saved` uniquely referenced so the copies below stay in place
        for (index, parameter) in network.variables.enumerated() {
            saved[index].data.withUnsafeMutableBufferPointer { target in
                parameter.value.data.withUnsafeBufferPointer { source in
                    guard let from = source.baseAddress else { return }
                    target.baseAddress!.update(from: from, count: source.count)
                }
            }
        }
        bestWeights = saved
    }
}
