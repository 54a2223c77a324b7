import Engine

/// One statement of `show state` as a value keeps it: the statements that made the current
/// pipeline (its load, then each step, in order) and, for a loaded model, the file it came from.
/// A value, so it goes wherever its pipeline goes (a sweep's snapshot, a saved model's load).
enum StateStatement: Sendable {
    /// A statement that does the same whatever the session's seed (`scale minmax`, `impute median`).
    case plain(String)
    /// A statement that draws from a seed (`split 0.8`, `load moons`): `seed=N` is written
    /// when the seed in force where it is replayed would be another.
    case seeded(String, seed: UInt64)
    /// `load model FILE`: it brings the layers, loss, optimizer, schedule and seed of `spec`.
    case loadModel(String, spec: ModelSpec)
    /// A statement that changes nothing but finds what a later step acts on (`outliers` before
    /// `clip outliers`): written only where such a step follows it.
    case looking(String)
}

/// One `train` of a model's weights, as `show state` replays it: the plan it was asked for,
/// the schedule and loss it trained with, and, when it was interrupted, the epochs it completed
/// (an interrupt undoes the epoch in progress, so those epochs are all it did).
struct TrainRecord: Sendable {
    var plan: TrainingPlan
    var schedule: Schedule
    /// The loss minimised (the resolved one: `loss` given, or inferred from the output layer).
    var loss: Loss
    /// Set when Ctrl-C stopped it: the epochs that ran to the end.
    var completedEpochs: Int?

    /// `train lr=0.1 epochs=20 …`: every key that differs from its default, and always `lr`
    /// and `epochs`; numbers as they read back exactly. An interrupted train asks for the epochs
    /// it completed and, under early stopping, `restore=last`: it was stopped, not restored.
    var statement: String {
        var plan = self.plan
        if let completedEpochs {
            plan.epochs = completedEpochs
            plan.restoreBest = false
        }
        let defaults = TrainingPlan(spec: ModelSpec())
        var keys = ["train", "lr=\(StateText.number(plan.learningRate))", "epochs=\(plan.epochs)"]
        if plan.batch != defaults.batch { keys.append("batch=\(plan.batch)") }
        if let validation = plan.validation { keys.append("validation=\(StateText.number(validation))") }
        if let patience = plan.patience {
            keys.append("patience=\(patience)")
            if plan.monitor != defaults.monitor { keys.append("monitor=\(plan.monitor.rawValue)") }
            if plan.minDelta != defaults.minDelta { keys.append("min_delta=\(StateText.number(plan.minDelta))") }
            if plan.restoreBest != defaults.restoreBest { keys.append("restore=\(plan.restoreBest ? "best" : "last")") }
        }
        if plan.balanceClasses { keys.append("balance=auto") }
        return keys.joined(separator: " ")
    }
}

/// Numbers and settings written as statements that read back to the same values.
enum StateText {
    /// The shortest text that reads back to exactly `value` ("0.1", "1e-05", "20").
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    static func number(_ value: Float) -> String {
        if value == value.rounded(), abs(value) < 1e7 { return String(Int(value)) }
        return "\(value)"
    }

    /// `optimizer sgd momentum=0.9 nesterov`, with the keys that differ from their defaults.
    static func optimizer(_ kind: OptimizerKind, weightDecay: Double) -> String {
        var text: String
        switch kind {
        case .sgd(let momentum): text = momentum == 0 ? "optimizer sgd" : "optimizer sgd momentum=\(number(momentum))"
        // Nesterov without momentum is plain sgd (and the statement asks for momentum).
        case .nesterov(let momentum): text = momentum == 0 ? "optimizer sgd" : "optimizer sgd momentum=\(number(momentum)) nesterov"
        case .adam(let beta1, let beta2, _):
            text = "optimizer adam"
            if beta1 != Float(OptimizerCommand.beta1.defaultNumber) { text += " beta1=\(number(beta1))" }
            if beta2 != Float(OptimizerCommand.beta2.defaultNumber) { text += " beta2=\(number(beta2))" }
        case .rmsprop(let rho, _):
            text = "optimizer rmsprop"
            if rho != Float(OptimizerCommand.rho.defaultNumber) { text += " rho=\(number(rho))" }
        }
        return weightDecay == 0 ? text : text + " weight_decay=\(number(weightDecay))"
    }

    static func schedule(_ schedule: Schedule) -> String {
        switch schedule {
        case .constant: return "schedule constant"
        case .step(let every, let factor): return "schedule step every=\(every) factor=\(number(factor))"
        case .exponential(let rate): return "schedule exponential rate=\(number(rate))"
        case .cosine(let epochs, let minimum): return "schedule cosine epochs=\(epochs) minimum=\(number(minimum))"
        case .plateau(let rule): return rule.statement
        }
    }
}

/// Writes the statements of `show state` in order, keeping track of the settings that a
/// replay has in force at each point (seed, optimizer, loss, schedule), so that a setting is
/// written where it changes what the next statement does, and nowhere else.
struct StateWriter {
    private(set) var statements: [String] = []
    private(set) var seed: UInt64 = ModelSpec().seed
    private var optimizer = ModelSpec().optimizer
    private var weightDecay = ModelSpec().weightDecay
    private var loss: Loss?
    private var schedule = ModelSpec().schedule

    mutating func write(_ text: String) { statements.append(text) }

    mutating func write(_ statement: StateStatement) {
        switch statement {
        case .plain(let text), .looking(let text): write(text)
        case .seeded(let text, let seed): write(seed == self.seed ? text : text + " seed=\(seed)")
        case .loadModel(let text, let spec):
            write(text)
            seed = spec.seed
            optimizer = spec.optimizer
            weightDecay = spec.weightDecay
            loss = spec.loss
            schedule = spec.schedule
        }
    }

    mutating func set(seed: UInt64) {
        guard seed != self.seed else { return }
        write("set seed=\(seed)")
        self.seed = seed
    }

    mutating func set(optimizer: OptimizerKind, weightDecay: Double) {
        guard optimizer != self.optimizer || weightDecay != self.weightDecay else { return }
        write(StateText.optimizer(optimizer, weightDecay: weightDecay))
        self.optimizer = optimizer
        self.weightDecay = weightDecay
    }

    mutating func set(schedule: Schedule) {
        guard schedule != self.schedule else { return }
        write(StateText.schedule(schedule))
        self.schedule = schedule
    }

    /// `loss X` where the given loss differs from the one in force. A `loss` cannot be taken
    /// back to "inferred", so a given loss that is nil leaves the one in force.
    mutating func set(loss: Loss?) {
        guard let loss, loss != self.loss else { return }
        write("loss \(loss.rawValue)")
        self.loss = loss
    }

    /// A `train`, after the settings it trained with; `inferred` is the loss the output layer implies.
    mutating func write(_ train: TrainRecord, inferred: Loss) {
        set(optimizer: train.plan.optimizer, weightDecay: train.plan.weightDecay)
        if train.loss != (loss ?? inferred) { set(loss: train.loss) }
        set(schedule: train.schedule)
        write(train.statement)
    }
}
