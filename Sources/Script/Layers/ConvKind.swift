import Engine

/// `conv KxK [ACTIVATION] [filters=8] [stride=1] [pad=valid]`: Keras's Conv2D, NHWC.
struct ConvKind: LayerKind, Equatable {
    static let kernelSize = Positional<[Int]>.dimension("KERNEL", 2, doc: "the size of each filter, e.g. 5x5")
    static let activationWord = Positional<Activation>.choice(
        "ACTIVATION", default: .linear, doc: "relu (usual), linear, sigmoid, tanh, leaky_relu")
    static let filters = Key<Int>.integer("filters", min: 1, max: 4096, default: 8, doc: "how many filters (output channels)")
    static let stride = Key<Int>.integer("stride", min: 1, max: 64, default: 1, doc: "the step between filter positions")
    static let pad = Key<Padding>.choice("pad", default: .valid,
                                         doc: "valid (no padding: the image shrinks) or same (zero padding keeps the size at stride 1)")

    static let statement = StatementSpec(
        name: "conv", category: .model, positionals: [kernelSize.spec, activationWord.spec],
        keys: [filters.spec, stride.spec, pad.spec],
        summary: "Add a 2-D convolution layer: filters slid over the image, weights shared.",
        explanation: """
            Each filter is a small KxK window of weights slid over the whole image, so the same weights \
            look for the same pattern everywhere (weight sharing). The output has one channel per \
            filter. Usually followed by relu and a `pool`; `flatten` comes before the dense layers.
            """,
        examples: ["conv 5x5", "conv 5x5 filters=6 pad=same relu", "conv 3x3 filters=16 stride=2 relu"],
        command: AddLayer<ConvKind>.self)
    static let recordName = "conv2d"

    var kernel: [Int]
    var filters: Int
    var stride: Int
    var padding: Padding
    var function: Activation

    init(kernel: [Int], filters: Int, stride: Int, padding: Padding, activation: Activation) {
        self.kernel = kernel; self.filters = filters; self.stride = stride; self.padding = padding; function = activation
    }
    init(_ args: Arguments) {
        self.init(kernel: args[Self.kernelSize], filters: args[Self.filters], stride: args[Self.stride],
                  padding: args[Self.pad], activation: args[Self.activationWord])
    }
    init?(record: LayerRecord) {
        guard let kernel = record.kernel, kernel.count == 2, kernel.allSatisfy({ $0 >= 1 }), let filters = record.filters, filters >= 1,
              let stride = record.stride, stride >= 1, let padding = record.padding.flatMap(Padding.init(rawValue:)),
              let activation = record.activation.flatMap(Activation.init(rawValue:)) else { return nil }
        self.init(kernel: kernel, filters: filters, stride: stride, padding: padding, activation: activation)
    }

    var record: LayerRecord {
        LayerRecord(Self.recordName) {
            $0.kernel = kernel; $0.filters = filters; $0.stride = stride; $0.padding = padding.rawValue; $0.activation = function.rawValue
        }
    }
    var text: String {
        var text = "conv \(kernel[0])x\(kernel[1]) filters=\(filters)"
        if stride != 1 { text += " stride=\(stride)" }
        if padding != .valid { text += " pad=\(padding.rawValue)" }
        return text + (function == .linear ? "" : " \(function.rawValue)")
    }
    func makeLayer() -> Layer {
        Conv2D(kernelHeight: kernel[0], kernelWidth: kernel[1], filters: filters, stride: stride, padding: padding, activation: function)
    }
    var kerasName: String { "conv2d" }
    var needsImages: Bool { true }
    var activation: Activation? { function }
    var torchTensors: [(attribute: String, tensor: String, layout: String)] { [("weight", "kernel", "OIHW"), ("bias", "bias", "")] }

    func onnx(_ graph: inout ONNXGraph, _ x: inout ONNXLayerInput, _ layer: LayerContext) {
        let weights = layer.layer.parameters[0].value, bias = layer.layer.parameters[1].value
        let shape = layer.inputShape
        let (kh, kw, cin) = (kernel[0], kernel[1], shape[2])
        // dl's [kh, kw, in, out] as ONNX's [out, in, kh, kw].
        var oihw = [Float](repeating: 0, count: weights.count)
        for i in 0..<kh { for j in 0..<kw { for c in 0..<cin { for o in 0..<filters {
            oihw[((o * cin + c) * kh + i) * kw + j] = weights.data[((i * kw + j) * cin + c) * filters + o]
        } } } }
        let w = graph.constant(.floats(oihw), dims: [filters, cin, kh, kw], stem: "\(layer.name).kernel")
        let b = graph.constant(.floats(bias.data), dims: [filters], stem: "\(layer.name).bias")
        let around = padding.pads(height: shape[0], width: shape[1], kernelHeight: kh, kernelWidth: kw, stride: stride)
        let pads = [around.top, around.left, around.bottom, around.right]  // ONNX: begins, then ends
        let y = graph.apply("Conv", [x.name, w, b], [("kernel_shape", .ints([kh, kw])), ("strides", .ints([stride, stride])),
                                                     ("pads", .ints(pads))], stem: layer.name)
        x.name = graph.activate(y, function, layer.name)
    }

    func kerasLines(_ layer: LayerContext) -> [String] {
        let fanIn = kernel[0] * kernel[1] * layer.inputShape[2]
        return ["    model.add(keras.layers.Conv2D(\(filters), (\(kernel[0]), \(kernel[1])), strides=\(stride), padding=\"\(padding.rawValue)\", activation=\(KerasNames.activation(function)), kernel_initializer=\(KerasNames.initializer(function, fanIn: fanIn))))  # \(layer.text)"]
    }

    func torchLines(_ layer: LayerContext) -> [String] {
        let shape = layer.inputShape
        var lines: [String] = []
        if padding == .same {
            let pad = padding.pads(height: shape[0], width: shape[1], kernelHeight: kernel[0], kernelWidth: kernel[1], stride: stride)
            lines.append("    layers.append(nn.ZeroPad2d((\(pad.left), \(pad.right), \(pad.top), \(pad.bottom))))  # pad=same, as TensorFlow pads")
        }
        lines.append("    layers.append(nn.Conv2d(\(shape[2]), \(filters), kernel_size=(\(kernel[0]), \(kernel[1])), stride=\(stride)))  # \(layer.text)")
        return lines + TorchNames.activation(function)
    }

    func explanation(_ layer: LayerContext?) -> [String] {
        var lines: [String] = []
        if let layer {
            let inShape = layer.inputShape.map(String.init).joined(separator: "×")
            let outShape = layer.layer.outputShape.map(String.init).joined(separator: "×")
            lines.append("Each of its \(filters) filters is a \(kernel[0])×\(kernel[1])×\(layer.inputShape.last ?? 1) kernel slid over the \(inShape) input: \(Format.grouped(layer.layer.parameterCount)) weights in all, the same at every position (weight sharing); out comes \(outShape).")
        }
        return lines + [ActivationKind.explanation(of: function)]
    }
}
