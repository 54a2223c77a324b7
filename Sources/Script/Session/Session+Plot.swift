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

    func trainingCurve(accuracy: Bool) throws -> Chart {
        guard !history.isEmpty else {
            throw Diagnostic("plot \(accuracy ? "accuracy" : "loss") draws the last training, but nothing has been trained yet",
                             hint: "run `train` first")
        }
        return try Self.trainingCurve(accuracy: accuracy, of: history, lossName: model?.loss?.rawValue ?? "loss")
    }

    /// The loss (or accuracy) per epoch of these rows: `plot loss` and `train … live` draw it.
    static func trainingCurve(accuracy: Bool, of history: [HistoryRow], lossName: String) throws -> Chart {
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
        return .line(LineChart(title: "Loss", xLabel: "epoch", yLabel: lossName,
                               series: [series("training", history.map { $0.loss }),
                                        series("validation", history.map(\.validationLoss))].compactMap { $0 }))
    }

    func scatter(_ xName: String, _ yName: String, at range: SourceRange) throws -> Chart {
        let data = try requireDataset(for: "plot")
        func column(_ name: String) throws -> [Double] {
            guard let index = data.featureNames.firstIndex(of: name) else {
                let suggestion = Suggest.closest(to: name, in: data.featureNames)
                throw Diagnostic("no feature named '\(name)'" + didYouMean(suggestion),
                                 at: range, hint: "features: \(data.featureNames.joined(separator: ", "))")
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
    func sweepCurves() throws -> Chart {
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
                   y: row.history.map { Double(validation ? $0.validationLoss! : $0.loss) })
        }
        return .line(LineChart(title: validation ? "Validation loss per combination" : "Training loss per combination",
                               xLabel: "epoch", yLabel: validation ? "val_loss" : "loss", series: series))
    }
}
