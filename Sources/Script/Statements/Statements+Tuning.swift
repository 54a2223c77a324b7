import Engine

extension StatementTable {
    static let tuningStatements: [StatementSpec] = [
        StatementSpec(
            name: "sweep", category: .training,
            keys: [
                KeySpec("lr", .numberList, default: 0.01, doc: "learning rates to try, e.g. 0.1,0.001"),
                KeySpec("epochs", .numberList, default: 10, doc: "epoch counts to try, e.g. 20,4000"),
                KeySpec("batch", .numberList, default: 32, doc: "batch sizes to try"),
                KeySpec("momentum", .numberList, doc: "sgd momentum values to try"),
                KeySpec("patience", .numberList, doc: "early-stopping patience values to try (with validation)"),
                KeySpec("validation", .numberList, doc: "validation shares to try (default 0.2 when patience is given)"),
                KeySpec("min_delta", .numberList, doc: "early-stopping min_delta values to try"),
                KeySpec("monitor", .word(Monitor.allCases.map(\.rawValue)), default: "val_loss", doc: "what ranks the combinations and what early stopping watches"),
            ],
            summary: "Train once per combination of a grid of settings and compare them.",
            explanation: """
                Every combination starts from the same initial weights (those of `reset weights`) and the \
                same shuffles, so the table compares settings, not luck. The table is sorted by the monitored \
                figure with the best row marked, and ends with what the numbers show (not converged, \
                overfitting). The session's own weights are not touched: `train` after a sweep continues \
                from where the session was; `use best` adopts the best combination's trained weights. \
                Ctrl-C ends the sweep after the current combination.
                """,
            examples: ["sweep lr=0.1,0.001 epochs=20,4000 patience=20 validation=0.2", "sweep lr=0.3,0.1,0.03 batch=16,64"],
            validate: { args in try validateSweep(args) },
            explain: { _, _ in [
                "Every combination started from the same initial weights and was judged on validation rows, never on the test rows.",
                "Choosing by test accuracy would tune to the test rows and make their figure optimistic.",
            ] },
            action: { session, args in try session.sweep(args) }),

        StatementSpec(
            name: "use", category: .training,
            positionals: [PositionalSpec("WHICH", .word(["best"]), doc: "best: the best combination of the last sweep")],
            summary: "Keep the best combination of the last sweep as the session's model.",
            explanation: "Its trained weights, optimizer state and training history become the session's, so `evaluate`, `predict` and `plot loss` use them.",
            examples: ["use best"],
            explain: { _, _ in [
                "The best combination's weights and history are now the session's model.",
                "`evaluate` now measures it on the test rows, once, after the choice was made.",
            ] },
            action: { session, args in try session.useBest(args) }),

        StatementSpec(
            name: "history", category: .training,
            summary: "The per-epoch table of the training so far.",
            explanation: "Loss and accuracy per epoch, with the validation figures and the learning rate, since the weights were last initialised. Long histories are shortened in the middle.",
            examples: ["history"],
            explain: { session, _ in [
                "One row per epoch of the \(session.epochsTrained) trained: the loss and accuracy on the training rows and, with validation, on the held-out rows.",
                "`plot loss` draws the same figures.",
            ] },
            action: { session, _ in try session.showHistory() }),

        StatementSpec(
            name: "schedule", category: .model,
            positionals: [PositionalSpec("KIND", .word(["constant", "step", "exponential", "cosine"]),
                                         doc: "constant, step (times factor every N epochs), exponential (times rate each epoch) or cosine (down to minimum)")],
            keys: [
                KeySpec("every", .integer(min: 1, max: 1_000_000), default: 10, onlyWith: "step", doc: "step: epochs between drops"),
                KeySpec("factor", .number(min: 0, max: 1, minExclusive: true), default: 0.5, onlyWith: "step", doc: "step: the multiplier at each drop"),
                KeySpec("rate", .number(min: 0, max: 1, minExclusive: true), default: 0.95, onlyWith: "exponential", doc: "exponential: the multiplier per epoch"),
                KeySpec("epochs", .integer(min: 1, max: 10_000_000), default: 100, onlyWith: "cosine", doc: "cosine: epochs to reach the minimum"),
                KeySpec("minimum", .number(min: 0, max: 100), default: 0, onlyWith: "cosine", doc: "cosine: the final learning rate"),
            ],
            summary: "Change the learning rate from epoch to epoch (default: constant).",
            explanation: "The rate given to `train` is the starting rate; the schedule lowers it as training goes on. `train` prints the rate whenever it changes.",
            examples: ["schedule step every=10 factor=0.5", "schedule exponential rate=0.97", "schedule cosine epochs=200"],
            explain: { _, _ in [
                "The learning rate now changes from epoch to epoch: big steps early to make progress, small ones late to settle.",
                "`history` shows the rate each epoch used.",
            ] },
            action: { session, args in session.setSchedule(args) }),
    ]

    /// Each list element of a sweep key is checked as `train` would check it alone.
    static func validateSweep(_ args: Arguments) throws {
        let checker = Checker(table: .standard)
        guard let sweep = StatementTable.standard["sweep"] else { return }
        for key in Session.sweepKeys {
            guard let value = args.value(key), let spec = trainingKeys.first(where: { $0.key == key }) ?? momentumKey(key) else { continue }
            let items: [Value]
            if case .list(let list) = value.kind { items = list } else { items = [value] }
            for item in items { try checker.checkValue(item, against: spec.type, what: "'\(key)='", spec: sweep) }
        }
        if args.has("monitor"), args.text("monitor") != "loss", !args.has("validation"), !args.has("patience") {
            throw Diagnostic("monitor=\(args.text("monitor")!) needs validation rows", at: args.range(of: "monitor"),
                             hint: "add `validation=0.2`")
        }
    }

    private static func momentumKey(_ key: String) -> KeySpec? {
        key == "momentum" ? KeySpec("momentum", .number(min: 0, max: 1, maxExclusive: true), doc: "") : nil
    }
}
