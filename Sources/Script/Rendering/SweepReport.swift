import Engine

/// Shows which combination of a sweep is running: on a terminal one line redrawn
/// with its epoch (a medium that takes progress gets it as a value, at most 5 times a second);
/// otherwise one line per combination when it ends.
final class SweepProgress {
    private let output: OutputSink
    private let label: String
    private let epochs: Int
    private var lastDraw: UInt64 = 0
    private let start = monotonicNanoseconds()

    init(output: OutputSink, label: String, epochs: Int) {
        self.output = output
        self.label = label
        self.epochs = epochs
    }

    func handle(_ event: TrainingEvent) {
        let asValue = !output.isTerminal && output.takesProgress
        guard output.isTerminal || asValue, case .epochFinished(let record) = event else { return }
        let now = monotonicNanoseconds()
        guard now - (asValue ? max(lastDraw, start) : lastDraw) > (asValue ? 200_000_000 : 50_000_000) else { return }
        lastDraw = now
        var text = "\(label)  epoch \(record.epoch)/\(epochs)  loss \(Format.fixed(record.loss, 4))"
        if let validationLoss = record.validationLoss { text += "  val_loss \(Format.fixed(validationLoss, 4))" }
        if asValue {
            output.show(progress: text)
        } else {
            output.write("\r\u{1B}[2K" + text, to: .output)
        }
    }

    /// Clears the line redrawn while the job ran.
    func finish() {
        if output.isTerminal { output.write("\r\u{1B}[2K", to: .output) }
        if !output.isTerminal && output.takesProgress { output.show(progress: nil) }
    }

    /// The line a finished run leaves, with the figures of the weights it ended with (the
    /// restored epoch's after early stopping, as the sweep's table gives them).
    static func line(for row: SweepRow, label: String) -> String {
        if let divergence = row.divergence {
            return "\(label): diverged (\(divergence.description)\(divergence.fold == nil ? ", batch \(divergence.batch)" : "")) in \(Format.seconds(row.seconds))\n"
        }
        if let folds = row.folds {
            let scores = folds.scores, losses = folds.losses
            let scoreName = folds.first?.accuracy != nil ? "accuracy" : "R²"
            return "\(label): \(folds.count) folds in \(Format.seconds(row.seconds)), held-out loss \(losses.text), \(scoreName) \(scores.text)\n"
        }
        guard let final = row.final else { return "\(label): no epoch finished\n" }
        var text = "\(label): \(row.history.count) epoch\(row.history.count == 1 ? "" : "s")"
        if let stopped = row.stoppedAt { text += " (stopped early at \(stopped))" }
        text += " in \(Format.seconds(row.seconds))"
        text += row.bestEpoch.map { "; best epoch \($0) (restored): " } ?? ", "
        var figures = "loss \(Format.fixed(final.loss, 4))"
        if let validationLoss = final.validationLoss { figures += ", val_loss \(Format.fixed(validationLoss, 4))" }
        return text + figures + "\n"
    }
}

/// The table a sweep ends with, best first, and a sentence or two drawn from its numbers.
struct SweepReport {
    let result: SweepResult

    func render() -> String {
        guard let table else { return "no combination finished\n" }
        return heading + table.render() + closing
    }

    /// The line over the table.
    var heading: String {
        guard let folds = result.crossValidation else { return "\nsweep results, best first by \(result.monitor.rawValue):\n" }
        let what = result.monitor == .valAccuracy ? result.scoreName : "loss"
        return "\nsweep results, best first by the mean held-out \(what) over \(folds) folds:\n"
    }

    /// The lines under the table: the best combination, those that diverged and what the numbers show.
    var closing: String {
        var text = ""
        if let best = result.best {
            let use = result.crossValidation == nil ? "`use best` keeps its weights" : "`use best` trains it on the training rows"
            text += "* best: \(result.rows[best].label); \(use), `plot sweep` draws every curve\n"
        }
        let diverged = result.rows.filter(\.diverged)
        if !diverged.isEmpty {
            let list = diverged.map { "\($0.label) (\($0.divergence!.description))" }.joined(separator: ", ")
            text += diverged.count == result.rows.count
                ? "every combination diverged: \(list); try smaller learning rates\n"
                : "diverged: \(list); the loss stopped being a number, so `use best` and `plot sweep` leave \(diverged.count == 1 ? "it" : "them") out\n"
        }
        for sentence in lessons() { text += sentence + "\n" }
        return text
    }

    /// The combinations, best first (those that diverged last); nil when none ran.
    var table: TextTable? {
        guard !result.rows.isEmpty else { return nil }
        if result.crossValidation != nil { return crossValidatedTable }
        let best = result.best
        let hasValidation = result.rows.contains { $0.last?.validationLoss != nil }
        let hasAccuracy = result.rows.contains { $0.last?.validationAccuracy != nil }
        var headers = ["", "configuration", "epochs run", "train loss"]
        if hasValidation { headers.append("val_loss") }
        if hasAccuracy { headers.append("val_accuracy") }
        headers.append("seconds")
        // The time column is left-aligned and last, so its width never moves the others.
        var table = TextTable(headers: headers, rightAligned: Set(2..<(headers.count - 1)))
        for index in result.ranked {
            let row = result.rows[index]
            var cells = [index == best ? "*" : "", row.label]
            if let divergence = row.divergence {
                cells += ["diverged (\(divergence.description))"] + Array(repeating: "-", count: headers.count - 4)
            } else {
                // The figures of the weights the row ends with: the restored best epoch, or the last.
                let final = row.final
                cells += [row.bestEpoch.map { "\(row.history.count) (best \($0))" } ?? String(row.history.count),
                          final.map { Format.fixed($0.loss, 4) } ?? "-"]
                if hasValidation { cells.append(final?.validationLoss.map { Format.fixed($0, 4) } ?? "-") }
                if hasAccuracy { cells.append(final?.validationAccuracy.map { Format.fixed($0, 4) } ?? "-") }
            }
            cells.append(Format.seconds(row.seconds))
            table.rows.append(cells)
        }
        return table
    }

    /// A cross-validated sweep's table: each combination's mean ± std over its folds' held-out rows.
    private var crossValidatedTable: TextTable {
        let best = result.best
        let headers = ["", "configuration", "epochs run", "held-out loss", "held-out \(result.scoreName)", "seconds"]
        var table = TextTable(headers: headers, rightAligned: [2, 3, 4])
        for index in result.ranked {
            let row = result.rows[index]
            var cells = [index == best ? "*" : "", row.label]
            if let divergence = row.divergence {
                cells += ["diverged (\(divergence.description))", "-", "-"]
            } else if let folds = row.folds {
                let epochs = folds.map(\.epochs)
                let low = epochs.min() ?? 0, high = epochs.max() ?? 0
                cells += [low == high ? String(low) : "\(low)–\(high)", folds.losses.text, folds.scores.text]
            }
            cells.append(Format.seconds(row.seconds))
            table.rows.append(cells)
        }
        return table
    }

    /// At most two plain sentences, each stating what the numbers show.
    func lessons() -> [String] {
        guard let best = result.best, let bestLoss = result.rows[best].final?.loss else { return [] }
        var sentences: [String] = []
        // The clearest case of a run cut short: still falling, and furthest above the best.
        let unconverged = result.rows.filter { row in
            guard !row.diverged, let last = row.last, row.stoppedAt == nil, row.history.count >= 5 else { return false }
            let earlier = row.history[row.history.count - max(2, row.history.count / 5)]
            return last.loss < earlier.loss * 0.999 && last.loss > 2 * bestLoss
        }.max { $0.last!.loss < $1.last!.loss }
        if let row = unconverged, let last = row.last {
            sentences.append("\(row.label) had not converged: its training loss was still falling at epoch \(last.epoch) (\(Format.fixed(last.loss, 4)), against \(Format.fixed(bestLoss, 4)) for the best).")
        }
        for row in result.rows {
            guard !row.diverged, row.stoppedAt == nil, row.bestEpoch == nil, let last = row.last, last.validationLoss != nil else { continue }
            let lowest = row.history.min { ($0.validationLoss ?? .infinity) < ($1.validationLoss ?? .infinity) }!
            if let low = lowest.validationLoss, let end = last.validationLoss, lowest.epoch * 5 <= last.epoch * 4, end > low * 1.2 {
                sentences.append("\(row.label) overfit: validation loss was lowest at epoch \(lowest.epoch) (\(Format.fixed(low, 4))) and rose to \(Format.fixed(end, 4)) by epoch \(last.epoch); early stopping (patience=) stops it near the low point.")
                break
            }
        }
        if sentences.isEmpty, let stopped = result.rows.first(where: { $0.stoppedAt != nil }), let at = stopped.stoppedAt {
            let kept = stopped.bestEpoch.map { " and kept the weights of epoch \($0)" } ?? ""
            sentences.append("\(stopped.label) stopped early at epoch \(at) of \(stopped.plan.epochs)\(kept): more epochs were not improving \(result.monitor.rawValue).")
        }
        return Array(sentences.prefix(2))
    }
}
