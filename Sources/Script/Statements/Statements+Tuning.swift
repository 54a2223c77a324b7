import Engine

extension StatementTable {
    static let tuningStatements: [StatementSpec] = [SweepCommand.spec, UseCommand.spec, CrossvalCommand.spec, HistoryCommand.spec,
                                                    ScheduleCommand.spec]
}

/// `sweep`: lists of the training keys (TrainingKeys.sweepKeys), one combination each.
struct SweepCommand: Command {
    static let lists: [Key<[Double]?>] = TrainingKeys.sweepKeys.map { key in
        Key<[Double]?>.numbers(key.spec.key, default: key.spec.defaultValue, doc: "values to try: " + key.spec.doc)
    }
    static let monitor = Key<Monitor>.choice("monitor", default: .valLoss, doc: "what ranks the combinations and what early stopping watches")
    static let folds = Key<Int?>.integer("cv", min: 2, max: 1_000_000,
                                         doc: "cross-validate: train each combination on this many folds of the training rows and rank by the mean over the held-out folds")
    static let stratify = Flag("stratify", doc: "with cv=: keep each class's share in every fold")
    static let spec = StatementSpec(
        name: "sweep", category: .training, keys: lists.map(\.spec) + [monitor.spec, folds.spec, TrainingKeys.balance.spec], flags: [stratify.spec],
        summary: "Train once per combination of a grid of settings and compare them.",
        explanation: """
                Every combination starts from the same initial weights (those of `reset weights`) and the \
                same shuffles, so the table compares settings, not luck. The table is sorted by the monitored \
                figure with the best row marked, and ends with what the numbers show (not converged, \
                overfitting). A combination whose loss stops being a number is listed as diverged and the \
                sweep goes on. The session's own weights are not touched: `train` after a sweep continues \
                from where the session was; `use best` adopts the best combination's trained weights. \
                With `cv=5` each combination is trained on 5 folds of the training rows (as `crossval 5`) and \
                ranked by the mean over the held-out folds, shown as mean ± std; `use best` then trains the \
                best one on all the training rows. `balance=auto` weights the classes in every combination, \
                as `train balance=auto` does. Ctrl-C ends the sweep after the current combination.
                """,
        examples: ["sweep lr=0.1,0.001 epochs=20,4000 patience=20 validation=0.2", "sweep lr=0.3,0.1,0.03 batch=16,64",
                   "sweep lr=0.3,0.1,0.03 epochs=50 cv=5 stratify", "sweep lr=0.1,0.01 balance=auto"],
        command: SweepCommand.self)

    /// The values of each key given, in grid order, with the key's place in TrainingKeys.sweepKeys
    /// and the values as written (each checked as `train` checks its one value).
    let grid: [(index: Int, values: [Double], written: [Value])]
    let monitor: Placed<Monitor>
    /// `balance=auto`: every combination weights the classes (`train balance=auto`).
    let balance: Placed<TrainingKeys.Balance>
    let patienceGiven: Bool
    let validationGiven: Bool
    /// `cv=`: the number of folds, and where it was written.
    let folds: Int?
    let foldsRange: SourceRange
    let stratified: Bool
    let statement: SourceRange

    init(_ args: Arguments) {
        statement = args.statement.range
        grid = Self.lists.indices.compactMap { i in
            args[Self.lists[i]].map { (i, $0, args.items(Self.lists[i])) }
        }
        monitor = args.placed(Self.monitor)
        balance = args.placed(TrainingKeys.balance)
        folds = args[Self.folds]
        foldsRange = args.range(of: Self.folds)
        stratified = args[Self.stratify]
        patienceGiven = grid.contains { TrainingKeys.sweepKeys[$0.index].spec.key == TrainingKeys.patience.name }
        validationGiven = grid.contains { TrainingKeys.sweepKeys[$0.index].spec.key == TrainingKeys.validation.name }
    }

    /// Each element of a list is checked as `train` checks its value alone.
    func check() throws {
        let checker = Checker(table: .standard)
        for (index, _, written) in grid {
            let key = TrainingKeys.sweepKeys[index].spec
            for item in written { try checker.checkValue(item, against: key.type, what: "'\(key.key)='", spec: Self.spec) }
        }
        // With patience= and no validation=, the sweep holds out 0.2 itself; with cv= the folds hold rows out.
        if monitor.given, let problem = TrainingKeys.missingValidation(
            monitor.value, watchedBy: "monitor=\(monitor.value.rawValue)", hasValidation: validationGiven || patienceGiven || folds != nil,
            at: monitor.range, hint: "add `validation=0.2`, or `cv=5`") { throw problem }
        if stratified, folds == nil {
            throw Diagnostic("stratify keeps class shares in the folds of cv=, but no cv= was given", at: statement, hint: "add e.g. `cv=5`")
        }
    }

    func run(in session: Session) throws {
        if balance.value == .auto { try session.data?.rejectBalance(spec: session.spec, at: balance.range) }
        try session.sweep(self)
    }
    func explain(in session: Session) -> [String] { [
        "Every combination started from the same initial weights and was judged on validation rows, never on the test rows.",
        "Choosing by test accuracy would tune to the test rows and make their figure optimistic.",
    ] }
}

/// `crossval FOLDS [stratify]`: the training keys as `train` takes them.
struct CrossvalCommand: Command {
    static let k = Positional<Int>.integer("FOLDS", min: 2, max: 1_000_000, doc: "the number of folds (5 or 10 is usual)")
    static let stratify = Flag("stratify", doc: "keep each class's share in every fold, as StratifiedKFold")
    static let spec = StatementSpec(
        name: "crossval", category: .training, positionals: [k.spec], keys: TrainingKeys.trainSpecs, flags: [stratify.spec],
        summary: "Estimate how well the model learns: train and measure it once per fold of the training rows (k-fold cross-validation).",
        explanation: """
                The training rows (all rows without a split) are shuffled (with the seed) and cut into FOLDS \
                parts. For each fold the model is trained from fresh weights on the other parts and measured \
                on the part it held out, \
                so every training row is held out once; the scaler is refitted on each fold's training rows. \
                It prints each fold's held-out loss and accuracy (R² for regression), then the mean ± std, as \
                scikit-learn's cross_val_score. `stratify` keeps each class's share in every fold \
                (StratifiedKFold). It takes the keys of `train` (`balance=auto` weights the classes of each fold's \
                training rows); the session's model is not changed, and the \
                test rows are never touched.
                """,
        examples: ["crossval 5", "crossval 5 stratify lr=0.1 epochs=50", "crossval 10 lr=0.01 epochs=200 batch=16"],
        command: CrossvalCommand.self)

    let k: Placed<Int>
    let stratified: Bool
    let plan: TrainingPlanRequest
    let statement: SourceRange

    init(_ args: Arguments) {
        k = args.placed(Self.k)
        stratified = args[Self.stratify]
        plan = TrainingPlanRequest(args)
        statement = args.statement.range
    }

    func check() throws { try plan.check() }
    func run(in session: Session) throws {
        if plan.balance.value == .auto { try session.data?.rejectBalance(spec: session.spec, at: plan.balance.range) }
        try session.crossValidate(self)
    }
    func explain(in session: Session) -> [String] { [
        "Each fold's figure comes from rows its model never trained on; the spread between folds shows how much one split's figure can vary.",
        "Cross-validation estimates how well these settings learn; `train` then fits the model itself on all the training rows.",
    ] }
}

/// `use best`.
struct UseCommand: Command {
    static let which = Positional<String>.word("WHICH", ["best"], doc: "best: the best combination of the last sweep")
    static let spec = StatementSpec(
        name: "use", category: .training, positionals: [which.spec],
        summary: "Keep the best combination of the last sweep as the session's model.",
        explanation: "Its trained weights, optimizer state and training history become the session's, so `evaluate`, `predict` and `plot loss` use them.",
        examples: ["use best"],
        command: UseCommand.self)

    let statement: SourceRange

    init(_ args: Arguments) { statement = args.statement.range }
    func run(in session: Session) throws { try session.useBest(at: statement) }
    func explain(in session: Session) -> [String] { [
        "The best combination's weights and history are now the session's model.",
        "`evaluate` now measures it on the test rows, once, after the choice was made.",
    ] }
}

/// `history`.
struct HistoryCommand: Command {
    static let spec = StatementSpec(
        name: "history", category: .training,
        summary: "The per-epoch table of the training so far.",
        explanation: "Loss and accuracy per epoch, with the validation figures and the learning rate, since the weights were last initialised. Long histories are shortened in the middle.",
        examples: ["history"],
        command: HistoryCommand.self)

    init(_ args: Arguments) {}
    func run(in session: Session) throws { try session.showHistory() }
    func explain(in session: Session) -> [String] { [
        "One row per epoch of the \(session.epochsTrained) trained: the loss and accuracy on the training rows and, with validation, on the held-out rows.",
        "`plot loss` draws the same figures.",
    ] }
}

/// `schedule constant|step|exponential|cosine|plateau`.
struct ScheduleCommand: Command {
    enum Kind: String, CaseIterable, Sendable { case constant, step, exponential, cosine, plateau }
    /// What a plateau schedule watches: the figures that go down as training improves.
    enum PlateauMonitor: String, CaseIterable, Sendable { case loss, valLoss = "val_loss" }
    static let kind = Positional<Kind>.choice(
        "KIND", doc: "constant, step (times factor every N epochs), exponential (times rate each epoch), cosine (down to minimum) or plateau (times factor when the loss stops improving)")
    static let every = Key<Int>.integer("every", min: 1, max: 1_000_000, default: 10, onlyWith: "step", doc: "step: epochs between drops")
    static let factor = Key<Double>.number("factor", .number(min: 0, max: 1, minExclusive: true), default: 0.5, onlyWith: "step,plateau",
                                           doc: "step and plateau: the multiplier at each drop (plateau: below 1)")
    static let rate = Key<Double>.number("rate", .number(min: 0, max: 1, minExclusive: true), default: 0.95, onlyWith: "exponential",
                                         doc: "exponential: the multiplier per epoch")
    static let epochs = Key<Int>.integer("epochs", min: 1, max: 10_000_000, default: 100, onlyWith: "cosine", doc: "cosine: epochs to reach the minimum")
    static let minimum = Key<Double?>.number("minimum", .number(min: 0, max: 100), onlyWith: "cosine,plateau",
                                             doc: "cosine: the final learning rate (default 0); plateau: the lowest rate a drop leaves (default 0.0001)")
    static let patience = Key<Int>.integer("patience", min: 1, max: 1_000_000, default: 50, onlyWith: "plateau",
                                           doc: "plateau: epochs without improvement before the rate drops")
    static let monitor = Key<PlateauMonitor>.choice("monitor", default: .loss, onlyWith: "plateau",
                                                    doc: "plateau: the figure watched (val_loss needs `train validation=`)")
    static let minDelta = Key<Double>.number("min_delta", .number(min: 0, max: 1e9), default: 0.0001, onlyWith: "plateau",
                                             doc: "plateau: the smallest fall that counts as an improvement")
    static let cooldown = Key<Int>.integer("cooldown", min: 0, max: 1_000_000, default: 0, onlyWith: "plateau",
                                           doc: "plateau: epochs after a drop before waiting starts again")
    static let spec = StatementSpec(
        name: "schedule", category: .model, positionals: [kind.spec],
        keys: [every.spec, factor.spec, rate.spec, epochs.spec, minimum.spec, patience.spec, monitor.spec, minDelta.spec, cooldown.spec],
        summary: "Change the learning rate from epoch to epoch (default: constant).",
        explanation: """
            The rate given to `train` is the starting rate; the schedule lowers it as training goes on. `train` prints the rate whenever it changes. \
            `plateau` is Keras's ReduceLROnPlateau: after `patience` epochs in which the monitored loss fell by no more than `min_delta`, \
            the rate is multiplied by `factor`, down to `minimum`. The drops stay with the model's optimizer: a second `train` goes on \
            from the lowered rate, and counts the patience afresh, as a second Keras `fit` does; `save model` keeps them, \
            so a `train` after `load model` goes on lowered too.
            """,
        examples: ["schedule step every=10 factor=0.5", "schedule exponential rate=0.97", "schedule cosine epochs=200",
                   "schedule plateau patience=50 factor=0.5 minimum=0.0001"],
        command: ScheduleCommand.self)

    let schedule: Schedule
    /// Where `factor=` was written: a plateau schedule needs it below 1, a step schedule allows 1.
    let factorPlace: Placed<Double>

    init(_ args: Arguments) {
        factorPlace = args.placed(Self.factor)
        switch args[Self.kind] {
        case .step: schedule = .step(every: args[Self.every], factor: Float(args[Self.factor]))
        case .exponential: schedule = .exponential(rate: Float(args[Self.rate]))
        case .cosine: schedule = .cosine(epochs: args[Self.epochs], minimum: Float(args[Self.minimum] ?? 0))
        case .plateau:
            schedule = .plateau(Plateau(monitor: args[Self.monitor] == .loss ? .loss : .valLoss, patience: args[Self.patience],
                                        factor: args[Self.factor], minimum: args[Self.minimum] ?? 0.0001,
                                        minDelta: args[Self.minDelta], cooldown: args[Self.cooldown]))
        case .constant: schedule = .constant
        }
    }

    func check() throws {
        guard case .plateau(let rule) = schedule, rule.factor >= 1 else { return }
        throw Diagnostic("a plateau schedule lowers the rate, so factor= must be below 1, but got \(Format.general(rule.factor))",
                         at: factorPlace.range, hint: "e.g. `schedule plateau factor=0.5` (halve the rate at each plateau)")
    }

    func run(in session: Session) {
        session.spec.schedule = schedule
        session.print("schedule: \(session.spec.scheduleDescription)")
    }

    func explain(in session: Session) -> [String] {
        if case .plateau(let rule) = schedule {
            return [
                "The rate now stays as given until the \(rule.monitor.rawValue) has not fallen by more than \(Format.general(rule.minDelta)) for \(rule.patience) epochs in a row; then it is multiplied by \(Format.general(rule.factor)), never below \(Format.general(rule.minimum)).",
                "Small steps let training settle into a minimum that big steps jump across. The lowered rate stays with the optimizer for the next `train`.",
                "`history` shows the rate each epoch used.",
            ]
        }
        return [
            "The learning rate now changes from epoch to epoch: big steps early to make progress, small ones late to settle.",
            "`history` shows the rate each epoch used.",
        ]
    }
}
