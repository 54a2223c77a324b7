import DLCore
import Engine

/// One training configuration: what `train` was asked for, or one combination of a
/// `sweep` grid. Keys not given fall back to the session's optimizer and schedule.
/// Its defaults are the training keys' (TrainingKeys.swift).
struct TrainingPlan: Sendable {
    var learningRate: Double
    var epochs: Int
    var batch: Int
    /// Share of the training rows held out to validate on after every epoch.
    var validation: Double?
    var patience: Int?
    var monitor: Monitor
    var minDelta: Double
    var restoreBest: Bool
    /// `balance=auto`: the loss weights each class by n / (k × its count) (`DataPipeline.trainingSets`).
    var balanceClasses = false
    var optimizer: OptimizerKind
    var weightDecay: Double

    /// Early stopping as the engine takes it; nil when no patience was given.
    var earlyStopping: EarlyStopping? {
        patience.map { EarlyStopping(monitor: monitor, patience: $0, minDelta: Float(minDelta), restoreBest: restoreBest) }
    }

    /// The engine's options for this plan; `firstEpoch` numbers epochs across `train` calls.
    func options(schedule: Schedule, validation: TrainingData?, firstEpoch: Int = 1) -> TrainingOptions {
        TrainingOptions(learningRate: Float(learningRate), epochs: epochs, batchSize: batch, schedule: schedule,
                        firstEpoch: firstEpoch, validation: validation, earlyStopping: earlyStopping)
    }

    /// "lr=0.1 epochs=20": the keys a sweep varies, for its table and messages.
    func describe(_ keys: [String]) -> String {
        keys.map { key in
            guard let sweepKey = TrainingKeys.sweepKeys.first(where: { $0.spec.key == key }) else { return key }
            return "\(key)=\(Format.general(sweepKey.get(self)))"
        }.joined(separator: " ")
    }
}

/// One epoch of the session's training history, numbered from the first `train`
/// since the weights were last initialised.
struct HistoryRow: Sendable, Codable {
    var epoch: Int
    var loss: Float
    var accuracy: Float?
    var validationLoss: Float?
    var validationAccuracy: Float?
    var learningRate: Float
    var seconds: Double

    init(_ record: EpochRecord, offset: Int) {
        epoch = record.epoch + offset
        loss = record.loss
        accuracy = record.accuracy
        validationLoss = record.validationLoss
        validationAccuracy = record.validationAccuracy
        learningRate = record.learningRate
        seconds = record.seconds
    }

    /// "loss 0.0590, accuracy 0.9792, val_loss 0.0740, val_accuracy 1.0000": the figures
    /// measured, for `train`'s closing line and a sweep's progress lines.
    var summary: String {
        var text = "loss \(Format.fixed(loss, 4))"
        if let accuracy { text += ", accuracy \(Format.fixed(accuracy, 4))" }
        if let validationLoss { text += ", val_loss \(Format.fixed(validationLoss, 4))" }
        if let validationAccuracy { text += ", val_accuracy \(Format.fixed(validationAccuracy, 4))" }
        return text
    }

    /// The value early stopping watches.
    func value(of monitor: Monitor) -> Float? {
        switch monitor {
        case .loss: return loss
        case .valLoss: return validationLoss
        case .valAccuracy: return validationAccuracy
        }
    }
}
