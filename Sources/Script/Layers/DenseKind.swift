import Engine

/// `dense UNITS [ACTIVATION]`: Keras's Dense, activation(x·W + b).
struct DenseKind: LayerKind, Equatable {
    static let units = Positional<Int>.integer("UNITS", min: 1, max: 1_000_000, doc: "the number of neurons in the layer")
    static let activationWord = Positional<Activation>.choice(
        "ACTIVATION", default: .linear, doc: "relu, sigmoid, tanh, softmax, linear or leaky_relu (slope 0.01)")

    static let statement = StatementSpec(
        name: "dense", category: .model, positionals: [units.spec, activationWord.spec],
        summary: "Add a fully connected layer to the model.",
        explanation: """
            Every unit is connected to every input: the layer computes activation(x·W + b). Hidden \
            layers usually use relu; the output layer uses softmax for classes, sigmoid for one yes/no \
            output (`dense 1 sigmoid`: on a numeric target with two values, such as 0/1, this makes it two \
            classes with binary cross-entropy), and linear for regression. Adding a layer after training \
            starts the weights afresh.
            """,
        examples: ["dense 64 relu", "dense 3 softmax", "dense 1 sigmoid", "dense 1"],
        command: AddLayer<DenseKind>.self)
    static let recordName = "dense"

    var units: Int
    var function: Activation

    init(units: Int, activation: Activation) { self.units = units; function = activation }
    init(_ args: Arguments) { self.init(units: args[Self.units], activation: args[Self.activationWord]) }
    init?(record: LayerRecord) {
        guard let units = record.units, units >= 1, let activation = record.activation.flatMap(Activation.init(rawValue:)) else { return nil }
        self.init(units: units, activation: activation)
    }

    var record: LayerRecord { LayerRecord(Self.recordName) { $0.units = units; $0.activation = function.rawValue } }
    var text: String { "dense \(units)" + (function == .linear ? "" : " \(function.rawValue)") }
    func makeLayer() -> Layer { Dense(units: units, activation: function) }
    var kerasName: String { "dense" }
    var outputUnits: Int? { units }
    var activation: Activation? { function }
    var torchTensors: [(attribute: String, tensor: String, layout: String)] { [("weight", "kernel", "T"), ("bias", "bias", "")] }

    func onnx(_ graph: inout ONNXGraph, _ x: inout ONNXLayerInput, _ layer: LayerContext) {
        graph.channelsLast(&x, layer)  // a dense layer at every step after a conv1d
        let kernel = layer.layer.parameters[0].value, bias = layer.layer.parameters[1].value
        let w = graph.constant(.floats(kernel.data), dims: kernel.shape, stem: "\(layer.name).kernel")
        let b = graph.constant(.floats(bias.data), dims: [units], stem: "\(layer.name).bias")
        // On series ([batch, steps, in], after return=sequences) Gemm's 2-D product becomes MatMul + Add, at every step.
        let z = layer.inputShape.count == 2
            ? graph.apply("Add", [graph.apply("MatMul", [x.name, w], stem: "\(layer.name)_matmul"), b], stem: layer.name)
            : graph.apply("Gemm", [x.name, w, b], stem: layer.name)
        x.name = graph.activate(z, function, layer.name)
    }

    func kerasLines(_ layer: LayerContext) -> [String] {
        ["    model.add(keras.layers.Dense(\(units), activation=\(KerasNames.activation(function)), kernel_initializer=\(KerasNames.initializer(function, fanIn: layer.inputShape.last ?? 1))))  # \(layer.text)"]
    }

    func torchLines(_ layer: LayerContext) -> [String] {
        ["    layers.append(nn.Linear(\(layer.inputShape.last ?? 1), \(units)))  # \(layer.text)"]
            + (layer.leavesToTheTorchLoss(function) ? [] : TorchNames.activation(function))
    }

    func explanation(_ layer: LayerContext?) -> [String] {
        var lines: [String] = []
        if let layer {
            lines.append("It adds (\(layer.inputShape.last ?? 1) inputs + 1 bias) × \(units) units = \(Format.grouped(layer.layer.parameterCount)) weights: every input is connected to every unit.")
            if layer.inputShape.count == 2 { lines.append("It applies the same weights at each of the \(layer.inputShape[0]) steps (as Keras's Dense on sequences).") }
        }
        return lines + [ActivationKind.explanation(of: function)]
    }
}
