/// Sliding windows over one long series: a table whose rows are time steps (oldest first),
/// one or more numeric columns. Window i holds rows i ..< i + steps of every numeric column
/// (the channels, in column order, channel fastest at each step) and predicts the target
/// column `horizon` rows after its last row. Text and date columns are left out.
public struct Windowing: Equatable, Sendable {
    public var steps: Int
    public var horizon: Int
    public var target: String

    public init(steps: Int, horizon: Int, target: String) {
        self.steps = steps
        self.horizon = horizon
        self.target = target
    }

    /// Windows over `rows` time steps (0 when the series is too short for one).
    public func count(rows: Int) -> Int { max(0, rows - steps - horizon + 1) }

    /// The row (time step) whose target window `window` predicts.
    public func targetRow(of window: Int) -> Int { window + steps - 1 + horizon }

    /// A split by time at row `cut`: training windows lie wholly (inputs and target) before
    /// it, test windows start at it or later; the windows that straddle are left out, so no
    /// time step is seen by both. Empty lists when a side gets no window.
    public func splitByTime(rows: Int, cut: Int) -> (train: [Int], test: [Int], dropped: Int) {
        let windows = count(rows: rows)
        let train = (0..<windows).filter { targetRow(of: $0) < cut }
        let test = (0..<windows).filter { $0 >= cut }
        return (train, test, windows - train.count - test.count)
    }
}

extension Table {
    /// The numeric columns that become channels, and the others, which windows leave out.
    public func windowChannels() -> (channels: [String], skipped: [String]) {
        var channels: [String] = [], skipped: [String] = []
        for column in columns {
            if case .numeric = column.data { channels.append(column.name) } else { skipped.append(column.name) }
        }
        return (channels, skipped)
    }

    /// The windows as a data set: features `COL_lagK` (K steps before the window's last row,
    /// channel fastest), target the target column `horizon` rows after the last, series shape
    /// [steps, channels]. Throws `TabularError` for a target that is not a numeric column, a
    /// series too short for one window (naming the rows needed and given), or an infinite
    /// value (naming its line).
    public func windowed(_ windowing: Windowing) throws -> Dataset {
        let (steps, horizon) = (windowing.steps, windowing.horizon)
        guard let targetColumn = column(named: windowing.target) else { throw unknownColumn(windowing.target) }
        guard case .numeric(let targetCells) = targetColumn.data else {
            throw TabularError("window forecasts a numeric column, but '\(windowing.target)' holds text",
                               hint: "name a column of numbers with `target=`")
        }
        guard steps <= rowCount else {
            throw TabularError("window \(steps) needs at least \(steps + horizon) rows (\(steps) steps and a target \(horizon) step\(horizon == 1 ? "" : "s") after them) but '\(source)' has \(rowCount)",
                               hint: rowCount > horizon ? "use a window of at most \(rowCount - horizon) steps" : "this series is too short to forecast from")
        }
        guard windowing.count(rows: rowCount) >= 1 else {
            throw TabularError("window \(steps) horizon=\(horizon) needs \(steps + horizon) rows (\(steps) steps and a target \(horizon) steps after the last) but '\(source)' has \(rowCount): the horizon reaches beyond the data",
                               hint: "use a horizon of at most \(rowCount - steps), or a shorter window")
        }
        let channels = windowChannels().channels
        let values: [[Double]] = channels.map { name in
            guard case .numeric(let cells)? = column(named: name)?.data else { return [] }
            return cells.doubles
        }
        for (c, cells) in values.enumerated() {
            if let row = cells.firstIndex(where: \.isInfinite) {
                throw TabularError("line \(line(ofRow: row)) of '\(source)' has an infinite value in '\(channels[c])'",
                                   hint: "a network cannot compute with infinity: fix that value in the file")
            }
        }
        let windows = windowing.count(rows: rowCount)
        let width = steps * channels.count
        var features = [Float](repeating: 0, count: windows * width)
        for w in 0..<windows {
            for s in 0..<steps {
                for c in channels.indices { features[w * width + s * channels.count + c] = Float(values[c][w + s]) }
            }
        }
        let names = (0..<steps).flatMap { s in channels.map { "\($0)_lag\(steps - 1 - s)" } }
        let targets = (0..<windows).map { Float(targetCells[windowing.targetRow(of: $0)]) }
        return Dataset(features: features, rowCount: windows, featureNames: names, targetName: windowing.target,
                       target: .values(targets), seriesShape: [steps, channels.count], source: source)
    }

    /// The last `steps` rows of the channels, as one window's features: what a forecast starts from.
    public func lastWindow(_ windowing: Windowing) -> [Float] {
        let channels = windowChannels().channels
        let cells: [[Double]] = channels.map { name in
            guard case .numeric(let cells)? = column(named: name)?.data else { return [] }
            return cells.doubles
        }
        var features: [Float] = []
        for row in (rowCount - windowing.steps)..<rowCount {
            for c in channels.indices { features.append(Float(cells[c][row])) }
        }
        return features
    }
}
