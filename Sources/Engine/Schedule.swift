/// How the learning rate changes from epoch to epoch (it is constant within an epoch).
///
/// Epochs are 1-based and counted from the start of training, so a schedule continues
/// across repeated `train` calls when callers pass `TrainingOptions.firstEpoch`.
public enum Schedule: Equatable, Sendable {
    /// The base rate every epoch.
    case constant
    /// `base * factor^floor((epoch - 1) / every)`: multiplied by `factor` every `every` epochs (`every >= 1`).
    case step(every: Int, factor: Float)
    /// `base * rate^(epoch - 1)`.
    case exponential(rate: Float)
    /// Cosine decay from `base` at epoch 1 to `minimum` at epoch `epochs + 1`, then held there (`epochs >= 1`):
    /// `minimum + (base - minimum) * (1 + cos(pi * min(epoch - 1, epochs) / epochs)) / 2`.
    case cosine(epochs: Int, minimum: Float)
    /// Keras's `ReduceLROnPlateau`: the rate drops when the monitored figure stops improving, so it
    /// depends on the epochs' figures, not on the epoch number (see `Plateau`). The trainer keeps
    /// its state; `learningRate(base:epoch:)` gives `base`, the rate before any reduction.
    case plateau(Plateau)

    /// The learning rate for a 1-based epoch counted from the start of training (callers pass the offset for continued training).
    /// Epochs below 1 are treated as epoch 1. `.constant` returns `base` unchanged, bit for bit.
    public func learningRate(base: Float, epoch: Int) -> Float {
        let elapsed = max(epoch - 1, 0)
        // Powers and the cosine in Double, rounded once to Float, so late epochs do not drift.
        switch self {
        case .constant, .plateau:
            return base
        case .step(let every, let factor):
            precondition(every >= 1, "a step schedule needs every >= 1 but got \(every)")
            return Float(Double(base) * powDouble(Double(factor), Double(elapsed / every)))
        case .exponential(let rate):
            return Float(Double(base) * powDouble(Double(rate), Double(elapsed)))
        case .cosine(let epochs, let minimum):
            precondition(epochs >= 1, "a cosine schedule needs epochs >= 1 but got \(epochs)")
            let progress = Double(min(elapsed, epochs)) / Double(epochs)
            let low = Double(minimum)
            return Float(low + (Double(base) - low) * (1 + cosDouble(Double.pi * progress)) / 2)
        }
    }
}
