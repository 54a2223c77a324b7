import DLCore
import Engine
import Tabular

extension Session {
    func addDense(_ args: Arguments) {
        addLayer(.dense(units: args.integer("UNITS")!, activation: args.choice("ACTIVATION")!), args)
    }

    /// Appends a layer statement; a trained network no longer matches the layers, so the
    /// next `train` builds a fresh one.
    func addLayer(_ kind: LayerEntry.Kind, _ args: Arguments) {
        let hadWeights = model != nil
        if let previous = spec.layers.last, previous.activationName == "softmax" {
            // Softmax makes its outputs sum to 1: right for class probabilities, a bottleneck inside.
            warn(Diagnostic("`\(previous.text)` (line \(previous.range.line)) is now a hidden layer, and softmax belongs on the output: "
                            + "it squeezes the layer's outputs to sum to 1; use relu there (`reset model` starts the layers again)",
                            at: args.statement.range, id: "softmax-hidden-layer"))
        }
        spec.layers.append(LayerEntry(kind: kind, range: args.statement.range, fileName: context.currentFileName,
                                      lineText: context.currentLineText(args.statement.range.line)))
        if hadWeights { print("the layers changed: the next `train` starts from fresh weights") }
    }

    func reset(_ args: Arguments) {
        built = nil
        if args.text("PART") == "model" {
            spec.layers = []
            print("model reset: no layers")
        } else {
            trainingRandom = SeededRandom(seed: seed) // the shuffles start over too, as in a fresh session
            print("weights reset: the next `train` starts from fresh weights (seed \(seed))")
        }
    }

    func setLoss(_ args: Arguments) {
        let loss: Loss = args.choice("FUNCTION")!
        spec.loss = loss
        print("loss: \(loss.rawValue)")
    }

    /// A changed optimizer reaches the trained model by comparison: its next `train` makes a
    /// fresh optimizer state (TrainedModel.trainer).
    func setOptimizer(_ args: Arguments) {
        switch args.text("NAME") {
        case "adam":
            spec.optimizer = .adam(beta1: Float(args.number("beta1")!), beta2: Float(args.number("beta2")!), epsilon: 1e-7)
        case "rmsprop":
            spec.optimizer = .rmsprop(rho: Float(args.number("rho")!), epsilon: 1e-7)
        default:
            let momentum = Float(args.number("momentum")!)
            spec.optimizer = args.flag("nesterov") ? .nesterov(momentum: momentum) : .sgd(momentum: momentum)
        }
        spec.weightDecay = args.number("weight_decay")!
        print("optimizer: \(spec.optimizerDescription)")
    }

    func setSchedule(_ args: Arguments) {
        switch args.text("KIND") {
        case "step": spec.schedule = .step(every: args.integer("every")!, factor: Float(args.number("factor")!))
        case "exponential": spec.schedule = .exponential(rate: Float(args.number("rate")!))
        case "cosine": spec.schedule = .cosine(epochs: args.integer("epochs")!, minimum: Float(args.number("minimum")!))
        default: spec.schedule = .constant
        }
        print("schedule: \(spec.scheduleDescription)")
    }

    /// The model for the current layers and data: the trained one while it fits them,
    /// otherwise a fresh network built from the seed (and kept as the session's).
    func ensureModel(for data: Dataset, statement: String) throws -> TrainedModel {
        guard !layers.isEmpty else {
            throw Diagnostic("\(statement) needs a model, but there are no layers yet",
                             hint: "add layers first, e.g. `dense 64 relu` then `dense \(ModelSpec.suggestedOutputUnits(data)) \(ModelSpec.suggestedOutputActivation(data))`")
        }
        if let model { return model }
        built = nil // its weights no longer fit; free them before building anew
        let shape = spec.inputShape(of: data)
        let fresh = TrainedModel(architecture: spec.architecture, inputShape: shape, dataRevision: self.data!.revision,
                                 network: try spec.initialNetwork(inputShape: shape))
        built = fresh
        return fresh
    }

    func summary() throws {
        // A loaded model has no rows to build one for, but it is its own.
        let model = try self.model ?? ensureModel(for: try requireDataset(for: "summary"), statement: "summary")
        let total = model.network.parameterCount
        print("Model: sequential, input (None, \(model.inputShape.map(String.init).joined(separator: ", ")))")
        show(layerTable(of: model), title: "layers")
        print("Total params: \(Format.grouped(total)) (\(Format.fixed(Double(total * 4) / 1024, 2)) KB)")
        print("Trainable params: \(Format.grouped(total))")
        print("Non-trainable params: 0")
    }

    /// The Keras-style table of `summary` (one row a layer: name, output shape, activation,
    /// parameters), also shown in the report.
    func layerTable(of model: TrainedModel) -> TextTable {
        var table = TextTable(headers: ["Layer (type)", "Output Shape", "Activation", "Param #"], rightAligned: [3])
        let names = ModelFile.layerNames(layers) // Keras numbers layers of each kind: dense, dense_1, …
        for (i, layer) in model.network.layers.enumerated() {
            let shape = "(None, " + layer.outputShape.map(String.init).joined(separator: ", ") + ")"
            table.rows.append(["\(names[i]) (\(layer.kind))", shape, layers[i].activationName, Format.grouped(layer.parameterCount)])
        }
        table.rulesAfter = [table.rows.count - 1]
        return table
    }
}
