import Engine
import Tabular

extension Session {
    func evaluate() throws {
        let data = try requireDataset(for: "evaluate")
        guard let model, model.isTrained else {
            throw Diagnostic("evaluate needs a trained model", hint: "run `train` first, e.g. `train lr=0.1 epochs=20`")
        }
        try rejectMissingValues(data)
        let loss = try spec.resolveLoss(for: data)
        let pipeline = self.data!
        let rows = pipeline.testRows
        let which = pipeline.split == nil ? "all \(rows.count) rows (no split, so these are the training rows)"
                                          : "\(rows.count) test rows"
        let test = pipeline.trainingData(rows: rows, outputUnits: spec.output!.units, inputShape: model.inputShape)
        let evaluation = try model.network.evaluate(test, loss: loss, cancel: cancellation)
        print("evaluate on \(which)")
        let shortWhich = pipeline.split == nil ? "all \(rows.count) rows" : "\(rows.count) test rows"
        var results: EvaluationRecord.Results
        switch data.target {
        case .classes(let labels, let names):
            results = reportClasses(evaluation, truth: rows.map { labels[$0] }, trainingLabels: pipeline.trainRows.map { labels[$0] },
                                    names: names, rows: shortWhich)
        case .values(let values):
            results = evaluateRegression(evaluation, values: values, rows: rows, loss: loss, which: shortWhich)
        }
        reportMarks.evaluation = EvaluationRecord(model: model, rows: which, results: results)
    }

    /// Argmax per row, or p >= 0.5 for a single sigmoid unit.
    func predictedClasses(_ predictions: Tensor) -> [Int] {
        let width = predictions.columns
        return (0..<predictions.rows).map { row in
            if width == 1 { return predictions.data[row] >= 0.5 ? 1 : 0 }
            var best = 0
            for j in 1..<width where predictions.data[row * width + j] > predictions.data[row * width + best] { best = j }
            return best
        }
    }

    func predict(_ values: Value) throws {
        guard let fitted = data?.fitted else { _ = try requireDataset(for: "predict"); return }
        guard let model, model.isTrained else {
            throw Diagnostic("predict needs a trained model", hint: "run `train` first, e.g. `train lr=0.1 epochs=20`")
        }
        if let window = fitted.window { return try forecastValues(values, fitted: fitted, window: window, model: model) }
        let row = try rawFeatureRow(values)
        let output = model.network.predict(Tensor(shape: [1] + model.inputShape, data: row))
        // Values far outside the training range can overflow the layers' sums.
        guard output.data.allSatisfy(\.isFinite) else {
            throw Diagnostic("the model's output for these values is not a number: they overflow its layers",
                             at: values.range,
                             hint: "give values in the range of the training data (`describe` shows it)")
        }
        switch fitted.classNames {
        case let names?:
            let probabilities = output.count == 1 ? [1 - output.data[0], output.data[0]] : output.data
            let best = predictedClasses(output)[0]
            print("predicted: \(names[best])")
            let width = names.map(\.count).max() ?? 0
            for (name, p) in zip(names, probabilities) {
                let bar = String(repeating: self.output.isTerminal ? "█" : "#", count: Int((Double(p) * 30).rounded()))
                print("  " + Format.pad(name, width) + "  " + Format.fixed(p, 4) + (bar.isEmpty ? "" : "  " + bar))
            }
        case nil:
            print("predicted \(fitted.targetName): \(Format.general(Double(fitted.targetValues(ofOutputs: output.data)[0])))")
        }
    }
}
