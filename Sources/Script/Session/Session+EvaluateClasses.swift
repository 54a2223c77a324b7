import Engine
import Plot
import Tabular

/// `evaluate` on classes, `plot roc` and `plot confusion`.
extension Session {
    /// What `evaluate` prints for classes after its heading: the loss and accuracy, balanced
    /// accuracy, the majority-class baseline, ROC AUC and PR AUC for two classes, the confusion
    /// matrix (its largest confusions beyond 20 classes) and classification_report's table.
    /// Returns the same figures and tables, and the confusion matrix as a heatmap, for the report.
    @discardableResult
    func reportClasses(_ evaluation: Evaluation, truth: [Int], trainingLabels: [Int], names: [String],
                       rows: String) -> EvaluationRecord.Results {
        let report = ClassificationReport(truth: truth, predicted: predictedClasses(evaluation.predictions), classNames: names)
        var results = EvaluationRecord.Results(headline: "accuracy \(Format.fixed(report.accuracy, 4))")
        print("loss \(Format.fixed(evaluation.loss, 4))  accuracy \(Format.fixed(report.accuracy, 4)) (\(report.correct)/\(truth.count) correct)")
        results.figures.append(("accuracy", "\(Format.fixed(report.accuracy, 4)) (\(report.correct) of \(truth.count) rows correct)"))
        let present = names.indices.filter { k in truth.contains(k) }.count
        print("balanced accuracy \(Format.fixed(report.balancedAccuracy, 4)) (the mean recall over the \(present) class\(present == 1 ? "" : "es") in these rows)")
        results.figures.append(("balanced accuracy", "\(Format.fixed(report.balancedAccuracy, 4)) (the mean recall over the \(present) class\(present == 1 ? "" : "es") in these rows)"))
        if let majority = Self.mostCommon(trainingLabels, classes: names.count) {
            let share = truth.isEmpty ? 0 : Double(truth.filter { $0 == majority }.count) / Double(truth.count)
            print("baseline: always guessing '\(names[majority])', the most common class of the training rows, gives accuracy \(Format.fixed(share, 4))")
            results.figures.append(("baseline", "accuracy \(Format.fixed(share, 4)), always guessing '\(names[majority])' (the most common class of the training rows)"))
        }
        if names.count == 2 {
            let curves = BinaryCurves(positive: truth.map { $0 == 1 }, scores: Self.positiveScores(evaluation.predictions))
            if let auc = curves.rocAUC, let precision = curves.averagePrecision {
                print("ROC AUC \(Format.fixed(auc, 4))  PR AUC \(Format.fixed(precision, 4)) (average precision; '\(names[1])' is the positive class)")
                results.figures.append(("ROC AUC", Format.fixed(auc, 4)))
                results.figures.append(("PR AUC", "\(Format.fixed(precision, 4)) (average precision; '\(names[1])' is the positive class)"))
            } else {
                print("ROC AUC and PR AUC: undefined, as these rows hold one class only")
            }
        }
        results.figures.append(("loss", "\(Format.fixed(evaluation.loss, 4))"))
        print()
        let confusion = report.confusionTable()
        output.write(confusion.heading, to: .output)
        show(confusion.table, title: confusion.title)
        print()
        let perClass = report.perClassTable()
        show(perClass.table, title: "precision, recall and F1 per class")
        if let note = perClass.note { print("(\(note))") }
        results.tables = [(String(confusion.heading.prefix { $0 != "\n" }), confusion.table, nil),
                          ("precision, recall and F1 per class", perClass.table, perClass.note)]
        results.chart = Self.confusionHeatmap(report, rows: rows)
        return results
    }

    /// The class with the most rows (the first of those tied, as scikit-learn's
    /// DummyClassifier(strategy="most_frequent") picks it); nil without rows.
    static func mostCommon(_ labels: [Int], classes: Int) -> Int? {
        guard !labels.isEmpty else { return nil }
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[label] += 1 }
        return counts.indices.max { (counts[$0], $1) < (counts[$1], $0) }
    }

    /// The probability of the second class per row: one sigmoid unit's output, or a softmax's second column.
    static func positiveScores(_ predictions: Tensor) -> [Double] {
        let width = predictions.columns
        return (0..<predictions.rows).map { row in
            let p = Double(predictions.data[row * width + (width == 1 ? 0 : 1)])
            return p.isNaN ? 0 : p
        }
    }

    /// The true classes and the model's outputs on the rows `evaluate` measures, for the plots of
    /// classes; errors that say what is missing.
    private func classPredictions(for statement: String) throws -> (truth: [Int], predictions: Tensor, names: [String], rows: String) {
        let data = try requireDataset(for: statement)
        guard case .classes(let labels, let names) = data.target else {
            throw Diagnostic("\(statement) draws how classes are predicted, but '\(data.targetName)' holds numbers (regression)",
                             hint: "`evaluate` gives a regression's MSE, MAE and R²")
        }
        guard let model, model.isTrained else {
            throw Diagnostic("\(statement) shows what the model predicts, but it has not been trained yet",
                             hint: "run `train` first, e.g. `train lr=0.1 epochs=20`")
        }
        try rejectMissingValues(data)
        let loss = try spec.resolveLoss(for: data)
        let pipeline = self.data!
        let rows = pipeline.testRows
        let test = pipeline.trainingData(rows: rows, outputUnits: spec.output!.units, inputShape: model.inputShape)
        let evaluation = try model.network.evaluate(test, loss: loss, cancel: cancellation)
        let which = pipeline.split == nil ? "all \(rows.count) rows" : "\(rows.count) test rows"
        return (rows.map { labels[$0] }, evaluation.predictions, names, which)
    }

    /// `plot roc`: the ROC curve of a two-class model on the test rows, with the diagonal of guessing.
    func rocChart() throws -> Chart {
        if let data = dataset, case .classes(_, let names) = data.target, names.count != 2 {
            let shown = names.count <= 6 ? " (\(names.joined(separator: ", ")))" : ""
            throw Diagnostic("plot roc draws the curve of two classes, but '\(data.targetName)' has \(names.count)\(shown)",
                             hint: "`plot confusion` shows which of several classes are confused; `evaluate` gives balanced accuracy and F1 per class")
        }
        let (truth, predictions, names, rows) = try classPredictions(for: "plot roc")
        let curves = BinaryCurves(positive: truth.map { $0 == 1 }, scores: Self.positiveScores(predictions))
        guard let auc = curves.rocAUC else {
            throw Diagnostic("plot roc needs rows of both classes, but the \(rows) hold only '\(names[curves.positives > 0 ? 1 : 0])'",
                             hint: "split again with `split 0.8 stratify`, so the test rows keep both classes")
        }
        let curve = Series(name: "model (AUC \(Format.fixed(auc, 4)))", x: curves.roc.map(\.fpr), y: curves.roc.map(\.tpr))
        let chance = Series(name: "guessing (AUC 0.5)", x: [0, 1], y: [0, 1])
        return .line(LineChart(title: "ROC curve, AUC \(Format.fixed(auc, 4)) ('\(names[1])' positive, \(rows))",
                               xLabel: "false positive rate", yLabel: "true positive rate", series: [curve, chance]))
    }

    /// `plot confusion`: the confusion matrix on the test rows as a heatmap: each cell's count,
    /// coloured by its share of the true class's rows (so rare classes show as clearly as common ones).
    func confusionChart() throws -> Chart {
        let (truth, predictions, names, rows) = try classPredictions(for: "plot confusion")
        let report = ClassificationReport(truth: truth, predicted: predictedClasses(predictions), classNames: names)
        return Self.confusionHeatmap(report, rows: rows)
    }

    /// The confusion matrix as `plot confusion` draws it, for the rows named by `rows`.
    static func confusionHeatmap(_ report: ClassificationReport, rows: String) -> Chart {
        let names = report.classNames
        let counts = report.matrix.map { $0.map { Double($0) as Double? } }
        let shares = report.matrix.map { row -> [Double?] in
            let support = row.reduce(0, +)
            return row.map { support == 0 ? 0 : Double($0) / Double(support) }
        }
        return .heatmap(Heatmap(title: "Confusion matrix, \(rows): rows true, columns predicted",
                                rowLabels: names, columnLabels: names, values: counts, range: 0...1,
                                scale: .sequential, decimals: 0, colorValues: shares,
                                colorMeaning: "share of the true class's rows"))
    }
}
