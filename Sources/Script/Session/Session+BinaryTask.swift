import Engine
import Tabular

extension Session {
    /// Whether the model ends in one sigmoid unit: `dense 1 sigmoid`, or `dense 1` then `activation sigmoid`.
    var endsInOneSigmoid: Bool { spec.output.map { $0.units == 1 && $0.activation == .sigmoid } ?? false }

    /// Keeps the pipeline in step with the output layer after every statement (a layer added,
    /// `reset model`, `load model`, `load`, `target`), so a numeric target with two values is two
    /// classes exactly while the model ends in one sigmoid unit; says so when that changes the task.
    func followOutputLayer() throws {
        guard let pipeline = data, pipeline.endsInOneSigmoid != endsInOneSigmoid else { return }
        let before = pipeline.task
        let hadWeights = model != nil
        try data!.setEndsInOneSigmoid(endsInOneSigmoid)
        guard let after = data, after.task != before, let values = after.twoTargetValues else { return }
        let pair = "\(Format.general(values.0)) and \(Format.general(values.1))"
        if after.task == .classification {
            print("note: '\(after.targetName)' holds two values (\(pair)) and the model ends in one sigmoid unit, so they are two classes: "
                  + "binary classification with binary_crossentropy, as in Keras (`task regression` keeps them numbers)")
        } else {
            print("note: the model no longer ends in one sigmoid unit, so '\(after.targetName)' (\(pair)) is a number to predict again (regression); "
                  + "`task classification` keeps its two classes")
        }
        if hadWeights, model == nil { print("the task changed: the next `train` starts from fresh weights") }
    }

    /// `train` on a numeric target with two values and an output that is not one sigmoid unit
    /// fits a regression; say how to get a classifier, unless `task regression` asked for it.
    func hintBinaryRegression() {
        guard let pipeline = data, pipeline.taskOverride == nil, let dataset, case .values = dataset.target,
              let values = pipeline.twoTargetValues, let output = spec.output, output.units == 1, epochsTrained == 0 else { return }
        let pair = "\(Format.general(values.0)) and \(Format.general(values.1))"
        warn(Diagnostic("'\(pipeline.targetName)' holds only the values \(pair), but the output layer is \(output.activation.rawValue), "
                        + "so this trains a regression (the loss is mse)",
                        hint: "for two classes end with `dense 1 sigmoid` (binary cross-entropy) or say `task classification`; "
                        + "`task regression` keeps the regression and silences this",
                        id: "binary-target-regression"))
    }
}
