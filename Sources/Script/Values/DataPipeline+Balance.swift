import Engine
import Tabular

extension DataPipeline {
    /// `balance=auto` weights classes: on a regression target, or with a loss that does not
    /// read classes, it is an error that says why.
    func rejectBalance(spec: ModelSpec, at range: SourceRange?) throws {
        guard let dataset else { return }
        guard case .classes(_, let names) = dataset.target else {
            throw Diagnostic("balance=auto weights the loss of each class, but '\(targetName)' holds numbers (regression)",
                             at: range, hint: "leave out `balance=auto`, or say `task classification` if the numbers are classes")
        }
        // Without an output layer `train` says what is missing; the loss is checked once there is one.
        guard let output = spec.output else { return }
        let loss = try spec.resolveLoss(for: dataset)
        guard loss == .crossentropy || loss == .binaryCrossentropy else {
            throw Diagnostic("balance=auto weights a crossentropy loss by class, but the loss is \(loss.rawValue)",
                             at: range, hint: "leave out `balance=auto`, or use the crossentropy that fits the output layer (`loss crossentropy` with softmax)")
        }
        // One weight per class: one-hot rows (softmax) or one 0/1 column (one sigmoid unit), not several sigmoids.
        guard loss.accepts(classWeights: [Float](repeating: 1, count: names.count), width: output.units) else {
            throw Diagnostic("balance=auto weights binary_crossentropy on one sigmoid unit, but the output layer has \(output.units) units",
                             at: range, hint: "use `dense \(names.count) softmax` (crossentropy) as the output layer, or leave out `balance=auto`")
        }
    }

    /// The rows to fit with the class weights `balance=auto` asks for: n / (k × count) over
    /// these very rows (after a validation share is held out), as scikit-learn's
    /// `class_weight="balanced"` counts the rows it is given.
    func balanced(_ fit: TrainingData, plan: TrainingPlan, spec: ModelSpec, at range: SourceRange?) throws -> TrainingData {
        guard plan.balanceClasses else { return fit }
        try rejectBalance(spec: spec, at: range)
        guard case .classes(_, let names) = dataset?.target else { return fit }
        var weighted = fit
        weighted.classWeights = fit.balancedClassWeights(classes: names.count)
        return weighted
    }

    /// "drizzle 5.51, fog 2.90, rain 0.45, snow 11.2, sun 0.41": the weights per class, for `train`'s line.
    func describeClassWeights(_ weights: [Float]) -> String {
        guard case .classes(_, let names) = dataset?.target else { return "" }
        let pairs = zip(names, weights).map { "\($0) \(Format.significant(Double($1), 3))" }
        return pairs.count > 8 ? pairs.prefix(8).joined(separator: ", ") + ", … (\(pairs.count) classes)" : pairs.joined(separator: ", ")
    }
}
