import DLCore
import Engine
import Tabular

/// One combination of a sweep, trained from the session's initial weights.
struct SweepRow {
    var plan: TrainingPlan
    var label: String
    var history: [HistoryRow]
    var network: Network
    var trainer: Trainer
    var seconds: Double
    var stoppedAt: Int?
    var bestEpoch: Int?

    var last: HistoryRow? { history.last }
}

/// What the last `sweep` found, for its table, `use best` and `plot sweep`.
struct SweepResult {
    var keys: [String]
    var rows: [SweepRow]
    var monitor: Monitor
    var layers: [LayerEntry.Kind]

    /// The row's score by the monitor at its final weights (lower is better, accuracy negated).
    func score(_ row: SweepRow) -> Float {
        let final = row.bestEpoch.flatMap { best in row.history.first { $0.epoch == best } } ?? row.last
        guard let value = final?.value(of: monitor) else { return .infinity }
        return monitor == .valAccuracy ? -value : (value.isNaN ? .infinity : value)
    }

    var ranked: [Int] { rows.indices.sorted { (score(rows[$0]), $0) < (score(rows[$1]), $1) } }
    var best: Int? { ranked.first }
}

extension Session {
    /// The keys a sweep can vary, in the order its grid is walked.
    static let sweepKeys = ["lr", "epochs", "batch", "momentum", "patience", "validation", "min_delta"]

    func sweep(_ args: Arguments) throws {
        let data = try requireDataset(for: "sweep")
        try rejectMissingValues(data)
        _ = try ensureNetwork(for: data, statement: "sweep") // checks the layers fit the data
        let loss = try resolveLoss(for: data)
        let grid = Self.sweepKeys.compactMap { key in args.numbers(key).map { (key, $0) } }
        let varied = grid.filter { $0.1.count > 1 }.map(\.0)
        var combinations: [[String: Double]] = [[:]]
        for (key, values) in grid {
            combinations = combinations.flatMap { partial in values.map { partial.merging([key: $0]) { $1 } } }
        }
        var words = Self.words(args)
        if args.has("patience"), !args.has("validation"), words["monitor"] != "loss" {
            for i in combinations.indices { combinations[i]["validation"] = 0.2 }
            print("sweep: patience watches val_loss, so 20% of the training rows are held out for validation (validation=0.2)")
        }
        words["restore"] = words["restore"] ?? "best"
        let keys = varied.isEmpty ? grid.map(\.0) : varied
        print("sweep: \(combinations.count) combination\(combinations.count == 1 ? "" : "s") of \(keys.joined(separator: ", ")), each from the same initial weights (seed \(seed))")
        var result = SweepResult(keys: keys, rows: [], monitor: .valLoss, layers: layers.map(\.kind))
        for (index, values) in combinations.enumerated() {
            let plan = TrainingPlan(values, words: words, session: self)
            result.monitor = plan.validation == nil ? .loss : plan.monitor
            let label = plan.describe(keys)
            let row = try trainCombination(plan, label: label, number: index + 1, of: combinations.count, data: data, loss: loss,
                                           at: args.statement.range)
            result.rows.append(row)
            if interpreter.shouldInterrupt() {
                interpreter.clearInterrupt()
                print("interrupted: \(index + 1) of \(combinations.count) combinations ran")
                break
            }
        }
        lastSweep = result
        output.write(SweepReport(result: result).render(), to: .output)
    }

    /// Trains one combination on a fresh copy of the initial weights, with its own
    /// shuffle generator: exactly what `reset weights` then `train` would do.
    private func trainCombination(_ plan: TrainingPlan, label: String, number: Int, of total: Int, data: Dataset, loss: Loss,
                                  at range: SourceRange) throws -> SweepRow {
        var initRandom = SeededRandom(seed: seed &+ 0x5EED)
        let network = try Network(inputShape: inputShape(of: data), layers: layers.map { $0.makeLayer() }, rng: &initRandom)
        let trainer = Trainer(network: network, loss: loss, optimizer: Optimizer(plan.optimizer, weightDecay: Float(plan.weightDecay)))
        let (fit, validation) = try trainingSets(data, plan: plan, at: range)
        var options = TrainingOptions(learningRate: Float(plan.learningRate), epochs: plan.epochs, batchSize: plan.batch)
        options.schedule = schedule
        options.validation = validation
        options.earlyStopping = plan.earlyStopping
        var shuffle = SeededRandom(seed: seed)
        let progress = SweepProgress(output: output, label: "[\(number)/\(total)] \(label)", epochs: plan.epochs)
        let start = monotonicNanoseconds()
        let result: TrainingResult
        do {
            result = try trainer.train(fit, options: options, rng: &shuffle, onEvent: progress.handle)
        } catch TrainingFailure.nonFinite(let epoch, let batch, _) {
            progress.finish(nil)
            throw Diagnostic("[\(number)/\(total)] \(label): the loss became NaN at epoch \(epoch), batch \(batch); this learning rate is too high",
                             at: range, hint: "leave that value out of the grid")
        }
        let row = SweepRow(plan: plan, label: label, history: result.records.map { HistoryRow($0, offset: 0) }, network: network,
                           trainer: trainer, seconds: Double(monotonicNanoseconds() - start) / 1e9,
                           stoppedAt: result.stoppedAt, bestEpoch: result.restoredBest ? result.bestEpoch : nil)
        progress.finish(row)
        return row
    }

    func useBest(_ args: Arguments) throws {
        guard let sweep = lastSweep, let best = sweep.best else {
            throw Diagnostic("use best takes the best combination of a sweep, but no sweep has run", at: args.statement.range,
                             hint: "run e.g. `sweep lr=0.1,0.01 epochs=20,100` first")
        }
        guard sweep.layers == layers.map(\.kind) else {
            throw Diagnostic("the layers changed since the sweep, so its weights no longer fit", at: args.statement.range,
                             hint: "run the sweep again")
        }
        let row = sweep.rows[best]
        network = row.network
        builtLayers = sweep.layers
        trainer = row.trainer
        trainerLoss = row.trainer.loss
        history = row.history
        epochsTrained = row.history.count
        var line = "using the best combination, \(row.label): \(row.history.count) epochs"
        if let bestEpoch = row.bestEpoch { line += ", weights from epoch \(bestEpoch)" }
        print(line + "; `evaluate` measures it on the test rows")
    }
}
