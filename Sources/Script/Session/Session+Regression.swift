import Engine
import Plot
import Tabular

// Regression as the user sees it: `scale target`, evaluate's MAE, RMSE and R² with a
// baseline, and the pictures of predicted against actual values. Every value shown here is
// in the target's own units: the network's outputs go through the inverse of `scale target`.

extension Session {
    /// `scale target METHOD`: the regression target's scaling, fitted on the training rows.
    func scaleTarget(_ method: ScalingMethod, at statement: SourceRange) throws {
        guard let pipeline = data, pipeline.restored == nil || pipeline.table != nil else {
            _ = try requireDataset(for: "scale target")
            return
        }
        let name = pipeline.targetName
        if let classes = targetClasses(of: pipeline) {
            let shown = classes.count > 5 ? classes.prefix(5).joined(separator: ", ") + ", …" : classes.joined(separator: ", ")
            throw Diagnostic("scale target rescales a regression target, but '\(name)' holds \(classes.count) classes (\(shown))",
                             at: statement,
                             hint: "classes need no scaling: the output layer gives one probability per class; `scale standard` scales the features")
        }
        let trained = model != nil
        try data!.scaleTarget(method)
        if method == .none {
            print("scale target: none (the network learns \(name) as loaded)")
        } else if data!.targetScaler == nil {
            // Not ready to train yet (e.g. rows without a target value): fitted when it is.
            print("scale target: \(method.rawValue), fitted on the training rows once the data is ready to train")
        } else {
            let whose = data!.split == nil ? "all \(trainRows.count) rows (no split yet; `split` refits it on the training rows)"
                                           : "the \(trainRows.count) training rows"
            var line = "scale target: \(method.rawValue), fitted on \(whose)"
            if let scaler = data!.targetScaler {
                line += scaler.method == .standard
                    ? " (\(name): mean \(Format.general(Double(scaler.offsets[0]))), std \(Format.general(Double(1 / scaler.scales[0]))))"
                    : " (\(name): min \(Format.general(Double(scaler.offsets[0]))), max \(Format.general(Double(scaler.offsets[0] + 1 / scaler.scales[0]))))"
            }
            print(line)
        }
        if method != .none {
            print("the network learns the scaled \(name); evaluate, predict, the plots and the exports give it back in its own units")
        }
        if trained, model == nil {
            warn(Diagnostic("the model was trained before this `scale target`: its weights fit the old target values, "
                            + "so the next `train` starts from fresh weights (scale the target before you train)",
                            at: statement, id: "scaled-after-training"))
        }
    }

    /// The classes of the pipeline's target, or nil when it holds numbers (regression). Read
    /// from the table while text features still wait to be encoded.
    private func targetClasses(of pipeline: DataPipeline) -> [String]? {
        if let dataset = pipeline.dataset {
            if case .classes(_, let names) = dataset.target { return names }
            return nil
        }
        guard let column = pipeline.table?.column(named: pipeline.targetName) else { return pipeline.restored?.classNames }
        switch column.data {
        case .text(let cells): return Array(Set(cells.compactMap { $0 })).sorted()
        case .numeric(let values) where pipeline.task == .classification:
            return Array(Set(values.filter { !$0.isNaN })).sorted().map { Table.className(Double($0)) }
        default: return nil
        }
    }

    /// evaluate's lines for a regression: the loss (on the scaled target when it is scaled),
    /// then MSE, RMSE, MAE and R² in the target's units, and what always predicting the
    /// training rows' mean would score.
    /// Returns the same figures, and predicted against actual values as `plot predictions`
    /// draws them, for the report.
    func evaluateRegression(_ evaluation: Evaluation, values: [Float], rows: [Int], loss: Loss, which: String) -> EvaluationRecord.Results {
        let pipeline = data!
        let truth = rows.map { Double(values[$0]) }
        let predicted = pipeline.targetValues(ofOutputs: evaluation.predictions.data).map(Double.init)
        let report = RegressionReport(truth: truth, predicted: predicted)
        let scaled = pipeline.targetScaler != nil ? " on the scaled target" : ""
        print("loss (\(loss.rawValue)\(scaled)) \(Format.fixed(evaluation.loss, 4))")
        output.write(report.render(), to: .output)
        let name = pipeline.targetName
        var results = EvaluationRecord.Results(headline: "R² \(Format.fixed(report.r2, 4))")
        results.figures = [("R²", Format.fixed(report.r2, 4)), ("MSE", Format.fixed(report.mse, 4)),
                           ("RMSE", "\(Format.fixed(report.rmse, 4)) (in \(name)'s units)"), ("MAE", Format.fixed(report.mae, 4))]
        results.chart = Self.predictedVersusActual(actual: truth, predicted: predicted, name: name, rows: which)
        results.figures.append(("loss", "\(Format.fixed(evaluation.loss, 4)) (\(loss.rawValue)\(scaled))"))
        let fitRows = pipeline.trainRows
        guard !fitRows.isEmpty else { return results }
        let mean = fitRows.reduce(0.0) { $0 + Double(values[$1]) } / Double(fitRows.count)
        let baseline = RegressionReport(truth: truth, predicted: Array(repeating: mean, count: truth.count))
        print("baseline (always the training mean, \(Format.general(mean))): RMSE \(Format.fixed(baseline.rmse, 4))  MAE \(Format.fixed(baseline.mae, 4))  R² \(Format.fixed(baseline.r2, 4))")
        results.figures.append(("baseline", "RMSE \(Format.fixed(baseline.rmse, 4)), MAE \(Format.fixed(baseline.mae, 4)), R² \(Format.fixed(baseline.r2, 4)) "
                                + "for always predicting the training rows' mean, \(Format.general(mean))"))
        if let naive = naiveForecast(rows: rows, truth: truth) {
            print("naive forecast (the last value of each window): RMSE \(Format.fixed(naive.rmse, 4))  MAE \(Format.fixed(naive.mae, 4))  R² \(Format.fixed(naive.r2, 4))")
            results.figures.append(("naive forecast", "RMSE \(Format.fixed(naive.rmse, 4)), MAE \(Format.fixed(naive.mae, 4)), R² \(Format.fixed(naive.r2, 4)) for repeating each window's last value"))
        }
        return results
    }

    /// `plot predictions` (predicted against actual, with y = x) and `plot residuals`
    /// (actual − predicted against predicted, with y = 0), on the rows `evaluate` measures.
    func predictionChart(residuals: Bool) throws -> Chart {
        let statement = residuals ? "plot residuals" : "plot predictions"
        let data = try requireDataset(for: statement)
        guard case .values(let values) = data.target else {
            throw Diagnostic("\(statement) draws a regression's predictions, but '\(data.targetName)' holds classes",
                             hint: "`evaluate` shows how the classes were predicted (the confusion matrix)")
        }
        guard let model, model.isTrained else {
            throw Diagnostic("\(statement) shows what the model predicts, but it has not been trained yet", hint: "run `train` first")
        }
        try rejectMissingValues(data)
        let pipeline = self.data!
        let rows = pipeline.testRows
        let test = pipeline.trainingData(rows: rows, outputUnits: 1, inputShape: model.inputShape)
        let outputs = try model.network.predict(test.inputs, rows: test.rowsOfX, cancel: cancellation)
        let predicted = pipeline.targetValues(ofOutputs: outputs.data).map(Double.init)
        let actual = rows.map { Double(values[$0]) }
        let which = pipeline.split == nil ? "all \(rows.count) rows" : "\(rows.count) test rows"
        let name = data.targetName
        if residuals {
            return .scatter(ScatterChart(title: "Residuals of \(name), \(which)", xLabel: "predicted \(name)", yLabel: "actual - predicted",
                                         x: predicted, y: zip(actual, predicted).map { $0 - $1 },
                                         groups: [], groupNames: [], referenceLines: [.horizontal(0)]))
        }
        return Self.predictedVersusActual(actual: actual, predicted: predicted, name: name, rows: which)
    }

    /// Predicted against actual values with the line y = x, as `plot predictions` draws it.
    static func predictedVersusActual(actual: [Double], predicted: [Double], name: String, rows: String) -> Chart {
        .scatter(ScatterChart(title: "Predicted vs actual \(name), \(rows)", xLabel: "actual \(name)", yLabel: "predicted \(name)",
                              x: actual, y: predicted, groups: [], groupNames: [], referenceLines: [.identity]))
    }

    /// Said when fresh weights start to train on a scaled target: the loss figures that follow
    /// are not in the target's units, unlike everything else.
    var scaledTargetLossNote: String? {
        guard let pipeline = data, let scaler = pipeline.targetScaler else { return nil }
        return "note: the loss is measured on the scaled \(pipeline.targetName) (scale target \(scaler.method.rawValue)); "
            + "`evaluate` gives \(pipeline.targetName) in its own units"
    }

    /// The end of the divergence hint: the target's scale is worth a look on a regression
    /// whose target is not scaled; nothing for classes or a scaled target.
    func divergenceAdvice(for data: Dataset) -> (cause: String, fix: String) {
        guard case .values(let values) = data.target, self.data?.targetScaler == nil else { return ("", "") }
        let rows = trainRows.isEmpty ? Array(values.indices) : trainRows
        let spread = rows.reduce(0.0) { max($0, abs(Double(values[$1]))) }
        return (", or the target '\(data.targetName)' (values up to \(Format.general(spread))) needs scaling",
                "; or `scale target standard`, so the network learns '\(data.targetName)' on a small scale")
    }
}
