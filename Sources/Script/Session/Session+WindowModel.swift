import DLCore
import Engine
import Tabular

/// `predict` with a model trained on `window` data, in the session that trained it or after
/// `load model`: a file of recent rows forecasts from its last window (and, with `to`, from
/// every window in it), and `predict V1,V2,…` takes one window's values, channel fastest.
extension Session {
    /// `predict "recent.csv" [to "out.csv"]`: `raw` holds the file's columns the model reads.
    func forecastFile(_ raw: Table, rows: Table, fitted: FittedPipeline, window: FittedWindow, model: TrainedModel,
                      at range: SourceRange, to destination: Placed<String?>) throws {
        let windows: RecentWindows
        do { windows = try fitted.recentWindows(ofRaw: raw, window: window) } catch let diagnostic as Diagnostic {
            throw diagnostic.placed(at: range)
        }
        let last = raw.rowCount - 1
        if destination.value == nil, windows.endRows.last != last {
            let first = last - window.steps + 1
            throw Diagnostic("the last \(window.steps) rows of '\(rows.source)' (lines \(rows.line(ofRow: first))–\(rows.line(ofRow: last))) hold a missing value that nothing fills: there is no full window to forecast from",
                             at: range, hint: "fill it in the file, or end the file at a complete row")
        }
        let forecasts = try windowForecasts(windows.features, count: windows.endRows.count, fitted: fitted, model: model)
        let name = "forecast_\(window.target)"
        guard let destination = destination.value else {
            print("forecast \(window.target) \(window.horizonPhrase) after the last row of '\(rows.source)' (from its last \(window.steps) rows, lines \(rows.line(ofRow: last - window.steps + 1))–\(rows.line(ofRow: last))): "
                  + Format.general(Double(forecasts.last!)))
            return
        }
        var cells = [Double](repeating: .nan, count: rows.rowCount)
        for (end, value) in zip(windows.endRows, forecasts) { cells[end] = Double(value) }
        var result = rows
        result.columns.append(Column(name: name, data: .numeric(NumericColumn(cells))))
        let bytes = try result.csvBytes(cancel: cancellation)
        try cancellation.check()
        try writeFile(destination, bytes, at: range)
        print("forecast from \(windows.endRows.count) window\(windows.endRows.count == 1 ? "" : "s") of \(rows.source) into \(destination): "
              + "\(name) on each row is the forecast made there, for \(window.horizonPhrase) later, from the \(window.steps) rows ending at it")
        if !windows.incomplete.isEmpty {
            print("note: \(windows.incomplete.count) row\(windows.incomplete.count == 1 ? "" : "s") end a window with a missing value and get no forecast (the first at line \(rows.line(ofRow: windows.incomplete[0])))")
        }
    }

    /// `predict V1,V2,…` for a windowed model: steps x channels values, channel fastest, oldest step first.
    func forecastValues(_ value: Value, fitted: FittedPipeline, window: FittedWindow, model: TrainedModel) throws {
        let items: [Value]
        if case .list(let list) = value.kind { items = list } else { items = [value] }
        let expected = window.steps * window.channels.count
        let order = window.channels.count == 1 ? "oldest first" : "oldest step first, \(Session.listed(window.channels)) at each step"
        guard items.count == expected else {
            throw Diagnostic("predict expects one window of \(window.shapePhrase): \(expected) values (\(order)) but got \(items.count)",
                             at: value.range, hint: "or give a CSV file of the recent rows: predict \"recent.csv\"")
        }
        var row: [Float] = []
        for (k, item) in items.enumerated() {
            let channel = window.channels[k % window.channels.count]
            guard case .number(let number) = item.kind, abs(number) <= Double(Float.greatestFiniteMagnitude) else {
                throw Diagnostic("value \(k + 1) ('\(channel)' at step \(k / window.channels.count + 1)) is '\(Arguments.text(of: item))', but a window holds numbers",
                                 at: item.range, hint: "give finite numbers; a window cannot hold a missing value")
            }
            row.append(Float(number))
        }
        if let scaler = fitted.scaler { row = scaler.transform(row: row) }
        let value = try windowForecasts(row, count: 1, fitted: fitted, model: model)[0]
        print("forecast \(window.target) \(window.horizonPhrase) after the last of the \(window.steps) steps given: \(Format.general(Double(value)))")
    }

    /// The network's forecasts of `count` scaled windows, in the target's units.
    private func windowForecasts(_ features: [Float], count: Int, fitted: FittedPipeline, model: TrainedModel) throws -> [Float] {
        guard count > 0 else { return [] }
        let output = try model.network.predict(Tensor(shape: [count] + model.inputShape, data: features), cancel: cancellation)
        return fitted.targetValues(ofOutputs: output.data)
    }

    /// `predict` alone after `load model` of a windowed model: there is no series to forecast from.
    /// `columns`: the raw columns a file of recent rows gives (a text column that `encode` made
    /// channels of is given as text).
    func forecastNeedsRows(_ window: FittedWindow, columns: [String]) -> Diagnostic {
        Diagnostic("predict alone forecasts from the session's series, but the loaded model brought none",
                   hint: "give the recent rows: `predict \"recent.csv\"` (a CSV with \(Session.listed(columns)), at least \(window.steps) rows), "
                         + "or one window's \(window.steps * window.channels.count) values: `predict V1,V2,…`")
    }

    /// What `load model` says a windowed model takes; `columns` as for `forecastNeedsRows`.
    func describeLoadedWindow(_ window: FittedWindow, columns: [String]) {
        let file = Set(columns) == Set(window.channels) ? "those columns" : "the columns \(Session.listed(columns)) as loaded"
        print("it forecasts '\(window.target)' \(window.horizonPhrase) ahead from windows of \(window.shapePhrase): "
              + "`predict \"recent.csv\"` reads the last \(window.steps) rows of a CSV with \(file), "
              + "`predict V1,V2,…` takes \(window.steps * window.channels.count) values (channel fastest)")
    }
}
