import Engine

/// `batchnorm [momentum=0.99] [epsilon=0.001]`: Keras's BatchNormalization over the last axis
/// (each unit after a dense layer, each channel after a convolution).
struct BatchNormKind: LayerKind, Equatable {
    static let momentumValue = Key<Double>.number("momentum", .number(min: 0, max: 1, maxExclusive: true), default: 0.99,
                                                  doc: "the share of the moving mean and variance kept at each training batch (the batch weighs 1 - momentum)")
    static let epsilonValue = Key<Double>.number("epsilon", .number(min: 0, max: 1, minExclusive: true), default: 0.001,
                                                 doc: "added to the variance before its square root, so nothing divides by 0")

    static let statement = StatementSpec(
        name: "batchnorm", category: .model, keys: [momentumValue.spec, epsilonValue.spec],
        summary: "Add a batch normalisation layer: each unit or channel normalised, then scaled and shifted by learnt weights.",
        explanation: """
            While training, each unit of a dense layer (each channel of a convolution) is normalised with \
            the mean and variance of the batch, then scaled by gamma and shifted by beta, which are learnt. \
            Moving averages of the mean and variance (momentum=0.99) are kept for `evaluate` and `predict`, \
            which use them instead of the batch's. It lets deeper networks train faster and with larger \
            learning rates. Put it between a layer and its activation: `conv 3x3 filters=32 pad=same`, \
            `batchnorm`, `activation relu`.
            """,
        examples: ["batchnorm", "batchnorm momentum=0.9"],
        command: AddLayer<BatchNormKind>.self)
    static let recordName = "batchnorm"

    var momentum: Double
    var epsilon: Double

    init(_ args: Arguments) { momentum = args[Self.momentumValue]; epsilon = args[Self.epsilonValue] }
    init?(record: LayerRecord) {
        guard let momentum = record.momentum, momentum >= 0, momentum < 1, let epsilon = record.epsilon, epsilon > 0 else { return nil }
        self.momentum = momentum; self.epsilon = epsilon
    }

    var record: LayerRecord { LayerRecord(Self.recordName) { $0.momentum = momentum; $0.epsilon = epsilon } }
    var text: String {
        "batchnorm" + (momentum == Self.momentumValue.defaultNumber ? "" : " momentum=\(Format.general(momentum))")
            + (epsilon == Self.epsilonValue.defaultNumber ? "" : " epsilon=\(Format.general(epsilon))")
    }
    func makeLayer() -> Layer { BatchNorm(momentum: Float(momentum), epsilon: Float(epsilon)) }
    var kerasName: String { "batch_normalization" }
    var torchTensors: [(attribute: String, tensor: String, layout: String)] {
        [("weight", "gamma", ""), ("bias", "beta", ""), ("running_mean", "moving_mean", ""), ("running_var", "moving_variance", "")]
    }

    func onnx(_ graph: inout ONNXGraph, _ x: inout ONNXLayerInput, _ layer: LayerContext) {
        // ONNX normalises axis 1: the channels of NCHW images, the units of [N, F] rows.
        if layer.inputShape.count == 2 { graph.channelsFirst(&x, layer) }  // a series' channels to axis 1
        let tensors = layer.layer.parameters + layer.layer.states  // gamma, beta, moving_mean, moving_variance
        let inputs = tensors.map { graph.constant(.floats($0.value.data), dims: $0.value.shape, stem: "\(layer.name).\($0.name)") }
        x.name = graph.apply("BatchNormalization", [x.name] + inputs, [("epsilon", .float(Float(epsilon)))], stem: layer.name)
    }

    func kerasLines(_ layer: LayerContext) -> [String] {
        ["    model.add(keras.layers.BatchNormalization(momentum=\(Format.general(momentum)), epsilon=\(Format.general(epsilon))))  # \(layer.text)"]
    }

    func torchLines(_ layer: LayerContext) -> [String] {
        // PyTorch's momentum is the share of the batch in the moving average: 1 - Keras's.
        // (It updates the moving variance with the unbiased batch variance; Keras, the biased one.)
        let features = layer.inputShape.last ?? 1
        // Series stay [N, steps, channels] between layers, as in dl: BatchNorm1dNWC moves the channels for nn.BatchNorm1d.
        let module = layer.inputShape.count == 3 ? "nn.BatchNorm2d" : layer.inputShape.count == 2 ? "BatchNorm1dNWC" : "nn.BatchNorm1d"
        return ["    layers.append(\(module)(\(features), eps=\(Format.general(epsilon)), momentum=\(Format.general(1 - momentum))))  # \(layer.text)"]
    }

    func explanation(_ layer: LayerContext?) -> [String] {
        var lines: [String] = []
        if let layer {
            let features = layer.inputShape.last ?? 1
            let what = layer.inputShape.count >= 2 ? "channels" : "units"  // images and series normalise per channel
            lines.append("It normalises each of its \(features) \(what): \(2 * features) weights to learn (gamma and beta) and \(2 * features) moving statistics that training updates but does not learn.")
        }
        return lines + [
            "While training it uses each batch's mean and variance; `evaluate` and `predict` use the moving averages (momentum \(Format.general(momentum))).",
        ]
    }
}
