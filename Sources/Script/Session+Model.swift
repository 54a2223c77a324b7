import DLCore
import Engine
import Tabular

extension Session {
    func addDense(_ args: Arguments) {
        addLayer(.dense(units: args.integer("UNITS")!, activation: args.choice("ACTIVATION")!), args)
    }

    /// Appends a layer statement; a built network no longer matches and is dropped.
    func addLayer(_ kind: LayerEntry.Kind, _ args: Arguments) {
        layers.append(LayerEntry(kind: kind, range: args.statement.range, fileName: interpreter.currentFileName,
                                 lineText: interpreter.currentLineText(args.statement.range.line)))
        if network != nil {
            discardWeights()
            print("the layers changed: the next `train` starts from fresh weights")
        }
    }

    func reset(_ args: Arguments) {
        if args.text("PART") == "model" {
            layers = []
            discardWeights()
            print("model reset: no layers")
        } else {
            discardWeights()
            trainingRandom = SeededRandom(seed: seed) // the shuffles start over too, as in a fresh session
            print("weights reset: the next `train` starts from fresh weights (seed \(seed))")
        }
    }

    func setLoss(_ args: Arguments) {
        lossChoice = Loss(rawValue: args.text("FUNCTION")!)
        print("loss: \(lossChoice!.rawValue)")
    }

    func setOptimizer(_ args: Arguments) {
        switch args.text("NAME") {
        case "adam":
            optimizerKind = .adam(beta1: Float(args.number("beta1")!), beta2: Float(args.number("beta2")!), epsilon: 1e-7)
        case "rmsprop":
            optimizerKind = .rmsprop(rho: Float(args.number("rho")!), epsilon: 1e-7)
        default:
            let momentum = Float(args.number("momentum")!)
            optimizerKind = args.flag("nesterov") ? .nesterov(momentum: momentum) : .sgd(momentum: momentum)
        }
        weightDecay = args.number("weight_decay")!
        trainer = nil // a new optimizer starts with no momentum or moment estimates
        print("optimizer: \(describe(optimizerKind))")
    }

    func describe(_ kind: OptimizerKind) -> String {
        var text: String
        switch kind {
        case .sgd(let momentum): text = momentum == 0 ? "sgd" : "sgd momentum=\(Format.general(Double(momentum)))"
        case .nesterov(let momentum): text = "sgd momentum=\(Format.general(Double(momentum))) nesterov"
        case .adam(let b1, let b2, _): text = "adam beta1=\(Format.general(Double(b1))) beta2=\(Format.general(Double(b2)))"
        case .rmsprop(let rho, _): text = "rmsprop rho=\(Format.general(Double(rho)))"
        }
        if weightDecay > 0 { text += " weight_decay=\(Format.general(weightDecay))" }
        return text
    }

    func setSchedule(_ args: Arguments) {
        switch args.text("KIND") {
        case "step": schedule = .step(every: args.integer("every")!, factor: Float(args.number("factor")!))
        case "exponential": schedule = .exponential(rate: Float(args.number("rate")!))
        case "cosine": schedule = .cosine(epochs: args.integer("epochs")!, minimum: Float(args.number("minimum")!))
        default: schedule = .constant
        }
        print("schedule: \(describe(schedule))")
    }

    func describe(_ schedule: Schedule) -> String {
        switch schedule {
        case .constant: return "constant"
        case .step(let every, let factor): return "step: times \(Format.general(Double(factor))) every \(every) epochs"
        case .exponential(let rate): return "exponential: times \(Format.general(Double(rate))) each epoch"
        case .cosine(let epochs, let minimum): return "cosine: down to \(Format.general(Double(minimum))) over \(epochs) epochs"
        }
    }

    /// The per-sample input shape the model is built for: the image shape when a
    /// layer works on images, otherwise one flat row of features.
    func inputShape(of data: Dataset) -> [Int] {
        if let image = data.imageShape, layers.contains(where: \.needsImages) { return image }
        return [data.featureCount]
    }

    /// The network for the current layers and data, built (from the seed) only when
    /// there is none or the architecture or input changed since it was built.
    func ensureNetwork(for data: Dataset, statement: String) throws -> Network {
        guard !layers.isEmpty else {
            throw Diagnostic("\(statement) needs a model, but there are no layers yet",
                             hint: "add layers first, e.g. `dense 64 relu` then `dense \(suggestedOutputUnits(data)) \(suggestedOutputActivation(data))`")
        }
        let shape = inputShape(of: data)
        if let network, network.inputShape == shape, builtLayers == layers.map(\.kind) {
            return network
        }
        discardWeights()
        try rejectOversizedModel(inputs: shape.reduce(1, *))
        do {
            let built = try initialNetwork(inputShape: shape)
            network = built
            builtLayers = layers.map(\.kind)
            return built
        } catch let error as NetworkBuildError {
            throw layerDiagnostic(error.message, layer: error.layerIndex, hint: nil)
        }
    }

    /// Refuses models whose weights would not fit in memory, before allocating them.
    private func rejectOversizedModel(inputs: Int) throws {
        let limit = 250_000_000
        var fanIn = inputs, total = 0
        for (index, layer) in layers.enumerated() {
            // Dense layers are where sizes explode; other layers are checked by the engine's build.
            guard let units = layer.dense?.units else { continue }
            total += (fanIn + 1) * units
            fanIn = units
            if total > limit {
                throw layerDiagnostic("the model would have more than \(Format.grouped(limit)) parameters by this layer (each takes 4 bytes, plus as much again for gradients and optimizer state)",
                                      layer: index, hint: "use fewer units (`reset model` to start over)")
            }
        }
    }

    /// The layers built with their initial weights, drawn from the session seed: the
    /// same every time, which is what makes a sweep row equal `reset weights` + `train`.
    func initialNetwork(inputShape shape: [Int]) throws -> Network {
        var initRandom = SeededRandom(seed: seed &+ 0x5EED)
        return try Network(inputShape: shape, layers: layers.map { $0.makeLayer() }, rng: &initRandom)
    }

    /// An error placed at the line where layer `index` was declared.
    func layerDiagnostic(_ message: String, layer index: Int, hint: String?) -> Diagnostic {
        let entry = layers[index]
        var diagnostic = Diagnostic(message, at: entry.range, hint: hint)
        diagnostic.fileName = entry.fileName
        diagnostic.sourceLine = entry.lineText
        return diagnostic
    }

    func suggestedOutputUnits(_ data: Dataset) -> Int {
        if case .classes(_, let names) = data.target { return names.count }
        return 1
    }

    func suggestedOutputActivation(_ data: Dataset) -> String {
        data.task == .classification ? "softmax" : "(linear)"
    }

    /// Checks that the output layer fits the target and returns the loss to use.
    func resolveLoss(for data: Dataset) throws -> Loss {
        let last = layers.count - 1
        guard let output = layers[last].dense else {
            throw layerDiagnostic("the last layer is `\(layers[last].text)`, but the output layer must be dense",
                                  layer: last, hint: data.task == .classification
                                    ? "end with `flatten` (after images) and `dense \(suggestedOutputUnits(data)) softmax`"
                                    : "end with `flatten` (after images) and `dense 1`")
        }
        switch data.target {
        case .classes(_, let names):
            let k = names.count
            let binarySigmoid = k == 2 && output.units == 1 && output.activation == .sigmoid
            guard output.units == k || binarySigmoid else {
                throw layerDiagnostic("the last layer has \(output.units) unit\(output.units == 1 ? "" : "s") but '\(data.targetName)' has \(k) classes",
                                      layer: last, hint: "use `dense \(k) softmax` as the output layer (`reset model` to start over)")
            }
            let loss = lossChoice ?? (binarySigmoid ? .binaryCrossentropy : .crossentropy)
            switch loss {
            case .crossentropy where output.activation != .softmax:
                throw layerDiagnostic("crossentropy needs probabilities, but the output layer's activation is \(output.activation.rawValue)",
                                      layer: last, hint: "use `dense \(k) softmax` as the output layer")
            case .binaryCrossentropy where output.activation != .sigmoid:
                throw layerDiagnostic("binary_crossentropy needs sigmoid outputs, but the output layer's activation is \(output.activation.rawValue)",
                                      layer: last, hint: "use `dense \(k == 2 ? 1 : k) sigmoid` as the output layer, or `loss crossentropy` with softmax")
            default:
                return loss
            }
        case .values:
            guard output.units == 1 else {
                throw layerDiagnostic("the last layer has \(output.units) units but '\(data.targetName)' is one number to predict (regression)",
                                      layer: last, hint: "use `dense 1` (linear) as the output layer, or `task classification` if the numbers are classes")
            }
            let loss = lossChoice ?? .mse
            if loss == .crossentropy || loss == .binaryCrossentropy {
                throw Diagnostic("\(loss.rawValue) is a classification loss, but '\(data.targetName)' holds numbers (regression)",
                                 hint: "use `loss mse` or `loss mae`, or `task classification` if the numbers are classes")
            }
            if output.activation == .softmax {
                throw layerDiagnostic("softmax outputs always sum to 1, which suits classes, not a number to predict",
                                      layer: last, hint: "use `dense 1` (linear) as the output layer")
            }
            return loss
        }
    }

    func summary() throws {
        let data = try requireDataset(for: "summary")
        let built = try ensureNetwork(for: data, statement: "summary")
        var table = TextTable(headers: ["Layer (type)", "Output Shape", "Activation", "Param #"], rightAligned: [3])
        var seen: [String: Int] = [:] // Keras numbers layers of each kind: dense, dense_1, …
        for (i, layer) in built.layers.enumerated() {
            let stem = layers[i].kerasName
            let name = seen[stem].map { "\(stem)_\($0)" } ?? stem
            seen[stem, default: 0] += 1
            let shape = "(None, " + layer.outputShape.map(String.init).joined(separator: ", ") + ")"
            table.rows.append(["\(name) (\(layer.kind))", shape, layers[i].activationName, Format.grouped(layer.parameterCount)])
        }
        let total = built.parameterCount
        print("Model: sequential, input (None, \(inputShape(of: data).map(String.init).joined(separator: ", ")))")
        table.rulesAfter = [table.rows.count - 1]
        output.write(table.render(), to: .output)
        print("Total params: \(Format.grouped(total)) (\(Format.fixed(Double(total * 4) / 1024, 2)) KB)")
        print("Trainable params: \(Format.grouped(total))")
        print("Non-trainable params: 0")
    }
}
