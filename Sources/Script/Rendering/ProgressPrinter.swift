import Engine

/// Renders training events. The epochs that `EpochLines` picks get a line each (in a pipe,
/// a file or a transcript test too); the best and the last epoch follow at the end if they
/// were not among them. On a terminal one live line redraws in place between them: the
/// epoch, its progress, the elapsed time and an estimate of the time left. A medium that
/// takes progress as a value (`dl --json`) gets that line through `show(progress:)` instead,
/// at most 5 times a second, and nil when training ends.
final class ProgressPrinter {
    private let output: OutputSink
    private let lines: EpochLines
    /// The figure that makes an epoch "the best" one: early stopping's, else the validation
    /// loss, else the training loss.
    private let monitor: Monitor
    private let barWidth = 20
    private let start = monotonicNanoseconds()
    private var lastDraw: UInt64 = 0
    private var liveLineShown = false
    /// A line was given to `show(progress:)` and not yet ended with nil.
    private var progressShown = false
    private var last: EpochRecord?
    private var best: EpochRecord?
    private var lastLearningRate: Float?

    /// `previousRate`: the rate of the model's last epoch before this `train` (nil for fresh
    /// weights), so that a rate that changed between two trains (a plateau's drop carried on) is news too.
    init(output: OutputSink, lines: EpochLines, monitor: Monitor, previousRate: Float? = nil) {
        self.output = output
        self.lines = lines
        self.monitor = monitor
        lastLearningRate = previousRate.flatMap { $0 > 0 ? $0 : nil } // 0: a record made without a rate
    }

    func handle(_ event: TrainingEvent) {
        switch event {
        case .epochStarted:
            break
        case .batchFinished(let epoch, let batch, let batches, let loss):
            drawLive(epoch: epoch, batch: batch, batches: batches, loss: loss, accuracy: nil)
        case .epochFinished(let record):
            if best.map({ isBetter(record, than: $0) }) ?? true { best = record }
            last = record
            if lines.showsAsItFinishes(record.epoch) {
                show(record, note: nil)
            } else {
                drawLive(epoch: record.epoch, batch: 1, batches: 1, loss: record.loss, accuracy: record.accuracy)
            }
        }
    }

    /// Ends the display however training ended (finished, stopped early, interrupted):
    /// clears the live line and prints the best epoch and then the last where they were not
    /// shown (after an early stop the best can be an earlier one than the last line).
    func finish() {
        clearLive()
        if progressShown {
            output.show(progress: nil)
            progressShown = false
        }
        guard lines.verbosity == .thinned, let last else { return }
        if let best, !lines.showsAsItFinishes(best.epoch), best.epoch != last.epoch { show(best, note: "best") }
        if !lines.showsAsItFinishes(last.epoch) { show(last, note: nil) }
    }

    private func isBetter(_ record: EpochRecord, than other: EpochRecord) -> Bool {
        let value = monitor.value(of: record) ?? record.loss
        let current = monitor.value(of: other) ?? other.loss
        return monitor.maximises ? value > current : value < current
    }

    private func show(_ record: EpochRecord, note: String?) {
        clearLive()
        var text = line(epoch: record.epoch, fraction: 1, loss: record.loss, accuracy: record.accuracy)
        if let validationLoss = record.validationLoss { text += "  val_loss \(Format.fixed(validationLoss, 4))" }
        if let validationAccuracy = record.validationAccuracy { text += "  val_accuracy \(Format.fixed(validationAccuracy, 4))" }
        // The learning rate is news only when a schedule changed it since the last line.
        if let previous = lastLearningRate, previous != record.learningRate {
            text += "  lr \(Format.general(Double(record.learningRate)))"
        }
        lastLearningRate = record.learningRate
        text += "  \(Format.seconds(record.seconds))"
        if let note { text += "  (\(note))" }
        output.write(text + "\n", to: .output)
    }

    /// The line that redraws in place on a terminal, at most ~20 times a second (printing
    /// is slower than a small batch), or that a medium taking progress gets as a value, at
    /// most 5 times a second (each is a message to a program). Its bar is the epoch's batches
    /// when every epoch gets a line, and the whole run's epochs when they are thinned.
    private func drawLive(epoch: Int, batch: Int, batches: Int, loss: Float, accuracy: Float?) {
        let asValue = !output.isTerminal && output.takesProgress
        guard output.isTerminal || asValue, lines.verbosity != .silent else { return }
        let now = monotonicNanoseconds()
        // As a value, the first line waits 0.2 s too: a short `train` sends none.
        guard now - (asValue ? max(lastDraw, start) : lastDraw) > (asValue ? 200_000_000 : 50_000_000) else { return }
        lastDraw = now
        let withinEpoch = batches == 0 ? 1 : Double(batch) / Double(batches)
        let done = (Double(epoch - 1) + withinEpoch) / Double(lines.epochs)
        var text = line(epoch: epoch, fraction: lines.step == 1 ? withinEpoch : done, loss: loss, accuracy: accuracy,
                        unicode: true)
        let elapsed = Double(now - start) / 1e9
        text += "  elapsed \(Format.seconds(elapsed))"
        if done > 0, elapsed > 1 { text += ", about \(Format.seconds(elapsed / done * (1 - done))) left" }
        if asValue {
            output.show(progress: text)
            progressShown = true
        } else {
            output.write("\r\u{1B}[2K" + text, to: .output)
            liveLineShown = true
        }
    }

    private func clearLive() {
        guard liveLineShown else { return }
        output.write("\r\u{1B}[2K", to: .output)
        liveLineShown = false
    }

    /// An epoch's line; its bar in Unicode on a terminal and in a live line given as a value,
    /// in ASCII in the lines a pipe keeps.
    private func line(epoch: Int, fraction: Double, loss: Float, accuracy: Float?, unicode: Bool? = nil) -> String {
        let last = lines.firstEpoch - 1 + lines.epochs
        let number = String(lines.firstEpoch - 1 + epoch)
        let epochText = "Epoch " + String(repeating: " ", count: max(0, String(last).count - number.count)) + number + "/\(last)"
        let filled = min(barWidth, Int(fraction * Double(barWidth)))
        let (full, empty) = (unicode ?? output.isTerminal) ? ("━", "─") : ("=", ".")
        var text = "\(epochText)  " + String(repeating: full, count: filled) + String(repeating: empty, count: barWidth - filled)
        text += "  loss \(Format.fixed(loss, 4))"
        if let accuracy { text += "  accuracy \(Format.fixed(accuracy, 4))" }
        return text
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Nanoseconds from a monotonic clock, for throttling and timing.
func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
