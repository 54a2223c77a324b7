import DLCore
import Engine
import Tabular

extension Session {
    func train(_ args: Arguments) throws {
        let plan = TrainingPlan(Self.singleValues(args), words: Self.words(args), session: self)
        let data = try requireDataset(for: "train")
        try rejectMissingValues(data)
        let built = try ensureNetwork(for: data, statement: "train")
        let loss = try resolveLoss(for: data)
        if trainer == nil || trainerLoss != loss {
            trainer = Trainer(network: built, loss: loss, optimizer: Optimizer(optimizerKind, weightDecay: Float(weightDecay)))
            trainerLoss = loss
        }
        let (fit, validation) = try trainingSets(data, plan: plan, at: args.range(of: "validation"))
        if let validation {
            print("validation: \(validation.x.rows) of the \(trainRows.count) training rows are held out; training on \(fit.x.rows)")
        }
        let options = plan.options(schedule: schedule, validation: validation, firstEpoch: epochsTrained + 1)
        let progress = ProgressPrinter(output: output, firstEpoch: epochsTrained + 1, totalEpochs: plan.epochs)
        let start = monotonicNanoseconds()
        let result: TrainingResult
        do {
            result = try trainer!.train(fit, options: options, rng: &trainingRandom,
                                        shouldStop: interpreter.shouldInterrupt, onEvent: progress.handle)
        } catch TrainingFailure.nonFinite(let epoch, let batch, let value) {
            if output.isTerminal { output.write("\n", to: .output) }
            discardWeights()
            let what = value.isNaN ? "NaN" : "infinite"
            let lr = Format.general(plan.learningRate)
            throw Diagnostic("loss became \(what) at epoch \(epochsTrained + epoch), batch \(batch); the learning rate \(lr) is likely too high, or the target needs scaling",
                             at: args.statement.range,
                             hint: "try a smaller rate, e.g. `train lr=\(Format.general(plan.learningRate / 10))`; the weights were reset")
        }
        let seconds = Double(monotonicNanoseconds() - start) / 1e9
        let offset = epochsTrained
        history += result.records.map { HistoryRow($0, offset: offset) }
        epochsTrained += result.records.count
        if let epoch = result.interruptedAt {
            interpreter.clearInterrupt()
            if output.isTerminal { output.write("\n", to: .output) }
            print("interrupted at epoch \(offset + epoch) of \(offset + plan.epochs); the weights so far are kept")
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
        guard let last = result.records.last else { return }
        var line = "trained \(result.records.count) epoch\(result.records.count == 1 ? "" : "s")"
        if epochsTrained > result.records.count { line += " (\(epochsTrained) in total)" }
        line += " on \(fit.x.rows) rows in \(Format.seconds(seconds)): loss \(Format.fixed(last.loss, 4))"
        if let accuracy = last.accuracy { line += ", accuracy \(Format.fixed(accuracy, 4))" }
        if let validationLoss = last.validationLoss { line += ", val_loss \(Format.fixed(validationLoss, 4))" }
        if let validationAccuracy = last.validationAccuracy { line += ", val_accuracy \(Format.fixed(validationAccuracy, 4))" }
        print(line)
    }

    /// The rows to fit and, when asked for, the validation rows held out of the
    /// training rows (never the test rows), drawn the same way for the same seed.
    func trainingSets(_ data: Dataset, plan: TrainingPlan, at range: SourceRange) throws -> (TrainingData, TrainingData?) {
        let units = layers.last!.dense!.units
        guard let fraction = plan.validation else {
            if plan.patience != nil, plan.monitor != .loss {
                throw Diagnostic("early stopping on \(plan.monitor.rawValue) needs validation rows", at: range,
                                 hint: "add `validation=0.2`, or `monitor=loss`")
            }
            return (makeTrainingData(data, rows: trainRows, outputUnits: units), nil)
        }
        var rows = trainRows
        let held = Int((Double(rows.count) * fraction).rounded())
        guard held >= 1, held < rows.count else {
            throw Diagnostic("validation=\(Format.general(fraction)) of \(rows.count) training rows leaves \(held == 0 ? "no validation rows" : "no rows to train on")",
                             at: range, hint: "choose a share such as 0.2")
        }
        var random = SeededRandom(seed: seed &+ 0x7A11D)
        random.shuffle(&rows)
        let validation = Array(rows.prefix(held)).sorted(), fit = Array(rows.dropFirst(held)).sorted()
        return (makeTrainingData(data, rows: fit, outputUnits: units), makeTrainingData(data, rows: validation, outputUnits: units))
    }

    /// The numeric keys of `train` (each one value).
    static func singleValues(_ args: Arguments) -> [String: Double] {
        var values: [String: Double] = [:]
        for key in ["lr", "epochs", "batch", "validation", "patience", "min_delta", "momentum"] {
            if let value = args.numbers(key)?.first { values[key] = value }
        }
        return values
    }

    static func words(_ args: Arguments) -> [String: String] {
        var words: [String: String] = [:]
        for key in ["monitor", "restore"] { if let word = args.text(key) { words[key] = word } }
        return words
    }

    /// Missing values cannot be fed to a network: say where they are and what to do.
    func rejectMissingValues(_ data: Dataset) throws {
        let missing = data.missingCounts()
        guard !missing.isEmpty else { return }
        let list = missing.map { "\($0.name) (\($0.count))" }.joined(separator: ", ")
        throw Diagnostic("missing values reach train: \(list)",
                         hint: "fill them with `impute median` (or mean, mode, constant=VALUE), or drop those rows with `dropna`")
    }

    /// The network's inputs and targets for some rows: scaled features, one-hot
    /// classes (or a 0/1 column for one sigmoid unit), or target values.
    func makeTrainingData(_ data: Dataset, rows: [Int], outputUnits: Int) -> TrainingData {
        let width = data.featureCount
        let inputs: Tensor
        if rows.count == data.rowCount, rows.elementsEqual(0..<data.rowCount) {
            // All rows in order (no split): share the scaled features instead of copying them.
            inputs = Tensor(shape: [rows.count] + inputShape(of: data), data: scaledFeatures)
        } else {
            var x = [Float](repeating: 0, count: rows.count * width)
            scaledFeatures.withUnsafeBufferPointer { source in
                x.withUnsafeMutableBufferPointer { target in
                    for (i, row) in rows.enumerated() {
                        (target.baseAddress! + i * width).update(from: source.baseAddress! + row * width, count: width)
                    }
                }
            }
            inputs = Tensor(shape: [rows.count] + inputShape(of: data), data: x)
        }
        switch data.target {
        case .classes(let labels, _):
            let picked = rows.map { labels[$0] }
            var y = [Float](repeating: 0, count: rows.count * outputUnits)
            for (i, label) in picked.enumerated() {
                if outputUnits == 1 { y[i] = Float(label) } else { y[i * outputUnits + label] = 1 }
            }
            return TrainingData(x: inputs, y: Tensor(shape: [rows.count, outputUnits], data: y), labels: picked)
        case .values(let values):
            return TrainingData(x: inputs, y: Tensor(shape: [rows.count, 1], data: rows.map { values[$0] }), labels: nil)
        }
    }
}
