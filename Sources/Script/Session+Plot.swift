import Engine
import Plot
import Tabular

/// What `plot` was asked to draw, read from its words: `plot loss`, `plot hist COL`,
/// `plot box [COL…]`, `plot corr`, `plot boundary`, `plot COL vs COL`, each with an
/// optional `to "file.svg"`.
struct PlotRequest {
    enum Kind: Equatable {
        case loss, accuracy, corr, boundary
        case hist(String)
        case box([String]?)
        case scatter(String, String)
        case filters(String?)
        case sweep
    }
    static let kinds = ["loss", "accuracy", "hist", "box", "corr", "boundary", "filters", "sweep"]

    var kind: Kind
    var path: String?

    /// Parses the words after `plot`; errors point at the word that does not fit.
    init(_ values: [Value], statement: Statement) throws {
        var words = values
        path = nil
        if let to = words.firstIndex(where: { $0.kind == .word("to") }) {
            guard to + 1 < words.count else {
                throw Diagnostic("'to' needs a file name after it", at: words[to].range, hint: "e.g. `plot loss to \"loss.svg\"`")
            }
            guard to + 2 == words.count else {
                throw Diagnostic("unexpected '\(words[to + 2].text)' after the file name", at: words[to + 2].range,
                                 hint: "`to \"file.svg\"` comes last")
            }
            path = Arguments.text(of: words[to + 1])
            words.removeSubrange(to...)
        }
        guard let first = words.first else {
            throw Diagnostic("plot needs to know what to draw", at: statement.range,
                             hint: "one of: plot loss, plot accuracy, plot hist COL, plot box [COL,…], plot corr, plot boundary, plot filters [LAYER], plot sweep, plot COL vs COL")
        }
        let name = Arguments.text(of: first)
        let rest = words.dropFirst().flatMap { value -> [Value] in
            if case .list(let items) = value.kind { return items }
            return [value]
        }
        if words.count == 3, words[1].kind == .word("vs") {
            kind = .scatter(name, Arguments.text(of: words[2]))
            return
        }
        func noMore() throws {
            if let extra = rest.first {
                throw Diagnostic("unexpected '\(extra.text)' after 'plot \(name)'", at: extra.range,
                                 hint: "usage: plot \(name) [to \"file.svg\"]")
            }
        }
        switch name {
        case "loss": try noMore(); kind = .loss
        case "accuracy": try noMore(); kind = .accuracy
        case "corr": try noMore(); kind = .corr
        case "boundary": try noMore(); kind = .boundary
        case "sweep": try noMore(); kind = .sweep
        case "box": kind = .box(rest.isEmpty ? nil : rest.map(Arguments.text(of:)))
        case "filters":
            if rest.count > 1 {
                throw Diagnostic("unexpected '\(rest[1].text)' after 'plot filters \(rest[0].text)'", at: rest[1].range,
                                 hint: "usage: plot filters [LAYER] [to \"file.svg\"]")
            }
            kind = .filters(rest.first.map { $0.text })
        case "hist":
            guard rest.count == 1 else {
                throw Diagnostic("plot hist needs one column", at: rest.dropFirst().first?.range ?? first.range,
                                 hint: "e.g. `plot hist petal_length_cm`")
            }
            kind = .hist(Arguments.text(of: rest[0]))
        default:
            let suggestion = Suggest.closest(to: name, in: Self.kinds)
            throw Diagnostic("unknown plot '\(name)'" + didYouMean(suggestion),
                             at: first.range,
                             hint: "one of: loss, accuracy, hist COL, box [COL,…], corr, boundary, filters [LAYER], sweep, or COL vs COL")
        }
    }
}

extension Session {
    func plot(_ args: Arguments) throws {
        let request = try PlotRequest(args.rest, statement: args.statement)
        let chart: Chart
        switch request.kind {
        case .loss, .accuracy:
            chart = try trainingCurve(accuracy: request.kind == .accuracy)
        case .hist(let column):
            let table = try requireTable(for: "plot hist")
            guard let found = table.column(named: column) else {
                throw Diagnostic(table.unknownColumn(column), at: args.statement.range)
            }
            guard case .numeric(let values) = found.data else {
                throw Diagnostic("plot hist needs a numeric column, but '\(column)' holds text", at: args.statement.range,
                                 hint: "`columns` lists the types")
            }
            chart = .histogram(Histogram(title: "Histogram of \(column)", xLabel: column, values: values,
                                         bins: args.integer("bins")))
        case .box(let columns):
            let table = try requireTable(for: "plot box")
            let names = try numericColumns(columns, in: table, at: args.statement.range)
            let reports = try names.map { name -> OutlierReport in
                do { return try table.outliers(in: name, method: .iqr, k: args.number("k")!, rows: fitRows) }
                catch let error as TabularError { throw Diagnostic(error, at: args.statement.range) }
            }
            chart = boxPlot(reports)
        case .corr:
            let table = try requireTable(for: "plot corr")
            let method = args.choice("method", as: CorrelationMethod.self)!
            chart = heatmap(try correlationMatrix(table, method: method, at: args.statement.range), method: method)
        case .scatter(let xName, let yName):
            chart = try scatter(xName, yName, at: args.statement.range)
        case .boundary:
            chart = try decisionRegions()
        case .filters(let layer):
            chart = try filterImages(layer: layer, at: args.statement.range)
        case .sweep:
            chart = try sweepCurves()
        }
        try draw(chart, to: request.path, at: args.statement.range)
    }

    private func trainingCurve(accuracy: Bool) throws -> Chart {
        guard !history.isEmpty else {
            throw Diagnostic("plot \(accuracy ? "accuracy" : "loss") draws the last training, but nothing has been trained yet",
                             hint: "run `train` first")
        }
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
        return .line(LineChart(title: "Loss", xLabel: "epoch", yLabel: model?.loss?.rawValue ?? "loss",
                               series: [series("training", history.map { $0.loss }),
                                        series("validation", history.map(\.validationLoss))].compactMap { $0 }))
    }

    private func scatter(_ xName: String, _ yName: String, at range: SourceRange) throws -> Chart {
        let data = try requireDataset(for: "plot")
        func column(_ name: String) throws -> [Double] {
            guard let index = data.featureNames.firstIndex(of: name) else {
                let suggestion = Suggest.closest(to: name, in: data.featureNames)
                throw Diagnostic("no feature named '\(name)'" + didYouMean(suggestion),
                                 at: range, hint: "features: \(data.featureNames.joined(separator: ", "))")
            }
            return (0..<data.rowCount).map { Double(data.features[$0 * data.featureCount + index]) }
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

    private func decisionRegions() throws -> Chart {
        let data = try requireDataset(for: "plot boundary")
        guard data.featureCount == 2 else {
            throw Diagnostic("plot boundary draws the plane of two features, but the data has \(data.featureCount)",
                             hint: "keep two features (e.g. `load moons`, or `keep COL1,COL2` then train again), or use `plot COL vs COL` to look at two of them")
        }
        guard case .classes(let labels, let names) = data.target else {
            throw Diagnostic("plot boundary draws class regions, but '\(data.targetName)' is a regression target",
                             hint: "use `plot \(data.featureNames[0]) vs \(data.featureNames[1])`")
        }
        guard let network = model?.network, epochsTrained > 0 else {
            throw Diagnostic("plot boundary shows what the model learned, but it has not been trained yet", hint: "run `train` first")
        }
        let rows = trainRows
        let xs = rows.map { Double(data.features[$0 * 2]) }, ys = rows.map { Double(data.features[$0 * 2 + 1]) }
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
        return .regions(DecisionRegions(title: "Decision regions", xLabel: data.featureNames[0], yLabel: data.featureNames[1],
                                        xRange: xRange, yRange: yRange, grid: regions, classNames: names,
                                        x: xs, y: ys, groups: rows.map { labels[$0] }))
    }
}
