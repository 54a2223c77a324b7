import DLCore
import Dispatch
import Engine
import Tabular

extension Session {
    func sweep(_ command: SweepCommand) throws {
        let data = try requireDataset(for: "sweep")
        try rejectUntrainable(data)
        try rejectAccuracyMonitor(command.monitor, watched: true, data: data)
        let keys = TrainingKeys.sweepKeys
        let grid = command.grid
        let varied = grid.filter { $0.values.count > 1 }.map { keys[$0.index].spec.key }
        var first = TrainingPlan(spec: spec)
        first.monitor = command.monitor.value
        first.balanceClasses = command.balance.value == .auto
        var plans = [first]
        for (index, values, _) in grid {
            plans = plans.flatMap { partial in values.map { value in var plan = partial; keys[index].set(&plan, value); return plan } }
        }
        let heldOut = command.patienceGiven && !command.validationGiven && command.monitor.value != .loss
        if heldOut { for i in plans.indices { plans[i].validation = 0.2 } }
        let folds = try command.folds.map { try crossValidationFolds(k: $0, stratify: command.stratified, at: command.foldsRange) }
        try rejectUnaffordableTraining(plans, data: data, sweep: true)
        let model = try ensureModel(for: data, statement: "sweep") // checks the layers fit the data
        let loss = try spec.resolveLoss(for: data)
        if heldOut {
            print("sweep: patience watches val_loss, so 20% of the training rows are held out for validation (validation=0.2)")
        }
        let shownKeys = varied.isEmpty ? grid.map { keys[$0.index].spec.key } : varied
        let combinations = "sweep: \(plans.count) combination\(plans.count == 1 ? "" : "s") of \(shownKeys.joined(separator: ", "))"
        var result = SweepResult(keys: shownKeys, rows: [], monitor: plans[0].validation == nil ? .loss : plans[0].monitor,
                                 layers: spec.architecture, dataRevision: self.data!.revision,
                                 seed: seed, schedule: spec.schedule, loss: loss)
        if let folds {
            result.monitor = command.monitor.value == .valAccuracy ? .valAccuracy : .valLoss
            result.crossValidation = folds.count
            result.scoreName = FoldScore.scoreName(for: data)
            print(combinations + ", each trained on \(folds.count) \(folds.stratified ? "stratified " : "")folds of \(fitRowsPhrase) and ranked by the mean over the held-out folds; each fold starts from the same weights for every combination (seed \(seed))")
            result.rows = try crossValidatedRows(plans, keys: shownKeys, folds: folds, loss: loss, parameters: model.network.parameterCount,
                                                 at: command.statement)
        } else {
            print(combinations + ", each from the same initial weights (seed \(seed))")
            // Snapshots: each job owns copies of the values it reads, so training it cannot change the session.
            let jobs = plans.indices.map { index in
                SweepJob(plan: plans[index], keys: shownKeys, label: "[\(index + 1)/\(plans.count)] \(plans[index].describe(shownKeys))",
                         pipeline: self.data!, spec: spec, loss: loss, range: command.statement)
            }
            result.rows = try runJobs(jobs, parameters: model.network.parameterCount) { index, row in
                output.write(SweepProgress.line(for: row, label: jobs[index].label), to: .output)
            }
        }
        if context.shouldInterrupt() { context.clearInterrupt() }
        let rows = result.rows
        if rows.count < plans.count { print("interrupted: \(rows.count) of \(plans.count) combinations ran") }
        lastSweep = result
        let report = SweepReport(result: result)
        if let table = report.table {
            output.write(report.heading, to: .output)
            show(table, title: "sweep results")
            output.write(report.closing, to: .output)
        } else {
            output.write(report.render(), to: .output)
        }
    }

    /// Runs the jobs, two at a time where that gives the same numbers (see
    /// `trainsIdenticallyInParallel`), and hands each row to `each` in the jobs' order as it
    /// can: at once when run in order, at the end when run in parallel. Ctrl-C ends the run
    /// after the current job; the rows returned are those that finished.
    func runJobs(_ jobs: [SweepJob], parameters: Int, each: (Int, SweepRow) -> Void) throws -> [SweepRow] {
        let parallel = jobs.count > 1 && trainsIdenticallyInParallel(jobs.map(\.plan), parameters: parameters)
        return try parallel ? Self.trainInParallel(jobs, output: output, shouldInterrupt: context.shouldInterrupt, each: each)
                            : trainInOrder(jobs, each: each)
    }

    /// One job after the other, the running one's epoch shown on a terminal.
    private func trainInOrder(_ jobs: [SweepJob], each: (Int, SweepRow) -> Void) throws -> [SweepRow] {
        var rows: [SweepRow] = []
        for (index, job) in jobs.enumerated() {
            let progress = SweepProgress(output: output, label: job.label, epochs: job.plan.epochs)
            let row: SweepRow
            do {
                row = try job.run(onEvent: progress.handle)
            } catch {
                progress.finish() // clears the progress line before the error is shown
                throw error
            }
            progress.finish()
            each(index, row)
            rows.append(row)
            if context.shouldInterrupt() { break }
        }
        return rows
    }

    /// Two combinations at a time, one per core. Every product then runs on one
    /// OpenBLAS thread, which is how small models train anyway, so the numbers equal
    /// a run in order; lines are printed in grid order so output stays the same too.
    /// Static, so the workers reach no session: they see only the jobs' snapshots.
    private static func trainInParallel(_ jobs: [SweepJob], output: OutputSink, shouldInterrupt: @escaping @Sendable () -> Bool,
                                        each: (Int, SweepRow) -> Void) throws -> [SweepRow] {
        let board = SweepBoard(jobs: jobs, output: output)
        Trainer.setSingleThreaded(true)
        defer { Trainer.setSingleThreaded(false) }
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            while let index = board.take() {
                board.finish(index, Result { try jobs[index].run() }, interrupted: shouldInterrupt())
            }
        }
        if !output.isTerminal && output.takesProgress { output.show(progress: nil) }
        var rows: [SweepRow] = []
        for (index, outcome) in board.outcomes.enumerated() {
            guard let outcome else { continue }
            let row = try outcome.get()
            each(index, row)
            rows.append(row)
        }
        return rows
    }

    /// Parallel runs must print the same numbers: only dense models whose every
    /// product (a batch, or a 1024-row evaluation chunk, through the largest layer)
    /// stays under the size OpenBLAS would split across threads.
    private func trainsIdenticallyInParallel(_ plans: [TrainingPlan], parameters: Int) -> Bool {
        guard layers.allSatisfy({ $0.kind is DenseKind }) else { return false }
        let rows = max(1024, plans.map(\.batch).max() ?? 0)
        return rows * parameters < Trainer.singleThreadedProductLimit
    }

    func useBest(at statement: SourceRange) throws {
        guard let sweep = lastSweep else {
            throw Diagnostic("use best takes the best combination of a sweep, but no sweep has run",
                             hint: "run e.g. `sweep lr=0.1,0.01 epochs=20,100` first")
        }
        guard let best = sweep.best else {
            let what = sweep.rows.isEmpty ? "no combination of the last sweep finished" : "every combination of the last sweep diverged"
            throw Diagnostic("use best takes the best combination of a sweep, but \(what)",
                             hint: "sweep smaller learning rates, e.g. `sweep lr=0.01,0.001`")
        }
        let data = try requireDataset(for: "use best")
        var row = sweep.rows[best]
        guard sweep.layers == spec.architecture, sweep.dataRevision === self.data!.revision else {
            throw Diagnostic("the \(sweep.layers == spec.architecture ? "data" : "layers") changed since the sweep, so its weights no longer fit",
                             hint: "run the sweep again")
        }
        if row.network == nil {
            // A cross-validated sweep kept no weights: its folds each trained on part of the rows.
            print("the sweep's folds kept no weights: training \(row.label) on \(fitRowsPhrase), as `reset weights` then `train` would")
            // With the sweep's seed, schedule and loss, which the adopted model records as its train.
            var trainedSpec = spec
            trainedSpec.seed = sweep.seed
            trainedSpec.schedule = sweep.schedule
            let job = SweepJob(plan: row.plan, keys: sweep.keys, label: row.label, pipeline: self.data!, spec: trainedSpec,
                               loss: sweep.loss, range: statement)
            let progress = SweepProgress(output: output, label: job.label, epochs: job.plan.epochs)
            let trained = try job.run(onEvent: progress.handle)
            progress.finish()
            output.write(SweepProgress.line(for: trained, label: row.label), to: .output)
            guard !trained.diverged else {
                throw Diagnostic("\(row.label) diverged on all the training rows", hint: "sweep smaller learning rates")
            }
            row = trained
        }
        noteFileWeightsDropped()
        built = TrainedModel(adopting: row, of: sweep, inputShape: spec.inputShape(of: data))
        var line = "using the best combination, \(row.label): \(row.history.count) epochs"
        if let bestEpoch = row.bestEpoch { line += ", weights from epoch \(bestEpoch)" }
        print(line + "; `evaluate` measures it on the test rows")
    }
}

/// The shared state of a parallel sweep: which job is next, what each gave, whether to
/// stop. Every access holds `lock`, which is also what lets the workers write progress to
/// the (non-Sendable) output one at a time; hence the unchecked Sendable.
private final class SweepBoard: @unchecked Sendable {
    private let lock = DispatchQueue(label: "dl.sweep")
    private let jobs: [SweepJob]
    private let output: OutputSink
    private var next = 0
    private var stop = false
    private var results: [Result<SweepRow, Error>?]

    init(jobs: [SweepJob], output: OutputSink) {
        self.jobs = jobs
        self.output = output
        results = Array(repeating: nil, count: jobs.count)
    }

    /// The next job to run, or nil when all are taken or the sweep is stopping.
    func take() -> Int? {
        lock.sync {
            guard !stop, next < jobs.count else { return nil }
            next += 1
            return next - 1
        }
    }

    /// Records a job's outcome; a failure or an interrupt stops the jobs not yet taken.
    func finish(_ index: Int, _ outcome: Result<SweepRow, Error>, interrupted: Bool) {
        lock.sync {
            results[index] = outcome
            if case .failure = outcome { stop = true }
            if interrupted { stop = true }
            if output.isTerminal || output.takesProgress, case .success = outcome {
                let text = "finished \(jobs[index].label) (\(results.compactMap { $0 }.count) of \(jobs.count))"
                if output.isTerminal { output.write("\r\u{1B}[2K" + text, to: .output) } else { output.show(progress: text) }
            }
        }
    }

    var outcomes: [Result<SweepRow, Error>?] { lock.sync { results } }
}
