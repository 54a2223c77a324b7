import Engine
import Plot
import Tabular

extension Session {
    /// `show mistakes [N]`: the test images the model got wrong, the ones it was surest of first,
    /// each captioned "true → predicted (probability)".
    func showMistakes(_ limit: Int, at range: SourceRange) throws {
        let (data, shape) = try requireImages(for: "show mistakes", at: range)
        guard case .classes(let labels, let names) = data.target else {
            throw Diagnostic("show mistakes shows the images whose class the model got wrong, but '\(data.targetName)' holds numbers (regression)",
                             at: range, hint: "`plot residuals` shows where a regression errs")
        }
        guard let model, model.isTrained else {
            throw Diagnostic("show mistakes needs a trained model: it shows the test images the model gets wrong", at: range,
                             hint: "run `train` first, e.g. `train lr=0.01 epochs=5`")
        }
        let pipeline = self.data!
        let rows = pipeline.testRows
        let test = pipeline.trainingData(rows: rows, outputUnits: spec.output!.units, inputShape: model.inputShape)
        let probabilities = try model.network.predict(test.x, rows: test.rowsOfX, cancel: cancellation)
        let width = probabilities.columns
        var wrong: [(row: Int, predicted: Int, probability: Float)] = []
        for (i, row) in rows.enumerated() {
            let p = Array(probabilities.data[(i * width)..<((i + 1) * width)])
            // One sigmoid unit gives p(second class).
            let classes = width == 1 ? [1 - p[0], p[0]] : p
            var best = 0
            for k in classes.indices where classes[k] > classes[best] { best = k }
            if best != labels[row] { wrong.append((row, best, classes[best])) }
        }
        let which = pipeline.split == nil ? "rows (no split: these are the training rows)" : "test rows"
        guard !wrong.isEmpty else {
            print("no mistakes: the model classifies all \(rows.count) \(which) correctly")
            return
        }
        // The surest mistakes first (fastai's top losses): the ones most worth a look.
        wrong.sort { $0.probability != $1.probability ? $0.probability > $1.probability : $0.row < $1.row }
        let shown = Array(wrong.prefix(limit))
        print("the model gets \(wrong.count) of \(rows.count) \(which) wrong; "
              + (shown.count < wrong.count ? "the \(shown.count) it is surest of:" : "all of them, surest first:"))
        let featureCount = data.featureCount
        let images = shown.map { mistake in
            data.featureMatrix.row(mistake.row).prefix(featureCount).map(Double.init)
        }
        let captions = shown.map { "\(names[labels[$0.row]]) → \(names[$0.predicted]) (\(Format.fixed($0.probability, 2)))" }
        let grid = ImageGrid(title: "\(shown.count) of the \(wrong.count) mistakes on \(rows.count) \(which), true → predicted (probability)",
                             images: images, height: shape[0], width: shape[1], channels: shape[2], captions: captions)
        try draw(.images(grid), to: nil, at: range)
        print("rows: " + shown.map { String($0.row) }.joined(separator: ", ") + " (`show image N` draws one larger)")
    }
}
