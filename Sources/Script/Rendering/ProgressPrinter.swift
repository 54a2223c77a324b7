import Engine

/// Renders training events: on a terminal the current epoch's line redraws in place
/// batch by batch; otherwise (pipes, files, transcript tests) one line per epoch.
final class ProgressPrinter {
    private let output: OutputSink
    private let totalEpochs: Int
    private let firstEpoch: Int
    private var lastDraw: UInt64 = 0
    private let barWidth = 20

    /// `firstEpoch` numbers epochs across repeated `train` calls (epoch 201 after 200).
    init(output: OutputSink, firstEpoch: Int, totalEpochs: Int) {
        self.output = output
        self.firstEpoch = firstEpoch
        self.totalEpochs = totalEpochs
    }

    func handle(_ event: TrainingEvent) {
        switch event {
        case .epochStarted:
            break
        case .batchFinished(let epoch, let batch, let batches, let loss):
            guard output.isTerminal else { return }
            let now = monotonicNanoseconds()
            // Redraw at most ~20 times a second: printing is slower than a small batch.
            guard batch == batches || now - lastDraw > 50_000_000 else { return }
            lastDraw = now
            output.write("\r\u{1B}[2K" + line(epoch: epoch, done: batch, of: batches, loss: loss, accuracy: nil, seconds: nil),
                         to: .output)
        case .epochFinished(let record):
            let prefix = output.isTerminal ? "\r\u{1B}[2K" : ""
            var text = line(epoch: record.epoch, done: 1, of: 1, loss: record.loss, accuracy: record.accuracy, seconds: nil)
            if let validationLoss = record.validationLoss { text += "  val_loss \(Format.fixed(validationLoss, 4))" }
            if let validationAccuracy = record.validationAccuracy { text += "  val_accuracy \(Format.fixed(validationAccuracy, 4))" }
            // The learning rate is news only when a schedule changes it.
            if let previous = lastLearningRate, previous != record.learningRate {
                text += "  lr \(Format.general(Double(record.learningRate)))"
            }
            lastLearningRate = record.learningRate
            output.write(prefix + text + "  \(Format.seconds(record.seconds))\n", to: .output)
        }
    }

    private var lastLearningRate: Float?

    private func line(epoch: Int, done: Int, of batches: Int, loss: Float, accuracy: Float?, seconds: Double?) -> String {
        let last = firstEpoch - 1 + totalEpochs
        let number = String(firstEpoch - 1 + epoch)
        let epochText = "Epoch " + String(repeating: " ", count: max(0, String(last).count - number.count)) + number + "/\(last)"
        let filled = batches == 0 ? barWidth : done * barWidth / batches
        let (full, empty) = output.isTerminal ? ("━", "─") : ("=", ".")
        var text = "\(epochText)  " + String(repeating: full, count: filled) + String(repeating: empty, count: barWidth - filled)
        text += "  loss \(Format.fixed(loss, 4))"
        if let accuracy { text += "  accuracy \(Format.fixed(accuracy, 4))" }
        if let seconds { text += "  \(Format.seconds(seconds))" }
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
