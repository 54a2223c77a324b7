import DLCore
import Engine
import Tabular

extension Session {
    /// `crossval K [stratify]`: the current model spec trained K times, once per fold of the
    /// training rows, each from fresh weights on a pipeline refitted on the fold, and measured
    /// on the fold's held-out rows. The session's own model, data and history are not touched.
    func crossValidate(_ command: CrossvalCommand) throws {
        let data = try requireDataset(for: "crossval")
        try rejectUntrainable(data)
        try rejectAccuracyMonitor(command.plan.monitor, watched: command.plan.patience.value != nil, data: data)
        guard !layers.isEmpty else {
            throw Diagnostic("crossval needs a model, but there are no layers yet",
                             hint: "add layers first, e.g. `dense 64 relu` then `dense \(ModelSpec.suggestedOutputUnits(data)) \(ModelSpec.suggestedOutputActivation(data))`")
        }
        let plan = try resolvedPlan(command.plan)
        let folds = try crossValidationFolds(k: command.k.value, stratify: command.stratified, at: command.k.range)
        try rejectUnaffordableTraining([plan], data: data, sweep: false)
        // Built once to check that the layers fit the data (errors point at the layer's line).
        let probe = try spec.initialNetwork(inputShape: spec.inputShape(of: data))
        // The loss every fold minimises; `balance=auto` weights it per fold (`DataPipeline.balanced`, from the plan).
        let loss = try spec.resolveLoss(for: data)
        var keys = ["lr", "epochs", "batch"]
        if plan.validation != nil { keys.append(TrainingKeys.validation.name) }
        if plan.patience != nil { keys.append(TrainingKeys.patience.name) }
        let scaling = self.data!.scaling
        print("crossval: \(folds.count) \(folds.stratified ? "stratified " : "")folds of \(fitRowsPhrase) (shuffled with seed \(seed)), "
              + "each trained from fresh weights with \(plan.describe(keys))" + (plan.balanceClasses ? " balance=auto" : "")
              + (scaling == .none ? "" : "; the \(scaling.rawValue) scaler is refitted on each fold's training rows"))
        let jobs = foldJobs(for: [plan], keys: [], folds: folds, loss: loss, at: command.statement) { _, fold in
            "fold \(fold + 1)/\(folds.count)"
        }
        let runs = try runJobs(jobs, parameters: probe.parameterCount) { _, _ in }
        if context.shouldInterrupt() { context.clearInterrupt() }
        let report = CrossValidationReport(runs: runs, folds: folds, scoreName: FoldScore.scoreName(for: data))
        show(report.table, title: "crossval")
        for line in report.closing { print(line) }
        if runs.count < folds.count { print("interrupted: \(runs.count) of \(folds.count) folds ran") }
        let kept = fittedTableSteps
        if !kept.isEmpty {
            print("note: \(kept.joined(separator: ", ")) keep\(kept.count == 1 ? "s" : "") the values fitted on \(fitRowsPhrase) in every fold; only the scaler is refitted per fold")
        }
        print("the session's model is unchanged: `train` trains it on \(fitRowsPhrase)")
    }

    /// The folds of the training rows for `crossval K` and `sweep … cv=K`, drawn from the
    /// session's seed; `stratify` keeps each class's share in every fold.
    func crossValidationFolds(k: Int, stratify: Bool, at range: SourceRange) throws -> CrossValidationFolds {
        let rows = trainRows
        guard k <= rows.count else {
            throw Diagnostic("crossval \(k) needs at least \(k) rows (one held out in each fold), but it has \(fitRowsPhrase)",
                             at: range, hint: "choose from 2 to \(rows.count) folds; 5 or 10 is usual")
        }
        guard stratify else { return CrossValidationFolds(rows: rows, k: k, labels: nil, seed: seed) }
        guard let dataset, case .classes(let labels, let names) = dataset.target else {
            throw Diagnostic("stratify keeps each class's share in every fold, but '\(data?.targetName ?? "the target")' holds numbers (regression)",
                             at: range, hint: "leave out `stratify`, or say `task classification` first")
        }
        var counts = [Int](repeating: 0, count: names.count)
        for row in rows { counts[labels[row]] += 1 }
        if let rare = counts.indices.filter({ counts[$0] > 0 && counts[$0] < k }).min(by: { counts[$0] < counts[$1] }) {
            warn(Diagnostic("class '\(names[rare])' has \(counts[rare]) of the training rows, fewer than the \(k) folds: some folds hold none of it out",
                            at: range, id: "crossval-rare-class"))
        }
        return CrossValidationFolds(rows: rows, k: k, labels: labels, seed: seed)
    }

    /// One job per plan and fold, plan by plan, each refitting the pipeline on its fold's
    /// training rows; each fold starts from its own initial weights, the same for every plan,
    /// so the plans are compared on equal terms.
    func foldJobs(for plans: [TrainingPlan], keys: [String], folds: CrossValidationFolds, loss: Loss, at range: SourceRange,
                  label: (Int, Int) -> String) -> [SweepJob] {
        let specs = (0..<folds.count).map { fold in
            var copy = spec
            copy.seed = CrossValidationFolds.weightSeed(seed, fold: fold)
            return copy
        }
        return plans.indices.flatMap { index in
            (0..<folds.count).map { fold in
                var job = SweepJob(plan: plans[index], keys: keys, label: label(index, fold), pipeline: self.data!,
                                   spec: specs[fold], loss: loss, range: range)
                job.fold = (fold, folds)
                return job
            }
        }
    }

    /// `sweep … cv=K`: every combination trained on every fold; one row per combination,
    /// holding its folds' held-out figures, printed as each combination finishes.
    func crossValidatedRows(_ plans: [TrainingPlan], keys: [String], folds: CrossValidationFolds, loss: Loss,
                            parameters: Int, at range: SourceRange) throws -> [SweepRow] {
        let jobs = foldJobs(for: plans, keys: keys, folds: folds, loss: loss, at: range) { index, fold in
            "[\(index + 1)/\(plans.count)] \(plans[index].describe(keys)), fold \(fold + 1)/\(folds.count)"
        }
        var pending: [SweepRow] = []
        var rows: [SweepRow] = []
        _ = try runJobs(jobs, parameters: parameters) { index, run in
            pending.append(run)
            guard pending.count == folds.count else { return }
            let row = SweepRow(combining: pending)
            let combination = index / folds.count
            output.write(SweepProgress.line(for: row, label: "[\(combination + 1)/\(plans.count)] \(row.label)"), to: .output)
            rows.append(row)
            pending = []
        }
        return rows
    }

    /// The recorded table steps whose values were fitted on all the training rows, which
    /// cross-validation does not refit per fold (the table is kept only after them).
    private var fittedTableSteps: [String] {
        var names: [String] = []
        for step in data?.steps ?? [] {
            let name: String
            switch step {
            case .fill: name = "impute"
            case .encode: name = "encode"
            case .clip: name = "clip"
            default: continue
            }
            if !names.contains(name) { names.append(name) }
        }
        return names
    }
}

extension SweepRow {
    /// A cross-validated combination from its folds' runs: their held-out figures, or the first
    /// divergence; its history is the mean curve over the epochs every fold ran, for `plot sweep`.
    /// It keeps no weights (`use best` trains the combination on all the training rows).
    init(combining runs: [SweepRow]) {
        self = runs[0]
        network = nil
        trainer = nil
        stoppedAt = nil
        bestEpoch = nil
        heldOut = nil
        divergence = nil
        seconds = runs.map(\.seconds).reduce(0, +)
        if let fold = runs.firstIndex(where: \.diverged) {
            divergence = runs[fold].divergence
            divergence?.fold = fold + 1
        } else {
            folds = runs.compactMap(\.heldOut)
        }
        let epochs = runs.map(\.history.count).min() ?? 0
        history = (0..<epochs).map { epoch in
            var mean = runs[0].history[epoch]
            let rows = runs.map { $0.history[epoch] }
            func average(_ values: [Float?]) -> Float? {
                let present = values.compactMap { $0 }
                return present.count == values.count ? present.reduce(0, +) / Float(present.count) : nil
            }
            mean.loss = average(rows.map(\.loss))!
            mean.accuracy = average(rows.map(\.accuracy))
            mean.validationLoss = average(rows.map(\.validationLoss))
            mean.validationAccuracy = average(rows.map(\.validationAccuracy))
            mean.seconds = rows.map(\.seconds).reduce(0, +) / Double(rows.count)
            return mean
        }
    }
}
