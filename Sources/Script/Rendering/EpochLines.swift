/// Which epochs of a `train` get a line of their own, so that a run of any length leaves
/// about 40 lines on the screen (`verbose=1`), every epoch (`verbose=2`, Keras's one line
/// per epoch) or none (`verbose=0`). `history` keeps every epoch whatever is shown.
struct EpochLines: Equatable {
    enum Verbosity: Int, CaseIterable, Sendable { case silent = 0, thinned = 1, every = 2 }

    /// The most lines a thinned run prints at its evenly spaced epochs.
    static let budget = 40

    let epochs: Int
    /// The session's number of this run's first epoch (201 after 200 trained), so that the
    /// spaced lines fall on round epoch numbers across repeated `train` calls.
    let firstEpoch: Int
    let verbosity: Verbosity
    /// Every `step`-th epoch gets a line: 1 up to 40 epochs, then the smallest of
    /// 1, 2, 5, 10, 20, 50, … that keeps to the budget, so the numbers read as round ones.
    let step: Int

    init(epochs: Int, firstEpoch: Int = 1, verbosity: Verbosity) {
        self.epochs = epochs
        self.firstEpoch = firstEpoch
        self.verbosity = verbosity
        step = verbosity == .thinned ? Self.roundStep(atLeast: (epochs + Self.budget - 1) / Self.budget) : 1
    }

    /// Whether epoch `epoch` (1-based within this `train`) is printed as it finishes. A
    /// thinned run prints its last epoch, and its best one where it was not shown, at the end
    /// (`ProgressPrinter.finish`), so the best comes before the last.
    func showsAsItFinishes(_ epoch: Int) -> Bool {
        switch verbosity {
        case .silent: return false
        case .every: return true
        case .thinned: return epoch < epochs && (epoch == 1 || (firstEpoch - 1 + epoch) % step == 0)
        }
    }

    static func roundStep(atLeast minimum: Int) -> Int {
        var scale = 1
        while true {
            for factor in [1, 2, 5] where factor * scale >= minimum { return factor * scale }
            scale *= 10
        }
    }
}
