import Plot
import Tabular

/// `why N` on series data: the contributions per step and channel, drawn over the series.
extension Session {
    /// Draws the series with each step coloured by its contribution, then prints the
    /// completeness line and the runs of steps that pushed most.
    func drawSeriesWhy(shape: [Int], series: [Double], contributions: [Double], subject: String, quantity: String,
                       towards: String, away: String, completeness: String, record: inout WhyRecord,
                       to destination: Placed<String?>) throws {
        let (steps, channels) = (shape[0], shape[1])
        let names = channels == 1 ? [subject] : (0..<channels).map { "channel \($0)" }
        let overlay = SeriesOverlay(title: "contributions to \(quantity), from the mean training series", steps: steps, channels: channels,
                                    values: series, contributions: contributions, names: names,
                                    caption: "\(subject); red pushed \(towards), blue \(away)" + (channels > 1 ? "; each step's shade sums its channels" : ""))
        let runs = Self.strongestRuns(overlay.stepSums)
        record.contributions = contributions
        record.strongest = runs.first.map { ($0.from == $0.to ? "step \($0.from)" : "the run of steps \($0.from)–\($0.to)", $0.total) }
        try draw(.seriesOverlay(overlay), to: destination)
        print(completeness)
        guard !runs.isEmpty else { return }
        print("steps that pushed most:")
        for run in runs {
            print("  \(Self.stepsText(run.from, run.to)) pushed \(run.total < 0 ? away : towards) (\(signed(run.total)))")
        }
    }

    static func stepsText(_ from: Int, _ to: Int) -> String { from == to ? "step \(from)" : "steps \(from)–\(to)" }

    /// The runs of consecutive steps whose sums share a sign, largest total first, at most
    /// `limit` of them and none under a tenth of the largest: where the series pushed most.
    static func strongestRuns(_ sums: [Double], limit: Int = 3) -> [(from: Int, to: Int, total: Double)] {
        var runs: [(from: Int, to: Int, total: Double)] = []
        for (t, value) in sums.enumerated() where value.isFinite && value != 0 {
            if let last = runs.last, last.to == t - 1, (last.total < 0) == (value < 0) {
                runs[runs.count - 1].to = t
                runs[runs.count - 1].total += value
            } else {
                runs.append((t, t, value))
            }
        }
        runs.sort { abs($0.total) > abs($1.total) }
        let largest = abs(runs.first?.total ?? 0)
        return Array(runs.prefix(limit).filter { abs($0.total) >= largest / 10 })
    }
}
