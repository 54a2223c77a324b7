import DLCore
import Engine
import Tabular

extension Session {
    /// Appends a layer statement; a trained network no longer matches the layers, so the
    /// next `train` builds a fresh one.
    func addLayer(_ kind: any LayerKind, at range: SourceRange) {
        let hadWeights = model != nil
        if let previous = spec.layers.last, previous.kind.activation == .softmax {
            // Softmax makes its outputs sum to 1: right for class probabilities, a bottleneck inside.
            warn(Diagnostic("`\(previous.text)` (line \(previous.range.line)) is now a hidden layer, and softmax belongs on the output: "
                            + "it squeezes the layer's outputs to sum to 1; use relu there (`reset model` starts the layers again)",
                            at: range, id: "softmax-hidden-layer"))
        }
        spec.layers.append(LayerEntry(kind: kind, range: range, fileName: context.currentFileName,
                                      lineText: context.currentLineText(range.line)))
        if hadWeights { print("the layers changed: the next `train` starts from fresh weights") }
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
                                 network: try spec.initialNetwork(inputShape: shape), seed: seed)
        built = fresh
        return fresh
    }

    func summary() throws {
        // A loaded model has no rows to build one for, but it is its own.
        let model = try self.model ?? ensureModel(for: try requireDataset(for: "summary"), statement: "summary")
        let trainable = model.network.parameterCount, fixed = model.network.nonTrainableParameterCount
        let total = trainable + fixed
        print("Model: sequential, input (None, \(model.inputShape.map(String.init).joined(separator: ", ")))")
        show(layerTable(of: model), title: "layers")
        print("Total params: \(Format.grouped(total)) (\(Format.fixed(Double(total * 4) / 1024, 2)) KB)")
        print("Trainable params: \(Format.grouped(trainable))")
        print("Non-trainable params: \(Format.grouped(fixed))")
    }

    /// The Keras-style table of `summary` (one row a layer: name, output shape, activation,
    /// parameters), also shown in the report.
    func layerTable(of model: TrainedModel) -> TextTable {
        var table = TextTable(headers: ["Layer (type)", "Output Shape", "Activation", "Param #"], rightAligned: [3])
        let names = ModelFile.layerNames(layers) // Keras numbers layers of each kind: dense, dense_1, …
        for (i, layer) in model.network.layers.enumerated() {
            let shape = "(None, " + layer.outputShape.map(String.init).joined(separator: ", ") + ")"
            table.rows.append(["\(names[i]) (\(layer.kind))", shape, layers[i].activationName, Format.grouped(layer.parameterCount + layer.nonTrainableCount)])
        }
        table.rulesAfter = [table.rows.count - 1]
        return table
    }
}
