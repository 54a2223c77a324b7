import Engine

/// The keys of training, declared once. `train` takes one value of each; `sweep` takes lists
/// of the numeric ones (`sweepKeys`, each checked element by element as `train` checks its
/// value); `TrainingPlan`'s defaults are theirs.
enum TrainingKeys {
    enum Restore: String, CaseIterable, Sendable { case best, last }
    enum Balance: String, CaseIterable, Sendable { case none, auto }

    static let lr = Key<Double>.number("lr", .number(min: 0, max: 100, minExclusive: true), default: 0.01,
                                       doc: "the learning rate: how far each step moves the weights")
    static let epochs = Key<Int>.integer("epochs", min: 1, max: 10_000_000, default: 10, doc: "passes over the training rows")
    static let batch = Key<Int>.integer("batch", min: 1, max: 10_000_000, default: 32, doc: "rows per gradient step (mini-batch size)")
    static let validation = Key<Double?>.number("validation", .number(min: 0, max: 1, minExclusive: true, maxExclusive: true),
                                                doc: "share of the training rows held out to measure after every epoch")
    static let patience = Key<Int?>.integer("patience", min: 0, max: 10_000_000,
                                            doc: "stop after this many epochs without improvement (early stopping)")
    static let monitor = Key<Monitor>.choice("monitor", default: .valLoss, doc: "what early stopping watches")
    static let minDelta = Key<Double>.number("min_delta", .number(min: 0, max: 1e9), default: 0,
                                             doc: "the smallest change that counts as an improvement")
    static let restore = Key<Restore>.choice("restore", default: .best,
                                             doc: "after early stopping, keep the best epoch's weights or the last ones")
    static let balance = Key<Balance>.choice("balance", default: .none,
                                             doc: "auto: weight each class's loss by n / (k × its count) in the rows trained on, as scikit-learn's class_weight=\"balanced\"")
    /// Only a sweep varies it; `train` takes the optimizer's (`optimizer sgd momentum=`).
    static let momentum = Key<Double?>.number("momentum", .number(min: 0, max: 1, maxExclusive: true), doc: "sgd momentum")

    /// `train`'s `lr=`: a rate, or `suggested` for the last `findlr`'s suggestion.
    static let trainLR = Key<Double?>.numberOrWord("lr", min: 0, max: 100, words: ["suggested"], default: 0.01,
                                                   doc: "the learning rate: how far each step moves the weights; `suggested` takes the last `findlr`'s suggestion")
    /// `train`'s keys, in the order `help` lists them.
    static let trainSpecs = [trainLR.spec, epochs.spec, batch.spec, validation.spec, patience.spec, monitor.spec, minDelta.spec, restore.spec, balance.spec]

    /// A key a sweep varies: how one of its values sets a plan, and how a plan reads it back
    /// (for the sweep's table and labels, `lr=0.1 epochs=20`).
    struct SweepKey: Sendable {
        let spec: KeySpec
        let set: @Sendable (inout TrainingPlan, Double) -> Void
        let get: @Sendable (TrainingPlan) -> Double
    }

    /// The keys a sweep varies, in the order its grid is walked.
    static let sweepKeys: [SweepKey] = [
        SweepKey(spec: lr.spec, set: { $0.learningRate = $1 }, get: { $0.learningRate }),
        SweepKey(spec: epochs.spec, set: { $0.epochs = Int($1) }, get: { Double($0.epochs) }),
        SweepKey(spec: batch.spec, set: { $0.batch = Int($1) }, get: { Double($0.batch) }),
        SweepKey(spec: momentum.spec, set: { plan, value in
            // Nesterov without momentum is plain sgd, and is written so (`optimizer` refuses it).
            if case .nesterov = plan.optimizer, value > 0 { plan.optimizer = .nesterov(momentum: Float(value)) }
            else { plan.optimizer = .sgd(momentum: Float(value)) }
        }, get: { plan in
            switch plan.optimizer {
            case .sgd(let m), .nesterov(let m): return Double(m)
            default: return 0
            }
        }),
        SweepKey(spec: patience.spec, set: { $0.patience = Int($1) }, get: { Double($0.patience ?? 0) }),
        SweepKey(spec: validation.spec, set: { $0.validation = $1 }, get: { $0.validation ?? 0 }),
        SweepKey(spec: minDelta.spec, set: { $0.minDelta = $1 }, get: { $0.minDelta }),
    ]

    /// Watching a validation figure (`monitor=val_loss`, early stopping's default) needs
    /// validation rows. The one check `train`, `sweep` and the pipeline make, each naming what
    /// watches (`monitor=val_accuracy`, `early stopping on val_loss`); nil when it watches
    /// `loss` or there are validation rows.
    static func missingValidation(_ monitor: Monitor, watchedBy what: String, hasValidation: Bool,
                                  at range: SourceRange?, hint: String) -> Diagnostic? {
        guard monitor != .loss, !hasValidation else { return nil }
        return Diagnostic("\(what) needs validation rows", at: range, hint: hint)
    }
}

extension TrainingPlan {
    /// The defaults of the training keys, with the session's optimizer and weight decay.
    init(spec: ModelSpec) {
        learningRate = TrainingKeys.lr.defaultNumber
        epochs = Int(TrainingKeys.epochs.defaultNumber)
        batch = Int(TrainingKeys.batch.defaultNumber)
        minDelta = TrainingKeys.minDelta.defaultNumber
        monitor = TrainingKeys.monitor.defaultChoice
        restoreBest = TrainingKeys.restore.defaultChoice == .best
        optimizer = spec.optimizer
        weightDecay = spec.weightDecay
    }
}
