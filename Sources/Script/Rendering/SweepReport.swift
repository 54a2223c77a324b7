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

    func finish(_ row: SweepRow?) {
        if output.isTerminal { output.write("\r\u{1B}[2K", to: .output) }
        if !output.isTerminal && output.takesProgress { output.show(progress: nil) }
        guard let row, let last = row.last else { return }
        var text = "\(label): \(row.history.count) epoch\(row.history.count == 1 ? "" : "s")"
        if let stopped = row.stoppedAt { text += " (stopped early at \(stopped))" }
        text += " in \(Format.seconds(row.seconds)), loss \(Format.fixed(last.loss, 4))"
        if let validationLoss = last.validationLoss { text += ", val_loss \(Format.fixed(validationLoss, 4))" }
        output.write(text + "\n", to: .output)
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
    var heading: String { "\nsweep results, best first by \(result.monitor.rawValue):\n" }

    /// The lines under the table: the best combination and what the numbers show.
    var closing: String {
        guard let best = result.best else { return "" }
        var text = "* best: \(result.rows[best].label); `use best` keeps its weights, `plot sweep` draws every curve\n"
        for sentence in lessons() { text += sentence + "\n" }
        return text
    }

    /// The combinations, best first; nil when none finished.
    var table: TextTable? {
        guard let best = result.best else { return nil }
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
            // The figures of the weights the row ends with: the restored best epoch, or the last.
            let final = row.bestEpoch.flatMap { epoch in row.history.first { $0.epoch == epoch } } ?? row.last
            var cells = [index == best ? "*" : "", row.label,
                         row.bestEpoch.map { "\(row.history.count) (best \($0))" } ?? String(row.history.count),
                         final.map { Format.fixed($0.loss, 4) } ?? "-"]
            if hasValidation { cells.append(final?.validationLoss.map { Format.fixed($0, 4) } ?? "-") }
            if hasAccuracy { cells.append(final?.validationAccuracy.map { Format.fixed($0, 4) } ?? "-") }
            cells.append(Format.seconds(row.seconds))
            table.rows.append(cells)
        }
        return table
    }

    /// At most two plain sentences, each stating what the numbers show.
    func lessons() -> [String] {
        guard let best = result.best, let bestLoss = result.rows[best].last?.loss else { return [] }
        var sentences: [String] = []
        // The clearest case of a run cut short: still falling, and furthest above the best.
        let unconverged = result.rows.filter { row in
            guard let last = row.last, row.stoppedAt == nil, row.history.count >= 5 else { return false }
            let earlier = row.history[row.history.count - max(2, row.history.count / 5)]
            return last.loss < earlier.loss * 0.999 && last.loss > 2 * bestLoss
        }.max { $0.last!.loss < $1.last!.loss }
        if let row = unconverged, let last = row.last {
            sentences.append("\(row.label) had not converged: its training loss was still falling at epoch \(last.epoch) (\(Format.fixed(last.loss, 4)), against \(Format.fixed(bestLoss, 4)) for the best).")
        }
        for row in result.rows {
            guard row.stoppedAt == nil, row.bestEpoch == nil, let last = row.last, last.validationLoss != nil else { continue }
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
