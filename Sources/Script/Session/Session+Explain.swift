import Engine
import Tabular

/// `explain on`: the lines that follow each statement, built from the session's own numbers
/// for the statements where the numbers teach (the rest are plain text in the table).
extension Session {
    func explainStatement(_ command: any Command) {
        let lines = command.explain(in: self)
        guard !lines.isEmpty else { return }
        for line in lines { recorder.write(paragraph: Paragraph(line, prefix: "  | ", keepingPrefix: true, faint: true)) }
    }

    func explainLoad() -> [String] {
        guard let dataset else { return ["The table is loaded but not ready to train yet: the note above says what it needs.",
                                         "`columns` shows each column's type."] }
        var lines = ["Each of the \(dataset.rowCount) rows is one example; its \(dataset.featureCount) features are what the model sees, '\(dataset.targetName)' is what it learns to predict."]
        switch dataset.target {
        case .classes(_, let names):
            lines.append("'\(dataset.targetName)' holds \(names.count) classes, so this is classification: the output layer needs `dense \(names.count) softmax`.")
        case .values:
            lines.append("'\(dataset.targetName)' holds numbers, so this is regression: the output layer is `dense 1`, with no activation.")
        }
        lines.append("Next: `split 0.8` keeps a fifth of the rows aside to test on.")
        return lines
    }

    func explainSplit(stratified: Bool) -> [String] {
        guard let data, let dataset else { return ["The rows are split.", "`show` lists the parts."] }
        if data.split?.byTime == true { return explainTimeSplit() }
        if let split = data.split, split.seed == nil {
            return ["The data came with its own test rows (\(split.description)); `split` keeps them, so results compare with others who use the same test set."]
        }
        let train = data.trainRows, test = data.testRows
        var lines = ["The rows were shuffled, then cut: \(train.count) to train on and \(test.count) held back for `evaluate`, which the model never sees while it learns."]
        guard case .classes(_, let names) = dataset.target, let counts = dataset.target.classCounts(in: test) else {
            lines.append("A test set measures how the model does on rows it has not seen: that is what matters for new data.")
            return lines
        }
        lines.append("Test rows: " + zip(names, counts).map { "\($1) of class \($0)" }.joined(separator: ", ") + ".")
        if stratified {
            lines.append("`stratify` kept each class's share the same in both parts, so a small class cannot end up (almost) missing from the \(test.count) test rows and skew the accuracy.")
        } else {
            lines.append("Without `stratify` the shares vary by chance; with few test rows a class can be under-represented. `split 0.8 stratify` keeps them equal.")
        }
        return lines
    }

    func explainScale() -> [String] {
        guard let data, let dataset, let scaler = data.scaler, scaler.method != .none else {
            return ["The features go in as loaded, unscaled.",
                    "Features on very different scales make one learning rate too big for some weights and too small for others."]
        }
        if dataset.featureMatrix.bytes != nil {
            return ["Every pixel was divided by 255: 0-255 became 0-1. This scaling is fitted on nothing (no minimum, maximum or mean of the training images), so training, test and new images are scaled alike, as Keras's Rescaling(1/255) does.",
                    "The pixels stay bytes in memory; each batch is converted to 0-1 floats as the network needs it."]
        }
        let shown = dataset.featureNames.indices.prefix(2)
        let whom = data.split == nil ? "all \(data.trainRows.count) rows (there is no split yet)"
                                     : "the \(data.trainRows.count) training rows and applied unchanged to the \(data.testRows.count) test rows"
        switch scaler.method {
        case .minmax:
            let ranges = shown.map { c in
                "'\(dataset.featureNames[c])' min \(Format.general(Double(scaler.offsets[c]))), max \(Format.general(Double(scaler.offsets[c] + 1 / scaler.scales[c])))"
            }
            return ["x' = (x − min) / (max − min) maps every feature onto [0, 1]: " + ranges.joined(separator: "; ") + ".",
                    "min and max were fitted on \(whom), so nothing about the test rows leaks into training.",
                    "On one scale, one learning rate suits every weight."]
        default:
            let moments = shown.map { c in
                "'\(dataset.featureNames[c])' mean \(Format.general(Double(scaler.offsets[c]))), std \(Format.general(Double(1 / scaler.scales[c])))"
            }
            return ["x' = (x − mean) / std gives every feature mean 0 and standard deviation 1: " + moments.joined(separator: "; ") + ".",
                    "mean and std were fitted on \(whom), so nothing about the test rows leaks into training."]
        }
    }

    /// The layer just added: its weights (when the data gives its input size) and what it does.
    func explainLayer() -> [String] {
        guard let entry = layers.last else { return [] }
        var context: LayerContext?
        if let dataset, let network = try? spec.initialNetwork(inputShape: spec.inputShape(of: dataset)) {
            context = LayerContext.all(spec: spec, network: network).last?.context
        }
        return entry.kind.explanation(context)
    }

    func explainOptimizer() -> [String] {
        switch spec.optimizer {
        case .sgd(let momentum) where momentum == 0:
            return ["Stochastic gradient descent: after each batch, every weight moves against its gradient: w ← w − lr × ∂loss/∂w.",
                    "The learning rate `lr=` of `train` sets the step."]
        case .sgd, .nesterov:
            return ["SGD with momentum: each step adds to a velocity that remembers past steps, so the weights keep moving through flat stretches and shallow dips.",
                    "momentum=0.9 keeps 90% of the velocity from one batch to the next."]
        case .adam:
            return ["Adam keeps a running mean of each weight's gradient and of its square, and divides one by the root of the other.",
                    "Every weight gets its own step size, so one learning rate (often 0.001) suits most problems."]
        case .rmsprop:
            return ["RMSprop divides each weight's gradient by the root of a running mean of its squares.",
                    "Weights with large gradients take smaller steps, and weights with small ones larger steps."]
        }
    }

    func explainTraining() -> [String] {
        guard let data, let model, model.lastRunEpochs > 0, let plan = model.lastPlan else {
            return ["Training stopped before an epoch ended; the weights are as the last batch left them.",
                    "`train` again continues from them."]
        }
        let held = plan.validation.map { DataPipeline.heldOut(of: data.trainRows.count, fraction: $0) } ?? 0
        let rows = data.trainRows.count - held
        let batches = (rows + plan.batch - 1) / plan.batch
        let epochs = model.lastRunEpochs
        let loss = model.loss ?? .crossentropy
        let what = loss == .mse ? "the mean squared error" : loss == .mae ? "the mean absolute error" : "the cross-entropy (−log of the probability given to the true class)"
        let run = model.history.suffix(epochs)
        var lines = [
            "It minimised \(what) on \(rows) rows: \(batches) batch\(batches == 1 ? "" : "es") of up to \(plan.batch) rows per epoch, × \(epochs) epoch\(epochs == 1 ? "" : "s") = \(Format.grouped(batches * epochs)) steps.",
            "Each step computed the loss's gradient for every weight by backpropagation and moved the weights against it, scaled by lr=\(Format.general(plan.learningRate)).",
        ]
        if let first = run.first, let last = run.last {
            var line = "The training loss went from \(Format.fixed(first.loss, 4)) to \(Format.fixed(last.loss, 4))"
            if let restored = model.restoredEpoch, let held = run.last(where: { $0.epoch == restored }) {
                line += " (\(Format.fixed(held.loss, 4)) at epoch \(restored), whose weights the model holds)"
            }
            lines.append(line + ".")
        }
        // After early stopping, its lines name the validation rows when they are what it watched.
        let stopping = explainEarlyStop(of: model, plan: plan, validationRows: held)
        if held > 0, stopping.isEmpty || plan.monitor == .loss {
            lines.append("The \(held) validation rows were never trained on: their loss shows how well the model generalises.")
        }
        lines += stopping
        if plan.balanceClasses {
            lines.append("With balance=auto each row's loss was weighted by n / (k × its class's count), so every class weighed as much in total: rare classes are found more often, at the cost of more false alarms.")
        }
        // At most five lines: the general one about backpropagation gives way first.
        if lines.count > 5 { lines.remove(at: 1) }
        return lines
    }
}
