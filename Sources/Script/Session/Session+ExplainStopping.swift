import Engine

/// `explain on` after a `train` with early stopping: where it stopped, whose weights the
/// model holds and why, in the run's own numbers.
extension Session {
    /// What early stopping did in the model's last `train`, read back from its history by the
    /// rule the engine applies (EarlyStoppingTracker), so it needs nothing recorded besides.
    struct EarlyStopReading {
        /// Epochs as the session numbers them (`history`).
        var stoppedAt: Int?
        var best: HistoryRow
        var last: HistoryRow
    }

    func readEarlyStop(of model: TrainedModel, plan: TrainingPlan) -> EarlyStopReading? {
        guard let patience = plan.patience, model.lastRunEpochs > 0 else { return nil }
        let run = Array(model.history.suffix(model.lastRunEpochs))
        let delta = abs(Float(plan.minDelta))
        var best: HistoryRow?, bestValue: Float = plan.monitor.maximises ? -.infinity : .infinity
        var wait = 0, stoppedAt: Int?
        for (index, row) in run.enumerated() {
            guard let value = row.value(of: plan.monitor) else { continue }
            wait += 1
            if plan.monitor.maximises ? value - delta > bestValue : value + delta < bestValue {
                (best, bestValue, wait) = (row, value, 0)
            } else if wait >= patience, index > 0 {
                // The engine stops after this epoch; before the last planned one it is an early stop.
                if index == run.count - 1, run.count < plan.epochs { stoppedAt = row.epoch }
                break
            }
        }
        guard let best, let last = run.last else { return nil }
        return EarlyStopReading(stoppedAt: stoppedAt, best: best, last: last)
    }

    /// Up to two lines: why training stopped where it did, and which epoch's weights it kept.
    func explainEarlyStop(of model: TrainedModel, plan: TrainingPlan, validationRows: Int) -> [String] {
        guard let patience = plan.patience, let reading = readEarlyStop(of: model, plan: plan) else { return [] }
        let monitor = plan.monitor.rawValue
        let watched: String
        switch plan.monitor {
        case .loss: watched = "the training loss"
        case .valLoss: watched = "the loss on the \(validationRows) validation rows, which were never trained on"
        case .valAccuracy: watched = "the accuracy on the \(validationRows) validation rows, which were never trained on"
        }
        func figure(_ row: HistoryRow) -> String { row.value(of: plan.monitor).map { Format.fixed($0, 4) } ?? "–" }
        let best = reading.best, last = reading.last
        let firstEpoch = model.epochsTrained - model.lastRunEpochs + 1
        let lastPlanned = firstEpoch - 1 + plan.epochs
        let minDelta = "min_delta=\(Format.general(plan.minDelta))"
        var lines: [String] = []
        if let stopped = reading.stoppedAt {
            lines.append("Early stopping ended training at epoch \(stopped) of \(lastPlanned): \(monitor) (\(watched)) was best at epoch \(best.epoch), \(figure(best)), "
                         + "and the \(stopped - best.epoch) epochs after it never improved on that by more than \(minDelta) (patience=\(patience)).")
        } else if model.lastRunEpochs < plan.epochs {
            lines.append("Ctrl-C stopped training at epoch \(last.epoch) of \(lastPlanned), before early stopping (patience=\(patience)) did; \(monitor) (\(watched)) was best at epoch \(best.epoch), \(figure(best)), and the weights so far were kept.")
            return lines
        } else {
            lines.append("Early stopping (patience=\(patience), \(minDelta)) watched \(monitor) (\(watched)) but never stopped training: it ran all \(plan.epochs) epochs, and the best was epoch \(best.epoch), \(figure(best)).")
        }
        if let restored = model.restoredEpoch {
            lines.append("The weights of epoch \(restored) were restored (restore=best), so the model is the one with the best \(monitor), \(figure(best)), not the last epoch's (\(figure(last)) at epoch \(last.epoch)).")
        } else if best.epoch != last.epoch {
            lines.append("restore=last kept the last weights, those of epoch \(last.epoch) (\(monitor) \(figure(last))), not those of epoch \(best.epoch), the best as early stopping counts (\(figure(best))).")
        }
        return lines
    }
}
