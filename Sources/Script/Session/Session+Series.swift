import DLCore
import Engine
import Plot
import Tabular

/// Series data: generated waves, sliding windows over one long series, the split by time,
/// the forecast from the last window, and the charts of series and forecasts.
extension Session {
    /// `load waves`: the rows are series already.
    func loadWaves(_ command: LoadWavesCommand) throws {
        var random = SeededRandom(seed: command.seed.map(UInt64.init) ?? seed)
        let waves: Dataset
        do {
            waves = try Waves.make(n: command.n, steps: command.steps, classes: command.classes, noise: command.noise, rng: &random)
        } catch let error as TabularError {
            throw Diagnostic(error, at: command.statement)
        }
        install(DataPipeline(generated: waves))
    }

    /// `window STEPS horizon=H target=COL`.
    func window(_ command: WindowCommand) throws {
        guard let table else {
            _ = try requireDataset(for: "window")
            throw Diagnostic("window slides over a loaded table of rows over time; this data has no table", at: command.statement,
                             hint: "load a CSV of the series, oldest row first")
        }
        let target = command.target.value ?? data!.targetName
        guard table.column(named: target) != nil else { throw Diagnostic(table.unknownColumn(target), at: command.target.range) }
        let windowing = Windowing(steps: command.steps.value, horizon: command.horizon.value, target: target)
        let splitBefore = data!.split
        do {
            try data!.setWindowing(windowing)
        } catch let error as TabularError {
            let range = error.message.contains("horizon reaches") ? command.horizon.range : command.steps.range
            throw Diagnostic(error, at: range)
        }
        let (channels, skipped) = table.windowChannels()
        let count = windowing.count(rows: table.rowCount)
        print("window: \(count) windows of \(windowing.steps) steps x \(channels.count) channel\(channels.count == 1 ? "" : "s") (\(channels.joined(separator: ", "))), "
              + "each forecasting '\(target)' \(windowing.horizon) step\(windowing.horizon == 1 ? "" : "s") after its last row")
        if !skipped.isEmpty {
            print("note: \(skipped.map { "'\($0)'" }.joined(separator: ", ")) hold\(skipped.count == 1 ? "s" : "") text or dates and \(skipped.count == 1 ? "is" : "are") left out of the windows")
        }
        try keepTestFileSplit(splitBefore, windowing: windowing, rows: table.rowCount)
    }

    func explainWindow() -> [String] {
        guard let windowing = data?.windowing, let table else {
            return ["Each window of rows becomes one example that forecasts the target a few steps later.", "`split` then cuts the windows by time, never by shuffling."]
        }
        let count = windowing.count(rows: table.rowCount)
        return [
            "Window 0 is rows 0 to \(windowing.steps - 1), and its target is '\(windowing.target)' at row \(windowing.targetRow(of: 0)); each next window moves one row on, \(count) in all.",
            "Each window is now one example: the model learns to read \(windowing.steps) steps of history and say the value \(windowing.horizon) step\(windowing.horizon == 1 ? "" : "s") later.",
            "Neighbouring windows share all but one row, so shuffling them into training and test sets would test on what was learned: `split` cuts by time instead.",
        ]
    }

    /// `split FRACTION` on windows: by time, the straddling windows left out.
    func splitByTime(_ command: SplitCommand) throws {
        guard let windowing = data?.windowing, let table else { return }
        if command.stratified {
            throw Diagnostic("`stratify` keeps classes' shares, but windows forecast numbers and are split by time", at: command.statement,
                             hint: "leave `stratify` out")
        }
        let rows = table.rowCount
        let cut = Int((command.fraction.value * Double(rows)).rounded())
        let parts = windowing.splitByTime(rows: rows, cut: cut)
        guard !parts.train.isEmpty, !parts.test.isEmpty else {
            let side = parts.train.isEmpty ? "no training window ends" : "no test window starts"
            throw Diagnostic("split \(Format.general(command.fraction.value)) cuts the \(rows) rows at row \(cut), but \(side) on its side (windows of \(windowing.steps) steps, horizon \(windowing.horizon))",
                             at: command.fraction.range, hint: "choose a fraction that leaves at least \(windowing.steps + windowing.horizon) rows on each side, or a shorter window")
        }
        try installTimeSplit(parts, cut: cut, rows: rows, windowing: windowing)
    }

    /// Splits the windows by time at row `cut` of `rows` (both sides hold windows) and says so.
    /// `testFile`: the `load … test=` file that starts at the cut, kept so that another `window` cuts there again.
    func installTimeSplit(_ parts: (train: [Int], test: [Int], dropped: Int), cut: Int, rows: Int, windowing: Windowing,
                          testFile: String? = nil) throws {
        let split = Split(train: parts.train, test: parts.test,
                          description: "by time at row \(cut): training windows end before it, test windows start at it; \(parts.dropped) straddling windows left out",
                          seed: nil, byTime: true, testFile: testFile)
        try data!.setSplit(split)
        print("split by time at row \(cut) of \(rows): \(parts.train.count) training windows (targets in rows \(windowing.targetRow(of: parts.train.first!))–\(windowing.targetRow(of: parts.train.last!))), "
              + "\(parts.test.count) test windows (rows \(parts.test.first!)–\(windowing.targetRow(of: parts.test.last!))); \(parts.dropped) windows that straddle the cut are left out")
        if data!.scaling != .none, data!.keptScaler == nil {
            print("scale: \(data!.scaling.rawValue) refitted on the \(split.train.count) training windows")
        }
        if data!.targetScaler != nil, data!.keptTargetScaler == nil {
            print("scale target: \(data!.targetScaling.rawValue) refitted on the \(split.train.count) training windows")
        }
    }

    func explainTimeSplit() -> [String] {
        guard let split = data?.split, split.byTime else { return [] }
        return [
            "The windows were split by time, never shuffled: \(split.train.count) training windows, then \(split.test.count) test windows that start after the last training window's target, so the test measures a forecast of a future the model has not seen.",
            "Windows that straddle the cut would share rows with both sides; they are left out, so no time step is in both sets.",
        ]
    }

    /// After `window`: what repeating each window's last value of the target scores on `rows`
    /// (the forecast to beat); nil for data that is not windowed.
    func naiveForecast(rows: [Int], truth: [Double]) -> RegressionReport? {
        guard let windowing = data?.windowing, let table,
              case .numeric(let cells)? = table.column(named: windowing.target)?.data else { return nil }
        let last = rows.map { cells[$0 + windowing.steps - 1] }
        return RegressionReport(truth: truth, predicted: last)
    }

    /// `predict` without values after `window`: the forecast from the last `steps` rows.
    func forecast() throws {
        if data?.windowing == nil, let window = data?.fitted?.window { throw forecastNeedsRows(window, columns: data!.fitted!.rawColumns.map(\.name)) }
        guard let windowing = data?.windowing, let table, let pipeline = data else {
            throw Diagnostic("predict needs values: one raw value per input column, or a quoted CSV file",
                             hint: "`predict` alone forecasts after `window`; for rows, e.g. `predict 5.1,3.5,1.4,0.2`")
        }
        guard let model, model.isTrained else {
            throw Diagnostic("predict needs a trained model", hint: "run `train` first, e.g. `train lr=0.01 epochs=50`")
        }
        let value = try forecastValue(windowing, table: table, pipeline: pipeline, model: model)
        let last = table.rowCount - 1
        print("forecast \(windowing.target) at row \(last + windowing.horizon) (\(windowing.horizon) step\(windowing.horizon == 1 ? "" : "s") after the last row, from rows \(table.rowCount - windowing.steps)–\(last)): \(Format.general(value))")
    }

    private func forecastValue(_ windowing: Windowing, table: Table, pipeline: DataPipeline, model: TrainedModel) throws -> Double {
        var row = table.lastWindow(windowing)
        guard row.allSatisfy(\.isFinite) else {
            throw Diagnostic("the last \(windowing.steps) rows hold a missing value: there is no full window to forecast from",
                             hint: "fill it (`impute`) or end the series at a complete row")
        }
        if let scaler = pipeline.scaler { row = scaler.transform(row: row) }
        let output = model.network.predict(Tensor(shape: [1] + model.inputShape, data: row))
        return Double(pipeline.targetValues(ofOutputs: output.data)[0])
    }

    /// `plot forecast`: the actual series, the test-time predictions and the forecast.
    func forecastChart() throws -> Chart {
        guard let windowing = data?.windowing, let table, let pipeline = data else {
            throw Diagnostic("plot forecast draws a forecast of windows, but the data is not windowed",
                             hint: "turn a series into windows first: `window 24 target=COLUMN`")
        }
        guard let model, model.isTrained else {
            throw Diagnostic("plot forecast shows what the model predicts, but it has not been trained yet", hint: "run `train` first")
        }
        guard case .numeric(let cells)? = table.column(named: windowing.target)?.data else {
            throw Diagnostic("the forecast column '\(windowing.target)' is gone")
        }
        let rows = pipeline.testRows
        let test = pipeline.trainingData(rows: rows, outputUnits: 1, inputShape: model.inputShape)
        let outputs = try model.network.predict(test.x, rows: test.rowsOfX, cancel: cancellation)
        let predicted = pipeline.targetValues(ofOutputs: outputs.data).map(Double.init)
        let next = table.rowCount - 1 + windowing.horizon
        let forecast = try forecastValue(windowing, table: table, pipeline: pipeline, model: model)
        let which = pipeline.split == nil ? "predicted (every window)" : "predicted (test windows)"
        return .line(LineChart(title: "Forecast of \(windowing.target)", xLabel: "row (time step)", yLabel: windowing.target, series: [
            Series(name: "actual", x: (0..<table.rowCount).map(Double.init), y: cells.doubles),
            Series(name: which, x: rows.map { Double(windowing.targetRow(of: $0)) }, y: predicted),
            Series(name: "forecast (row \(next))", x: [Double(table.rowCount - 1), Double(next)],
                   y: [cells.doubles.last ?? .nan, forecast]),
        ]))
    }

    /// `plot series 3` or `plot series 0,1,2`: rows as series over their steps, coloured by class.
    func seriesChart(rows given: Placed<[Double]>) throws -> Chart {
        let data = try requireDataset(for: "plot series")
        guard let shape = data.seriesShape else {
            throw Diagnostic("the rows of '\(data.source)' are not series", at: given.range,
                             hint: "declare them with `input STEPSxCHANNELS` (e.g. `input \(data.featureCount)x1`) for a table where each row is one series")
        }
        var rows: [Int] = []
        for value in given.value {
            guard value == value.rounded(), value >= 0, value < Double(data.rowCount) else {
                throw Diagnostic("there is no row \(Format.general(value)): the data has rows 0 to \(data.rowCount - 1)", at: given.range)
            }
            rows.append(Int(value))
        }
        let (steps, channels) = (shape[0], shape[1])
        var classColours: [Int] = []
        var series: [Series] = []
        for row in rows {
            let values = data.featureMatrix.row(row)
            var label = "row \(row)"
            var colour = series.count
            if case .classes(let labels, let names) = data.target {
                label += ": \(names[labels[row]])"
                colour = labels[row]
            } else {
                label += ": \(data.targetName) \(Format.general(Double(data.target.rows([row]).values?.first ?? .nan)))"
            }
            classColours.append(colour)
            for c in 0..<channels {
                var line = Series(name: channels == 1 ? label : "\(label), channel \(c)", x: (0..<steps).map(Double.init),
                                  y: (0..<steps).map { Double(values[$0 * channels + c]) })
                line.colorIndex = channels == 1 ? colour : colour * channels + c
                series.append(line)
            }
        }
        let title = rows.count == 1 ? "Row \(rows[0]) of \(data.source)" : "Rows \(rows.map(String.init).joined(separator: ", ")) of \(data.source)"
        return .line(LineChart(title: title, xLabel: "step", yLabel: "value", series: series))
    }
}

private extension Target {
    var values: [Float]? { if case .values(let values) = self { return values } else { return nil } }
}
