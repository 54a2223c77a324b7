import Engine
import Plot
import Tabular

/// What `why` found, for `explain`: the session's own numbers.
struct WhyRecord {
    var subject: String
    var towards: String
    var output: Double
    var baselineOutput: Double
    var total: Double
    var steps: Int
    var strongest: (name: String, contribution: Double)?
    /// Per raw column (per pixel for images), in the data's order, in the user's units.
    var contributions: [Double] = []
}

extension Session {
    /// The data, pipeline and trained model `importance` and `why` read, or an error saying what is missing.
    func insightInputs(for statement: String, at range: SourceRange) throws -> (Dataset, DataPipeline, TrainedModel) {
        let data = try requireDataset(for: statement)
        guard let model, model.isTrained else {
            throw Diagnostic("\(statement) explains a trained model, but the model is not trained yet", at: range,
                             hint: "run `train` first, e.g. `train lr=0.1 epochs=20`")
        }
        try rejectMissingValues(data)
        return (data, self.data!, model)
    }

    /// The mean of the training rows after the pipeline: the baseline integrated gradients
    /// start from and the picture occlusion puts in place of a patch.
    func meanTrainingRow(_ pipeline: DataPipeline, featureCount: Int) -> [Float] {
        let matrix = pipeline.scaledFeatures
        var sums = [Double](repeating: 0, count: featureCount)
        let rows = pipeline.trainRows
        for row in rows {
            for j in 0..<featureCount { sums[j] += Double(matrix[row * featureCount + j]) }
        }
        return sums.map { Float($0 / Double(max(1, rows.count))) }
    }

    /// The output unit that stands for the prediction, the direction to read it in (-1: one
    /// sigmoid unit read as the probability of class 0) and how to name its pull.
    private func explainedUnit(_ output: Tensor, fitted: FittedPipeline) -> (unit: Int, sign: Double, towards: String, away: String, quantity: String) {
        if let names = fitted.classNames {
            let best = predictedClasses(output)[0]
            let sign = output.count == 1 && best == 0 ? -1.0 : 1.0
            return (output.count == 1 ? 0 : best, sign, "towards \(names[best])", "away from \(names[best])", "p(\(names[best]))")
        }
        return (0, 1, "\(fitted.targetName) higher", "\(fitted.targetName) lower", "predicted \(fitted.targetName)")
    }

    /// `why N` (the test row N) or `why V1,V2,…` (raw values): integrated gradients from the
    /// mean training row, folded back to the raw columns, as signed bars in plain words.
    func why(_ value: Value, to destination: Placed<String?>, at range: SourceRange) throws {
        let (data, pipeline, model) = try insightInputs(for: "why", at: range)
        let fitted = pipeline.fitted!
        let count = data.featureCount
        let input: [Float], subject: String, rawRow: Int?
        if case .number(let number) = value.kind {
            let rows = pipeline.testRows
            let which = pipeline.split == nil ? "row \(Format.general(number)): without a split the \(rows.count) rows"
                                              : "test row \(Format.general(number)): the \(rows.count) test rows"
            guard number == number.rounded(), number >= 0, number < Double(rows.count) else {
                throw Diagnostic("there is no \(which) are numbered 0 to \(rows.count - 1)",
                                 at: value.range, hint: "give a row number from 0 to \(rows.count - 1), or one raw value per column: why V1,V2,…")
            }
            let row = rows[Int(number)]
            rawRow = row
            input = pipeline.scaledRow(row)
            subject = (pipeline.split == nil ? "row \(Int(number))" : "test row \(Int(number)) (row \(row) of the data)")
                + (data.target.classLabel(row).map { ", truly \($0)" } ?? "")
        } else {
            input = try rawFeatureRow(value, statement: "why")
            rawRow = nil
            subject = "the values given"
        }
        let baseline = meanTrainingRow(pipeline, featureCount: count)
        let output = model.network.predict(Tensor(shape: [1] + model.inputShape, data: input))
        guard output.data.allSatisfy(\.isFinite) else {
            throw Diagnostic("the model's output for these values is not a number: they overflow its layers", at: value.range,
                             hint: "give values in the range of the training data (`describe` shows it)")
        }
        let explained = explainedUnit(output, fitted: fitted)
        // In the user's units: a probability, or the target's units after `scale target`; the
        // tolerance of completeness is in those units too.
        let factor = explained.sign * (fitted.classNames == nil ? targetUnitScale(fitted) : 1)
        let ig = IntegratedGradients(network: model.network, input: input, baseline: baseline, unit: explained.unit,
                                     tolerance: Self.completenessTolerance / max(1e-12, abs(factor)))
        let offset = fitted.classNames == nil ? Double(fitted.targetValues(ofOutputs: [0])[0]) : (explained.sign < 0 ? 1 : 0)
        let predictedValue = offset + factor * ig.output, baselineValue = offset + factor * ig.baselineOutput
        let scaledAttributions = ig.attributions.map { $0 * factor }
        let total = scaledAttributions.reduce(0, +)
        let completeness = "contributions add up to \(signed(total)); prediction - baseline = \(Format.fixed(predictedValue, 4)) - \(Format.fixed(baselineValue, 4)) = \(signed(predictedValue - baselineValue)) (gap \(Format.significant(abs(total - (predictedValue - baselineValue)), 2)), \(ig.steps) steps)"
        print("why \(subject): \(explained.quantity) = \(Format.fixed(predictedValue, 4)); at the mean training row \(Format.fixed(baselineValue, 4))")
        var record = WhyRecord(subject: subject, towards: explained.towards, output: predictedValue, baselineOutput: baselineValue,
                               total: total, steps: ig.steps)
        if let shape = data.seriesShape, shape.count == 2, shape[0] * shape[1] == count {
            let source = rawRow.map { data.featureMatrix.row($0).map(Double.init) } ?? givenNumbers(value, count: count) ?? input.map(Double.init)
            try drawSeriesWhy(shape: shape, series: source, contributions: scaledAttributions, subject: subject, quantity: explained.quantity,
                              towards: explained.towards, away: explained.away, completeness: completeness, record: &record, to: destination)
        } else if let shape = data.imageShape {
            let (height, width, channels) = (shape[0], shape[1], shape[2])
            let map = (0..<(height * width)).map { p in (0..<channels).reduce(0.0) { $0 + scaledAttributions[p * channels + $1] } }
            let source = rawRow.map { data.featureMatrix.row($0) } ?? input
            let picture = (0..<(height * width)).map { p in (0..<channels).reduce(0.0) { $0 + Double(source[p * channels + $1]) } }
            let strongest = map.indices.max { abs(map[$0]) < abs(map[$1]) }
            if let strongest { record.strongest = ("pixel (row \(strongest / width), column \(strongest % width))", map[strongest]) }
            record.contributions = map
            try draw(.overlay(ImageOverlay(title: "contributions to \(explained.quantity), from the mean training image", image: picture, values: map,
                                           height: height, width: width,
                                           caption: "left: \(rawRow == nil ? "the values given" : "the row"); right: red pushed \(explained.towards), blue \(explained.away)")), to: destination)
            print(completeness)
        } else {
            let groups = pipeline.featureGroups
            let raw: [String]
            if let rawRow {
                raw = groups.map { group in group.rawValue { data.featureMatrix[rawRow, $0] } }
            } else {
                // The values as given, by column; a feature no raw column explains shows no value.
                let items: [Value]
                if case .list(let list) = value.kind { items = list } else { items = [value] }
                var given: [String: String] = [:]
                for (column, item) in zip(pipeline.predictColumns, items) { given[column.name] = Arguments.text(of: item) }
                raw = groups.map { given[$0.name] ?? "(derived)" }
            }
            var entries = groups.enumerated().map { k, group in
                (name: group.name, value: raw[k], contribution: group.indices.reduce(0.0) { $0 + scaledAttributions[$1] })
            }
            record.contributions = entries.map(\.contribution)
            entries.sort { abs($0.contribution) > abs($1.contribution) }
            record.strongest = entries.first.map { ($0.name, $0.contribution) }
            let labels = entries.map { "\($0.name) = \($0.value) pushed \($0.contribution < 0 ? explained.away : explained.towards)" }
            try draw(.bars(SignedBars(title: "contributions to \(explained.quantity), from the mean training row", labels: labels, values: entries.map(\.contribution),
                                      valueTexts: entries.map { "(" + signed($0.contribution) + ")" }, footnote: completeness)),
                     to: destination)
            // The file has the sum in its footnote; the terminal still gets it.
            if destination.value != nil { print(completeness) }
        }
        lastWhy = record
    }

    /// The raw numbers of `why V1,V2,…`, to draw a series in the user's units; nil if any is not a number.
    private func givenNumbers(_ value: Value, count: Int) -> [Double]? {
        guard case .list(let items) = value.kind, items.count == count else { return nil }
        var numbers: [Double] = []
        for item in items {
            guard case .number(let number) = item.kind else { return nil }
            numbers.append(number)
        }
        return numbers
    }

    /// How closely the contributions must add up to prediction - baseline (in the user's units):
    /// the steps double until they do (the issue asks for 1e-3; this leaves a margin).
    static let completenessTolerance = 2e-4

    /// How much the target moves per unit of the network's output (1 without `scale target`).
    private func targetUnitScale(_ fitted: FittedPipeline) -> Double {
        Double(fitted.targetValues(ofOutputs: [1])[0] - fitted.targetValues(ofOutputs: [0])[0])
    }

    func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + Format.fixed(value, 4) }
}

extension Target {
    /// The class name of a row, for a target of classes.
    func classLabel(_ row: Int) -> String? {
        if case .classes(let labels, let names) = self { return names[labels[row]] }
        return nil
    }
}
