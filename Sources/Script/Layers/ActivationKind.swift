import Engine

/// `activation FUNCTION`: Keras's Activation layer, a non-linearity on its own, so that
/// `batchnorm` can sit between a layer and its activation.
struct ActivationKind: LayerKind, Equatable {
    static let functionWord = Positional<Activation>.choice(
        "FUNCTION", only: [.relu, .tanh, .sigmoid, .softmax, .leakyRelu], doc: "relu, tanh, sigmoid, softmax or leaky_relu (slope 0.01)")

    static let statement = StatementSpec(
        name: "activation", category: .model, positionals: [functionWord.spec],
        summary: "Add an activation as a layer of its own (after `batchnorm`, for example).",
        explanation: """
            `dense 64 relu` is `dense 64` followed by `activation relu`. The separate layer lets \
            `batchnorm` normalise the layer's sums before the activation: `conv 3x3 filters=32 pad=same`, \
            `batchnorm`, `activation relu`. It has no weights.
            """,
        examples: ["activation relu", "activation softmax"],
        command: AddLayer<ActivationKind>.self)
    static let recordName = "activation"

    var function: Activation

    init(_ args: Arguments) { function = args[Self.functionWord] }
    init?(record: LayerRecord) {
        guard let function = record.activation.flatMap(Activation.init(rawValue:)) else { return nil }
        self.function = function
    }

    var record: LayerRecord { LayerRecord(Self.recordName) { $0.activation = function.rawValue } }
    var text: String { "activation \(function.rawValue)" }
    func makeLayer() -> Layer { ActivationLayer(function) }
    var kerasName: String { "activation" }
    var activation: Activation? { function }

    func onnx(_ graph: inout ONNXGraph, _ x: inout ONNXLayerInput, _ layer: LayerContext) {
        // dl's softmax runs over the last axis: the units of [N, F] rows, the channels of NHWC
        // images, which are axis 1 of the graph's NCHW.
        if function == .softmax, x.channelsFirst {
            x.name = graph.apply("Softmax", [x.name], [("axis", .int(1))], stem: "\(layer.name)_softmax")
        } else {
            x.name = graph.activate(x.name, function, layer.name)
        }
    }

    func kerasLines(_ layer: LayerContext) -> [String] {
        ["    model.add(keras.layers.Activation(\(KerasNames.activation(function))))  # \(layer.text)"]
    }

    func torchLines(_ layer: LayerContext) -> [String] {
        if layer.leavesToTheTorchLoss(function) { return [] }
        return TorchNames.module(function).map { "    layers.append(\($0))  # \(layer.text)" }
    }

    func explanation(_ layer: LayerContext?) -> [String] {
        (layer.map { [$0.shapeLine] } ?? []) + [Self.explanation(of: function)]
    }

    /// What an activation does, for `explain`.
    static func explanation(of activation: Activation) -> String {
        switch activation {
        case .relu: return "relu passes positive values and turns negative ones into 0: stacked, such layers bend the decision boundary."
        case .leakyRelu: return "leaky_relu passes positive values and shrinks negative ones (× 0.01), so no unit goes silent for good."
        case .sigmoid: return "sigmoid squeezes each value into (0, 1): a probability for one yes/no output."
        case .tanh: return "tanh squeezes each value into (−1, 1), centred on 0."
        case .softmax: return "softmax turns the units into probabilities that sum to 1, one per class: the output layer of a classifier."
        case .linear: return "No activation: each unit is a plain weighted sum, the output for a number to predict."
        }
    }
}
