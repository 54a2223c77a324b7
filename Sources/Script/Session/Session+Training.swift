import DLCore
import Engine
import Plot
import Tabular

extension Session {
    func train(_ command: TrainCommand) throws {
        let plan = try resolvedPlan(command.plan)
        let data = try requireDataset(for: "train")
        try rejectUntrainable(data)
        try rejectAccuracyMonitor(command.plan.monitor, watched: plan.patience != nil, data: data)
        try rejectUnaffordableTraining([plan], data: data, sweep: false)
        let model = try ensureModel(for: data, statement: "train")
        let loss = try spec.resolveLoss(for: data)
        let trainer = model.trainer(loss: loss, spec: spec)
        // The validation rows are drawn from the model's seed, as its shuffles are.
        var seeded = spec
        seeded.seed = model.seed
        let (fit, validation) = try self.data!.trainingSets(plan: plan, spec: seeded, at: command.plan.validation.range)
        if let problem = spec.plateauValidationProblem(hasValidation: validation != nil, at: command.statement) { throw problem }
        if let validation {
            print("validation: \(validation.count) of the \(trainRows.count) training rows are held out; training on \(fit.count)")
        }
        if let weights = fit.classWeights { print("balance=auto: each class's loss is weighted by n / (k × count): \(self.data!.describeClassWeights(weights))") }
        let epochsTrained = model.epochsTrained
        if epochsTrained == 0, let note = scaledTargetLossNote { print(note) }
        var options = plan.options(schedule: spec.schedule, validation: validation, firstEpoch: epochsTrained + 1)
        options.augmenter = self.data!.augmenter()
        let live = command.isLive ? liveView(of: model, plan: plan, pace: command.pace, offset: epochsTrained, lossName: trainer.loss.rawValue) : nil
        // On a terminal the live picture carries the epoch; lines would scroll it away.
        let verbosity = live != nil && output.isTerminal ? .silent : command.verbosity
        let monitor: Monitor = plan.patience != nil ? plan.monitor : (validation != nil ? .valLoss : .loss)
        let lines = EpochLines(epochs: plan.epochs, firstEpoch: epochsTrained + 1, verbosity: verbosity)
        let progress = ProgressPrinter(output: output, lines: lines, monitor: monitor, previousRate: model.history.last?.learningRate)
        let start = monotonicNanoseconds()
        let result: TrainingResult
        var random = model.nextTrainingRandom()
        do {
            result = try trainer.train(fit, options: options, rng: &random,
                                       shouldStop: context.shouldInterrupt, onEvent: { event in
                                           progress.handle(event)
                                           live?.handle(event)
                                       })
        } catch TrainingFailure.nonFinite(let epoch, let batch, let value) {
            progress.finish()
            built = nil // the weights are NaN now: the next `train` starts afresh
            let what = value.isNaN ? "NaN" : "infinite"
            let lr = Format.general(plan.learningRate)
            let target = divergenceAdvice(for: data)
            throw Diagnostic("loss became \(what) at epoch \(epochsTrained + epoch), batch \(batch); the learning rate \(lr) is likely too high\(target.cause)",
                             at: command.statement,
                             hint: "try a smaller rate, e.g. `train lr=\(Format.general(plan.learningRate / 10))`\(target.fix); the weights were reset")
        }
        let seconds = Double(monotonicNanoseconds() - start) / 1e9
        progress.finish()
        // The report keeps the final picture as SVG, as it does for `plot`.
        for chart in live?.finish() ?? [] { recorder.attach(picture: chart.svg(), title: chart.title) }
        let offset = epochsTrained
        let record = TrainRecord(plan: plan, schedule: spec.schedule, loss: loss,
                                 completedEpochs: result.interruptedAt.map { _ in result.records.count })
        model.record(result.records, of: record, trainer: trainer, restoredEpoch: result.restoredBest ? result.bestEpoch : nil)
        if let epoch = result.interruptedAt {
            context.clearInterrupt()
            // The epoch in progress was undone: the weights are those the history ends with.
            let kept = offset + epoch - 1
            print("interrupted at epoch \(offset + epoch) of \(offset + plan.epochs); "
                  + (epoch > 1 ? "the weights of epoch \(kept) are kept (the unfinished epoch is undone)"
                               : kept > 0 ? "no epoch finished: the weights of epoch \(kept) are kept" : "no epoch finished: the weights are as they were"))
            return
        }
        if let stopped = result.stoppedAt, let best = result.bestEpoch, let value = result.bestValue {
            var line = "stopped early at epoch \(offset + stopped) of \(offset + plan.epochs)"
            line += result.restoredBest ? "; restored weights from epoch \(offset + best)"
                                        : "; kept the last weights (best was epoch \(offset + best))"
            print(line + " (\(plan.monitor.rawValue) \(Format.fixed(value, 4)))")
        } else if result.restoredBest, let best = result.bestEpoch, let value = result.bestValue {
            print("restored weights from epoch \(offset + best), the best by \(plan.monitor.rawValue) (\(Format.fixed(value, 4)))")
        }
        // The figures of the weights the model now holds: the restored epoch's, not the last's.
        guard let figures = model.currentFigures, !result.records.isEmpty else { return }
        var line = "trained \(result.records.count) epoch\(result.records.count == 1 ? "" : "s")"
        if model.epochsTrained > result.records.count { line += " (\(model.epochsTrained) in total)" }
        line += " on \(fit.count) rows in \(Format.seconds(seconds - Double(live?.waited ?? 0) / 1e9))"
        if let waited = live?.waited, waited > 0 { line += " (drawn over \(Format.seconds(seconds)); `pace=fast` skips the wait)" }
        line += ": "
        if model.restoredEpoch != nil { line += "best epoch \(figures.epoch), " }
        line += figures.summary
        print(line + (model.restoredEpoch != nil ? " (restored)" : ""))
    }

    /// `monitor=val_accuracy` on a target of numbers: there is no accuracy to watch (early
    /// stopping on it would have nothing to compare). `watched`: early stopping or a ranking reads it.
    func rejectAccuracyMonitor(_ monitor: Placed<Monitor>, watched: Bool, data: Dataset) throws {
        guard watched, monitor.value == .valAccuracy, case .values = data.target else { return }
        throw Diagnostic("monitor=val_accuracy watches the accuracy of classes, but '\(data.targetName)' holds numbers (regression)",
                         at: monitor.range, hint: "watch the loss instead: `monitor=val_loss` (the default) or `monitor=loss`")
    }

    /// What a network cannot train on: missing values, and a target with one class only.
    func rejectUntrainable(_ data: Dataset) throws {
        try rejectMissingValues(data)
        if let cell = data.featureMatrix.firstInfinite() {
            let name = data.featureNames[cell.feature]
            let what = cell.value.isInfinite ? "\(cell.value < 0 ? "-" : "")inf" : "\(cell.value), beyond the ±3.4e38 of a 32-bit float,"
            throw Diagnostic("feature '\(name)' holds \(what) in row \(cell.row) (as `head` counts): the network would compute with infinity",
                             hint: "fix or rescale that value in the file, or drop the column (`drop \(name)`)")
        }
        if case .values(let targets) = data.target, let row = targets.firstIndex(where: { !$0.isFinite && !$0.isNaN }) {
            throw Diagnostic("the target '\(data.targetName)' holds a value beyond the ±3.4e38 of a 32-bit float (read as \(targets[row])) in row \(row) (as `head` counts): a loss with infinity cannot be minimised",
                             hint: "fix that value in the file, or drop the row")
        }
        if case .classes(_, let names) = data.target, names.count < 2 {
            throw Diagnostic("the target '\(data.targetName)' holds a single class ('\(names.first ?? "")'): there is nothing to tell apart",
                             hint: "a classifier needs at least two classes: check the target column (`target COLUMN` picks another), or `task regression` if it holds numbers")
        }
    }

    /// Missing values cannot be fed to a network: say where they are and what to do.
    func rejectMissingValues(_ data: Dataset) throws {
        let missing = data.missingCounts()
        guard !missing.isEmpty else { return }
        let list = missing.map { "\($0.name) (\($0.count))" }.joined(separator: ", ")
        throw Diagnostic("missing values reach train: \(list)",
                         hint: "fill them with `impute median` (or mean, mode, constant=VALUE), or drop those rows with `dropna`")
    }
}
