import Tabular

/// The windowing of a model trained on `window` data, as `save model` keeps it: a forecast
/// needs the last `steps` rows of the same channels, not one row. Written into the model
/// file's pipeline as `{"steps": 12, "horizon": 1, "target": "passengers", "channels": [...]}`.
struct FittedWindow: Codable, Equatable, Sendable {
    var steps: Int
    var horizon: Int
    var target: String
    /// The columns that become the channels, in order (channel fastest at each step), named
    /// as the table has them after the recorded steps.
    var channels: [String]

    var windowing: Windowing { Windowing(steps: steps, horizon: horizon, target: target) }

    /// "12 steps x 1 channel (passengers)"
    var shapePhrase: String {
        "\(steps) step\(steps == 1 ? "" : "s") x \(channels.count) channel\(channels.count == 1 ? "" : "s") (\(Session.listed(channels)))"
    }

    var horizonPhrase: String { "\(horizon) step\(horizon == 1 ? "" : "s")" }

    /// nil when a field is out of range or does not fit the pipeline's features.
    func checked(featureCount: Int) -> FittedWindow? {
        guard steps >= 1, steps <= 10_000_000, horizon >= 1, !channels.isEmpty, Set(channels).count == channels.count,
              steps * channels.count == featureCount else { return nil }
        return self
    }
}

/// The windows of a file of recent rows, as the network takes them.
struct RecentWindows {
    /// One window a row, scaled: steps x channels values, channel fastest.
    var features: [Float]
    /// The row of the file each window ends at (where its forecast is made).
    var endRows: [Int]
    /// Rows whose window holds a missing value (after the fills): they get no forecast.
    var incomplete: [Int]
}

extension FittedPipeline {
    /// The raw columns of a windowed model that a file of recent rows must give: the channels
    /// as loaded and the text columns a step reads (an encoded category); others pass through.
    static func windowColumns(loaded: [RawColumn], steps: [PipelineStep], channels: [String]) -> [RawColumn] {
        var read = Set<String>()
        for step in steps {
            switch step {
            case .fill(let name, _), .clip(let name, _, _): read.insert(name)
            case .encode(let encoding): read.insert(encoding.column)
            case .encodeDate(let encoding): read.insert(encoding.column)
            default: break
            }
        }
        return loaded.filter { channels.contains($0.name) || ($0.isText && read.contains($0.name)) }
    }

    /// Every full window of `raw` (rows over time, oldest first, holding `rawColumns`) through the
    /// recorded steps and the scaling, exactly as the training windows went. Throws, naming the
    /// numbers, when the file has fewer rows than one window.
    func recentWindows(ofRaw raw: Table, window: FittedWindow) throws -> RecentWindows {
        guard raw.rowCount >= window.steps else {
            throw Diagnostic("'\(raw.source)' has \(raw.rowCount) row\(raw.rowCount == 1 ? "" : "s") but the model forecasts from windows of \(window.steps) rows",
                             hint: "give at least the last \(window.steps) rows of the series (\(Session.listed(rawColumns.map(\.name))))")
        }
        var rows = raw
        for step in steps {
            do { try step.replay(on: &rows) } catch let error as TabularError { throw Diagnostic(error) }
        }
        let cells: [[Double]] = try window.channels.map { name in
            guard case .numeric(let cells)? = rows.column(named: name)?.data else {
                throw Diagnostic("'\(raw.source)' gives no numbers for channel '\(name)'", hint: "give the columns the model was trained on")
            }
            return cells.doubles
        }
        let width = window.steps * window.channels.count
        var features: [Float] = [], ends: [Int] = [], incomplete: [Int] = []
        features.reserveCapacity((raw.rowCount - window.steps + 1) * width)
        for end in (window.steps - 1)..<raw.rowCount {
            let first = end - window.steps + 1
            if cells.contains(where: { $0[first...end].contains(where: { !$0.isFinite }) }) {
                incomplete.append(end)
                continue
            }
            for row in first...end { for channel in cells { features.append(Float(channel[row])) } }
            ends.append(end)
        }
        scaler?.transform(&features)
        return RecentWindows(features: features, endRows: ends, incomplete: incomplete)
    }
}
