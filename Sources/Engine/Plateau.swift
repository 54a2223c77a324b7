/// Keras's `ReduceLROnPlateau` callback (keras 3.15, `keras/src/callbacks/reduce_lr_on_plateau.py`):
/// when the monitored figure has not improved by more than `minDelta` for `patience` epochs,
/// the learning rate is multiplied by `factor`, never going below `minimum`.
///
/// Keras keeps the rate in the optimizer, so it outlives one `fit`: here the trainer keeps the
/// number of reductions made (`Trainer.learningRateReductions`), and each `train` call starts
/// the best value, the wait and the cooldown afresh, as Keras's `on_train_begin` does.
/// The arithmetic follows Keras's: the rate is a 32-bit float, each reduction computes
/// `max(rate * factor, minimum)` in doubles and rounds it back to Float, and a rate at or
/// below `Float(minimum)` is not reduced any more.
public struct Plateau: Equatable, Sendable {
    /// `.loss` or `.valLoss` (minimised) or `.valAccuracy` (maximised).
    public var monitor: Monitor
    /// Epochs without improvement before the rate is reduced (at least 1).
    public var patience: Int
    /// The multiplier at each reduction, in (0, 1).
    public var factor: Double
    /// The lowest rate a reduction leaves (Keras's `min_lr`), at least 0.
    public var minimum: Double
    /// An epoch improves when it beats the best so far by more than this (Keras's absolute `min_delta`), at least 0.
    public var minDelta: Double
    /// Epochs after a reduction during which no epoch counts as a wait (Keras's `cooldown`), at least 0.
    public var cooldown: Int

    /// Keras's defaults are patience 10, factor 0.1 and minimum 0; these are those of the FCN of
    /// Wang et al. 2017, which is what the schedule was added for.
    public init(monitor: Monitor = .loss, patience: Int = 50, factor: Double = 0.5, minimum: Double = 0.0001,
                minDelta: Double = 0.0001, cooldown: Int = 0) {
        self.monitor = monitor
        self.patience = patience
        self.factor = factor
        self.minimum = minimum
        self.minDelta = minDelta
        self.cooldown = cooldown
    }

    /// Whether a rate can still be reduced: Keras's `old_lr > np.float32(min_lr)`.
    public func canReduce(_ rate: Float) -> Bool { Double(rate) > Double(Float(minimum)) }

    /// The rate after one reduction: `max(rate * factor, minimum)` in doubles, rounded to Float.
    public func reduced(_ rate: Float) -> Float { Float(max(Double(rate) * factor, minimum)) }

    /// The rate `base` becomes after `reductions` reductions (those made while it could still go down).
    public func learningRate(base: Float, reductions: Int) -> Float {
        var rate = base
        for _ in 0..<max(reductions, 0) where canReduce(rate) { rate = reduced(rate) }
        return rate
    }
}

/// The running state of a plateau schedule during one `train` call (Keras's `best`, `wait` and
/// `cooldown_counter`, which its `on_train_begin` resets).
struct PlateauTracker {
    let rule: Plateau
    private var best: Float?
    private var wait = 0
    private var cooldownCounter = 0

    init(_ rule: Plateau) {
        precondition(rule.patience >= 1, "a plateau schedule needs patience >= 1 but got \(rule.patience)")
        precondition(rule.factor > 0 && rule.factor < 1, "a plateau schedule needs 0 < factor < 1 but got \(rule.factor)")
        precondition(rule.minimum >= 0 && rule.minDelta >= 0 && rule.cooldown >= 0,
                     "a plateau schedule needs minimum, min_delta and cooldown >= 0")
        self.rule = rule
    }

    /// Keras's `_is_improvement`: the first value always improves; then `value + minDelta < best`
    /// (`value - minDelta > best` when maximising), compared as 32-bit floats as Keras's `ops.less` does.
    private func improves(_ value: Float) -> Bool {
        guard let best else { return true }
        return rule.monitor.maximises ? Float(Double(value) - rule.minDelta) > best
                                      : Float(Double(value) + rule.minDelta) < best
    }

    /// Keras's `on_epoch_end` for an epoch trained at `rate`: answers whether the rate is reduced
    /// for the next epoch. A record without the monitored figure changes nothing (Keras warns).
    mutating func update(record: EpochRecord, rate: Float) -> Bool {
        guard let value = rule.monitor.value(of: record) else { return false }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            wait = 0
        }
        if improves(value) {
            best = value
            wait = 0
            return false
        }
        guard cooldownCounter == 0 else { return false }
        wait += 1
        // At the minimum Keras does not reduce and, having reduced nothing, keeps the wait.
        guard wait >= rule.patience, rule.canReduce(rate) else { return false }
        cooldownCounter = rule.cooldown
        wait = 0
        return true
    }
}
