import Engine
import Plot
import Tabular

extension Session {
    /// Draws a chart in the terminal, or writes it to the statement's `to PATH`.
    func draw(_ chart: Chart, to destination: Placed<String?>) throws {
        try draw(chart, to: destination.value, at: destination.range)
    }

    func histogram(of given: Placed<String>, bins: Int?) throws -> Chart {
        let column = given.value
        let table = try requireTable(for: "plot hist")
        guard let found = table.column(named: column) else {
            throw Diagnostic(table.unknownColumn(column), at: given.range)
        }
        guard case .numeric(let values) = found.data else {
            throw Diagnostic("plot hist needs a numeric column, but '\(column)' holds text", at: given.range,
                             hint: "`columns` lists the types")
        }
        return .histogram(Histogram(title: "Histogram of \(column)", xLabel: column, values: values.doubles, bins: bins))
    }

    func boxPlots(of columns: Placed<[String]?>, k: Double) throws -> Chart {
        let table = try requireTable(for: "plot box")
        let names = try numericColumns(columns.value, in: table, at: columns.range)
        let reports = try names.map { name -> OutlierReport in
            do { return try table.outliers(in: name, method: .iqr, k: k, rows: fitRows) }
            catch let error as TabularError { throw Diagnostic(error, at: nil) }
        }
        return boxPlot(reports)
    }

    func correlationChart(_ method: CorrelationMethod, at statement: SourceRange) throws -> Chart {
        let table = try requireTable(for: "plot corr")
        return heatmap(try correlationMatrix(table, method: method, at: statement), method: method)
    }

    func trainingCurve(accuracy: Bool, log: Bool = false) throws -> Chart {
        guard !history.isEmpty else {
            throw Diagnostic("plot \(accuracy ? "accuracy" : "loss") draws the last training, but nothing has been trained yet",
                             hint: "run `train` first")
        }
        var lossName = model?.loss?.rawValue ?? "loss"
        if data?.targetScaler != nil { lossName += " (scaled target)" }
        let chart = try Self.trainingCurve(accuracy: accuracy, of: history, lossName: lossName, log: log)
        if log { noteLeftOffLogAxis(history.flatMap { [Double($0.loss)] + ($0.validationLoss.map { [Double($0)] } ?? []) }) }
        return chart
    }

    /// The loss (or accuracy) per epoch of these rows: `plot loss` and `train … live` draw it.
    static func trainingCurve(accuracy: Bool, of history: [HistoryRow], lossName: String, log: Bool = false) throws -> Chart {
        let epochs = history.map { Double($0.epoch) }
        func series(_ name: String, _ values: [Float?]) -> Series? {
            let points = zip(epochs, values).compactMap { x, y in y.map { (x, Double($0)) } }
            return points.isEmpty ? nil : Series(name: name, x: points.map(\.0), y: points.map(\.1))
        }
        if accuracy {
            guard history.allSatisfy({ $0.accuracy != nil }) else {
                throw Diagnostic("accuracy is measured for classification only; this model does regression",
                                 hint: "use `plot loss`")
            }
            return .line(LineChart(title: "Accuracy", xLabel: "epoch", yLabel: "accuracy",
                                   series: [series("training", history.map(\.accuracy)),
                                            series("validation", history.map(\.validationAccuracy))].compactMap { $0 }))
        }
        return .line(LineChart(title: log ? "Loss (log scale)" : "Loss", xLabel: "epoch", yLabel: lossName,
                               series: [series("training", history.map { $0.loss }),
                                        series("validation", history.map(\.validationLoss))].compactMap { $0 }, logY: log))
    }

    func scatter(_ xName: String, _ yName: String, at range: SourceRange) throws -> Chart {
        let data = try requireDataset(for: "plot")
        func column(_ name: String) throws -> [Double] {
            // A regression target is a column of numbers like a feature, and the one most worth plotting.
            if name == data.targetName, case .values(let values) = data.target { return values.map { Double($0) } }
            if name == data.targetName, case .classes = data.target {
                throw Diagnostic("'\(name)' is the target and holds classes: they are the colours of the points, not an axis",
                                 at: range, hint: "plot two features, e.g. `plot \(data.featureNames[0]) vs \(data.featureNames[min(1, data.featureCount - 1)])`")
            }
            guard let index = data.featureNames.firstIndex(of: name) else {
                var names = data.featureNames
                if case .values = data.target { names.append(data.targetName) }
                let suggestion = Suggest.closest(to: name, in: names)
                let target = names.count > data.featureCount ? "; and the target \(data.targetName)" : ""
                throw Diagnostic("no feature named '\(name)'" + didYouMean(suggestion),
                                 at: range, hint: "features: \(data.featureNames.joined(separator: ", "))\(target)")
            }
            return data.featureMatrix.column(index).map { Double($0) }
        }
        let (x, y) = (try column(xName), try column(yName))
        switch data.target {
        case .classes(let labels, let names):
            return .scatter(ScatterChart(title: "\(yName) vs \(xName)", xLabel: xName, yLabel: yName,
                                         x: x, y: y, groups: labels, groupNames: names))
        case .values:
            return .scatter(ScatterChart(title: "\(yName) vs \(xName)", xLabel: xName, yLabel: yName,
                                         x: x, y: y, groups: Array(repeating: 0, count: x.count), groupNames: [data.targetName]))
        }
    }

    func decisionRegions() throws -> Chart {
        let data = try requireDataset(for: "plot boundary")
        guard data.featureCount == 2 else {
            throw Diagnostic("plot boundary draws the plane of two features, but the data has \(data.featureCount)",
                             hint: "keep two features (e.g. `load moons`, or `keep COL1,COL2` then train again), or use `plot COL vs COL` to look at two of them")
        }
        guard case .classes = data.target else {
            throw Diagnostic("plot boundary draws class regions, but '\(data.targetName)' is a regression target",
                             hint: "use `plot \(data.featureNames[0]) vs \(data.featureNames[1])`")
        }
        guard let network = model?.network, epochsTrained > 0 else {
            throw Diagnostic("plot boundary shows what the model learned, but it has not been trained yet", hint: "run `train` first")
        }
        return try decisionRegions(of: network)
    }

    /// The classes `network` predicts over the plane of the two features, with the training
    /// rows on top: `plot boundary`, and `train … live` while the weights change.
    func decisionRegions(of network: Network, title: String = "Decision regions") throws -> Chart {
        let data = try requireDataset(for: "plot boundary")
        guard case .classes(let labels, let names) = data.target, data.featureCount == 2 else {
            throw Diagnostic("decision regions need two features and classes")
        }
        let rows = trainRows
        let xs = rows.map { Double(data.featureMatrix[$0, 0]) }, ys = rows.map { Double(data.featureMatrix[$0, 1]) }
        func padded(_ values: [Double]) -> ClosedRange<Double> {
            let lo = values.min() ?? 0, hi = values.max() ?? 1
            let pad = Swift.max((hi - lo) * 0.05, 1e-6)
            return (lo - pad)...(hi + pad)
        }
        let (xRange, yRange) = (padded(xs), padded(ys))
        let size = 80
        var grid = [Float](repeating: 0, count: size * size * 2)
        for row in 0..<size {
            for col in 0..<size {
                let i = row * size + col
                grid[2 * i] = Float(xRange.lowerBound + (Double(col) + 0.5) / Double(size) * (xRange.upperBound - xRange.lowerBound))
                grid[2 * i + 1] = Float(yRange.upperBound - (Double(row) + 0.5) / Double(size) * (yRange.upperBound - yRange.lowerBound))
            }
        }
        grid = self.data!.scaled(grid)
        let classes = predictedClasses(network.predict(Tensor(shape: [size * size, 2], data: grid)))
        let regions = (0..<size).map { row in Array(classes[(row * size)..<((row + 1) * size)]) }
        return .regions(DecisionRegions(title: title, xLabel: data.featureNames[0], yLabel: data.featureNames[1],
                                        xRange: xRange, yRange: yRange, grid: regions, classNames: names,
                                        x: xs, y: ys, groups: rows.map { labels[$0] }))
    }

    /// Every combination of the last sweep as one curve: validation loss per epoch
    /// (training loss when there were no validation rows).
    func sweepCurves(log: Bool = false) throws -> Chart {
        guard let sweep = lastSweep, !sweep.rows.isEmpty else {
            throw Diagnostic("plot sweep draws the last sweep, but no sweep has run", hint: "run e.g. `sweep lr=0.1,0.001 epochs=20,200` first")
        }
        // A diverged combination's curve ends in numbers that would flatten every other one.
        let rows = sweep.finishedRows
        guard !rows.isEmpty else {
            throw Diagnostic("plot sweep draws the combinations that finished, but every combination of the last sweep diverged",
                             hint: "sweep smaller learning rates, e.g. `sweep lr=0.01,0.001`")
        }
        let validation = rows.allSatisfy { $0.history.first?.validationLoss != nil }
        let series = rows.map { row in
            Series(name: row.label, x: row.history.map { Double($0.epoch) },
                   y: row.history.map { Double(validation ? ($0.validationLoss ?? .nan) : $0.loss) })
        }
        // Runs of 20 and 4000 epochs on one linear axis leave the short one a sliver at the
        // left: say so, and point at the log axes, which give each tenfold of epochs one width.
        let lengths = series.map { $0.x.count }.filter { $0 > 0 }
        if !log, let shortest = lengths.min(), let longest = lengths.max(), longest >= 10 * shortest {
            print("note: the runs last \(shortest) to \(longest) epochs; on this linear axis the short ones take \(Format.fixed(100 * Double(shortest) / Double(longest), 0))% of the width: `plot sweep log` gives each tenfold of epochs the same width")
        }
        if log { noteLeftOffLogAxis(series.flatMap(\.y)) }
        let title = (validation ? "Validation loss per combination" : "Training loss per combination") + (log ? " (log scales)" : "")
        return .line(LineChart(title: title, xLabel: "epoch", yLabel: validation ? "val_loss" : "loss", series: series,
                               logX: log, logY: log))
    }

    /// A log axis cannot place 0 (a perfect fit) or a negative value: say how many were left out.
    private func noteLeftOffLogAxis(_ values: [Double]) {
        let left = values.filter { $0.isFinite && $0 <= 0 }.count
        if left > 0 { print("note: \(left) value\(left == 1 ? "" : "s") at or below 0 cannot be placed on the log axis and \(left == 1 ? "is" : "are") left out") }
    }
}
