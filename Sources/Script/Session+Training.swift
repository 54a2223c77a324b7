import DLCore
import Engine
import Tabular

extension Session {
    func train(_ args: Arguments) throws {
        let data = try requireDataset(for: "train")
        try rejectMissingValues(data)
        let built = try ensureNetwork(for: data, statement: "train")
        let loss = try resolveLoss(for: data)
        let options = TrainingOptions(learningRate: Float(args.number("lr") ?? 0.01),
                                      epochs: args.integer("epochs") ?? 10,
                                      batchSize: args.integer("batch") ?? 32)
        if trainer == nil || trainerLoss != loss {
            trainer = Trainer(network: built, loss: loss, optimizer: Optimizer(optimizerKind))
            trainerLoss = loss
        }
        let rows = trainRows
        let trainingData = makeTrainingData(data, rows: rows, outputUnits: layers.last!.dense!.units)
        let progress = ProgressPrinter(output: output, firstEpoch: epochsTrained + 1, totalEpochs: options.epochs)
        let start = monotonicNanoseconds()
        let result: TrainingResult
        do {
            result = try trainer!.train(trainingData, options: options, rng: &trainingRandom,
                                        shouldStop: interpreter.shouldInterrupt, onEvent: progress.handle)
        } catch TrainingFailure.nonFinite(let epoch, let batch, let value) {
            if output.isTerminal { output.write("\n", to: .output) }
            discardWeights()
            let what = value.isNaN ? "NaN" : "infinite"
            let lr = Format.general(Double(options.learningRate))
            throw Diagnostic("loss became \(what) at epoch \(epochsTrained + epoch), batch \(batch); the learning rate \(lr) is likely too high, or the target needs scaling",
                             at: args.statement.range,
                             hint: "try a smaller rate, e.g. `train lr=\(Format.general(Double(options.learningRate) / 10))`; the weights were reset")
        }
        let seconds = Double(monotonicNanoseconds() - start) / 1e9
        history += result.records
        epochsTrained += result.records.count
        if let epoch = result.interruptedAt {
            interpreter.clearInterrupt()
            if output.isTerminal { output.write("\n", to: .output) }
            print("interrupted at epoch \(epochsTrained - result.records.count + epoch) of \(epochsTrained - result.records.count + options.epochs); the weights so far are kept")
            return
        }
        guard let last = result.records.last else { return }
        var line = "trained \(result.records.count) epoch\(result.records.count == 1 ? "" : "s")"
        if epochsTrained > result.records.count { line += " (\(epochsTrained) in total)" }
        line += " on \(rows.count) rows in \(Format.seconds(seconds)): loss \(Format.fixed(last.loss, 4))"
        if let accuracy = last.accuracy { line += ", accuracy \(Format.fixed(accuracy, 4))" }
        print(line)
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
        var x = [Float](repeating: 0, count: rows.count * width)
        scaledFeatures.withUnsafeBufferPointer { source in
            x.withUnsafeMutableBufferPointer { target in
                for (i, row) in rows.enumerated() {
                    for j in 0..<width { target[i * width + j] = source[row * width + j] }
                }
            }
        }
        let inputs = Tensor(shape: [rows.count] + inputShape(of: data), data: x)
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
