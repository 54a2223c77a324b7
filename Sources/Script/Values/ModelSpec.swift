import DLCore
import Engine
import Tabular

/// What the model is, as the statements declared it: the layers (each with its source line),
/// the loss, the optimizer, the schedule and the seed of its initial weights. It builds a
/// network for an input shape; it holds no weights.
struct ModelSpec: Sendable {
    var layers: [LayerEntry] = []
    /// nil: inferred from the output layer (`resolveLoss`).
    var loss: Loss?
    var optimizer: OptimizerKind = .sgd(momentum: 0)
    /// Decoupled weight decay of the optimizer (`weight_decay=`).
    var weightDecay: Double = 0
    /// How the learning rate changes from epoch to epoch (`schedule`).
    var schedule: Schedule = .constant
    /// Seeds the initial weights; the session's seed (also for splits, generated data and shuffles).
    var seed: UInt64 = 42
    /// How many of the first layers `load model` brought (0 after `reset model`): `show state`
    /// writes the `load model` for those and the statements of the rest.
    var layersFromFile = 0

    /// The layer statements without their places: what a built network must match.
    var architecture: [LayerRecord] { layers.map(\.record) }

    /// The layer that gives the model's outputs, the last one with units (dense), and the
    /// activation they go through: its own, or that of the `activation` layers after it. Nil
    /// when another kind of layer comes after it, or there is none.
    var output: (units: Int, activation: Activation)? {
        guard let index = layers.lastIndex(where: { $0.kind.outputUnits != nil }),
              layers[(index + 1)...].allSatisfy({ $0.kind is ActivationKind }),
              let units = layers[index].kind.outputUnits else { return nil }
        return (units, (layers.last?.kind.activation ?? layers[index].kind.activation) ?? .linear)
    }

    /// The per-sample input shape the model is built for: the image shape when a layer
    /// works on images, [steps, channels] when the rows are series and a layer works on
    /// series, otherwise one flat row of features.
    func inputShape(of data: Dataset) -> [Int] {
        inputShape(featureCount: data.featureCount, imageShape: data.imageShape, seriesShape: data.seriesShape)
    }

    func inputShape(featureCount: Int, imageShape: [Int]?, seriesShape: [Int]? = nil) -> [Int] {
        if let imageShape, layers.contains(where: \.needsImages) { return imageShape }
        if let seriesShape, layers.contains(where: \.needsSeries) { return seriesShape }
        return [featureCount]
    }

    /// The layers built with their initial weights, drawn from the seed: the same every
    /// time, which is what makes a sweep row equal `reset weights` + `train`.
    func initialNetwork(inputShape shape: [Int]) throws -> Network {
        try rejectUnaffordable(buildEstimate(try footprint(inputShape: shape)), "building this model")
        var initRandom = SeededRandom(seed: seed &+ 0x5EED)
        do {
            return try Network(inputShape: shape, layers: layers.map { $0.makeLayer() }, rng: &initRandom)
        } catch let error as NetworkBuildError {
            throw layerDiagnostic(error.problem.message, layer: error.layerIndex,
                                  hint: hint(for: error))
        }
    }

    /// A fresh optimizer as declared (no momentum or moment estimates yet).
    func makeOptimizer() -> Optimizer { Optimizer(optimizer, weightDecay: Float(weightDecay)) }

    /// An error placed at the line where layer `index` was declared.
    func layerDiagnostic(_ message: String, layer index: Int, hint: String?) -> Diagnostic {
        let entry = layers[index]
        var diagnostic = Diagnostic(message, at: entry.range, hint: hint)
        diagnostic.fileName = entry.fileName
        diagnostic.sourceLine = entry.lineText
        return diagnostic
    }

    static func suggestedOutputUnits(_ data: Dataset) -> Int {
        if case .classes(_, let names) = data.target { return names.count }
        return 1
    }

    static func suggestedOutputActivation(_ data: Dataset) -> String {
        data.task == .classification ? "softmax" : "(linear)"
    }

    /// Checks that the output layer fits the target and returns the loss to use.
    func resolveLoss(for data: Dataset) throws -> Loss {
        let last = layers.count - 1
        try checkOneOutputPerSeries(for: data)
        guard let output else {
            throw layerDiagnostic("the last layer is `\(layers[last].text)`, but the output layer must be dense",
                                  layer: last, hint: data.task == .classification
                                    ? "end with `flatten` (after images) and `dense \(Self.suggestedOutputUnits(data)) softmax`"
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
            let chosen = loss ?? (binarySigmoid ? .binaryCrossentropy : .crossentropy)
            switch chosen {
            case .crossentropy where output.activation != .softmax:
                throw layerDiagnostic("crossentropy needs probabilities, but the output layer's activation is \(output.activation.rawValue)",
                                      layer: last, hint: "use `dense \(k) softmax` as the output layer")
            case .binaryCrossentropy where output.activation != .sigmoid:
                throw layerDiagnostic("binary_crossentropy needs sigmoid outputs, but the output layer's activation is \(output.activation.rawValue)",
                                      layer: last, hint: "use `dense \(k == 2 ? 1 : k) sigmoid` as the output layer, or `loss crossentropy` with softmax")
            default:
                return chosen
            }
        case .values:
            guard output.units == 1 else {
                throw layerDiagnostic("the last layer has \(output.units) units but '\(data.targetName)' is one number to predict (regression)",
                                      layer: last, hint: "use `dense 1` (linear) as the output layer, or `task classification` if the numbers are classes")
            }
            let chosen = loss ?? .mse
            if chosen == .crossentropy || chosen == .binaryCrossentropy {
                throw Diagnostic("\(chosen.rawValue) is a classification loss, but '\(data.targetName)' holds numbers (regression)",
                                 hint: "use `loss mse` or `loss mae`, or `task classification` if the numbers are classes")
            }
            if output.activation == .softmax {
                throw layerDiagnostic("softmax outputs always sum to 1, which suits classes, not a number to predict",
                                      layer: last, hint: "use `dense 1` (linear) as the output layer")
            }
            return chosen
        }
    }

    /// The optimizer as the statement that sets it reads ("sgd momentum=0.9 nesterov").
    var optimizerDescription: String {
        var text: String
        switch optimizer {
        case .sgd(let momentum): text = momentum == 0 ? "sgd" : "sgd momentum=\(Format.general(Double(momentum)))"
        case .nesterov(let momentum): text = "sgd momentum=\(Format.general(Double(momentum))) nesterov"
        case .adam(let b1, let b2, _): text = "adam beta1=\(Format.general(Double(b1))) beta2=\(Format.general(Double(b2)))"
        case .rmsprop(let rho, _): text = "rmsprop rho=\(Format.general(Double(rho)))"
        }
        if weightDecay > 0 { text += " weight_decay=\(Format.general(weightDecay))" }
        return text
    }

    var scheduleDescription: String {
        switch schedule {
        case .constant: return "constant"
        case .step(let every, let factor): return "step: times \(Format.general(Double(factor))) every \(every) epochs"
        case .exponential(let rate): return "exponential: times \(Format.general(Double(rate))) each epoch"
        case .cosine(let epochs, let minimum): return "cosine: down to \(Format.general(Double(minimum))) over \(epochs) epochs"
        case .plateau(let rule): return rule.description
        }
    }
}
