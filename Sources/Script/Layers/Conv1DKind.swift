import Engine

/// `conv1d KERNEL [ACTIVATION] [filters=8] [stride=1] [pad=valid] [dilation=1]`: Keras's Conv1D
/// over series [steps, channels] (channels fastest, as the CSV's columns run).
struct Conv1DKind: LayerKind, Equatable {
    static let kernelSize = Positional<Int>.integer("KERNEL", min: 1, max: 4096, doc: "how many steps each filter spans, e.g. 8")
    static let activationWord = Positional<Activation>.choice(
        "ACTIVATION", default: .linear, doc: "relu (usual), linear (before `batchnorm`), sigmoid, tanh, leaky_relu")
    static let filters = Key<Int>.integer("filters", min: 1, max: 4096, default: 8, doc: "how many filters (output channels)")
    static let stride = Key<Int>.integer("stride", min: 1, max: 64, default: 1, doc: "the step between filter positions")
    static let pad = Key<Padding>.choice("pad", default: .valid,
                                         doc: "valid (no padding: the series shrinks) or same (zero padding keeps its length at stride 1)")
    static let dilation = Key<Int>.integer("dilation", min: 1, max: 1024, default: 1,
                                           doc: "the gap between the filter's taps: 2 reads every other step (stride must then be 1)")

    static let statement = StatementSpec(
        name: "conv1d", category: .model, positionals: [kernelSize.spec, activationWord.spec],
        keys: [filters.spec, stride.spec, pad.spec, dilation.spec],
        summary: "Add a 1-D convolution layer: filters slid along a series, weights shared over time.",
        explanation: """
            Each filter is a window of KERNEL steps x all channels of weights slid along the series, so \
            the same weights look for the same shape (a rise, a spike, a wiggle) at every moment. The \
            output has one channel per filter at each step. Needs series: `input STEPSxCHANNELS`. \
            The FCN of Wang et al.: `conv1d 8 filters=128 pad=same`, `batchnorm`, `activation relu`, \
            three times (8, 5 and 3 steps), then `globalpool avg` and a dense softmax.
            """,
        examples: ["conv1d 8 filters=128 pad=same", "conv1d 5 relu filters=64", "conv1d 3 filters=32 pad=same dilation=2"],
        command: AddLayer<Conv1DKind>.self)
    static let recordName = "conv1d"

    var kernel: Int
    var filters: Int
    var stride: Int
    var padding: Padding
    var dilation: Int
    var function: Activation

    init(kernel: Int, filters: Int, stride: Int, padding: Padding, dilation: Int, activation: Activation) {
        self.kernel = kernel; self.filters = filters; self.stride = stride; self.padding = padding
        self.dilation = dilation; function = activation
    }
    init(_ args: Arguments) {
        self.init(kernel: args[Self.kernelSize], filters: args[Self.filters], stride: args[Self.stride],
                  padding: args[Self.pad], dilation: args[Self.dilation], activation: args[Self.activationWord])
    }
    init?(record: LayerRecord) {
        guard let kernel = record.kernel, kernel.count == 1, kernel[0] >= 1, let filters = record.filters, filters >= 1,
              let stride = record.stride, stride >= 1, let padding = record.padding.flatMap(Padding.init(rawValue:)),
              let activation = record.activation.flatMap(Activation.init(rawValue:)) else { return nil }
        let dilation = record.dilation ?? 1
        guard dilation >= 1, stride == 1 || dilation == 1 else { return nil }
        self.init(kernel: kernel[0], filters: filters, stride: stride, padding: padding, dilation: dilation, activation: activation)
    }

    static func check(_ args: Arguments) throws {
        if args[stride] > 1 && args[dilation] > 1 {
            throw Diagnostic("conv1d takes a stride or a dilation, but got stride=\(args[stride]) with dilation=\(args[dilation])",
                             at: args.keyRange(of: dilation), hint: "use stride=1 with a dilation (as Keras requires)")
        }
    }

    var record: LayerRecord {
        LayerRecord(Self.recordName) {
            $0.kernel = [kernel]; $0.filters = filters; $0.stride = stride; $0.padding = padding.rawValue
            $0.dilation = dilation; $0.activation = function.rawValue
        }
    }
    var text: String {
        var text = "conv1d \(kernel) filters=\(filters)"
        if stride != 1 { text += " stride=\(stride)" }
        if padding != .valid { text += " pad=\(padding.rawValue)" }
        if dilation != 1 { text += " dilation=\(dilation)" }
        return text + (function == .linear ? "" : " \(function.rawValue)")
    }
    func makeLayer() -> Layer {
        Conv1D(kernelSize: kernel, filters: filters, stride: stride, padding: padding, dilation: dilation, activation: function)
    }
    var kerasName: String { "conv1d" }
    var needsSeries: Bool { true }
    var activation: Activation? { function }
    var torchTensors: [(attribute: String, tensor: String, layout: String)] { [("weight", "kernel", "OIW"), ("bias", "bias", "")] }

    /// TensorFlow's padding of this layer's input: zero steps before and after.
    func pads(_ layer: LayerContext) -> (start: Int, end: Int) {
        padding.seriesPads(steps: layer.inputShape[0], span: (kernel - 1) * dilation + 1, stride: stride)
    }

    func onnx(_ graph: inout ONNXGraph, _ x: inout ONNXLayerInput, _ layer: LayerContext) {
        let weights = layer.layer.parameters[0].value, bias = layer.layer.parameters[1].value
        let cin = layer.inputShape[1]
        // dl's [kernel, in, out] as ONNX's [out, in, kernel].
        var oiw = [Float](repeating: 0, count: weights.count)
        for t in 0..<kernel { for c in 0..<cin { for o in 0..<filters {
            oiw[(o * cin + c) * kernel + t] = weights.data[(t * cin + c) * filters + o]
        } } }
        graph.channelsFirst(&x, layer)
        let w = graph.constant(.floats(oiw), dims: [filters, cin, kernel], stem: "\(layer.name).kernel")
        let b = graph.constant(.floats(bias.data), dims: [filters], stem: "\(layer.name).bias")
        let around = pads(layer)
        let y = graph.apply("Conv", [x.name, w, b], [("kernel_shape", .ints([kernel])), ("strides", .ints([stride])),
                                                     ("dilations", .ints([dilation])), ("pads", .ints([around.start, around.end]))],
                            stem: layer.name)
        x.name = graph.activate(y, function, layer.name)
    }

    func kerasLines(_ layer: LayerContext) -> [String] {
        let fanIn = kernel * layer.inputShape[1]
        return ["    model.add(keras.layers.Conv1D(\(filters), \(kernel), strides=\(stride), padding=\"\(padding.rawValue)\", dilation_rate=\(dilation), activation=\(KerasNames.activation(function)), kernel_initializer=\(KerasNames.initializer(function, fanIn: fanIn))))  # \(layer.text)"]
    }

    func torchLines(_ layer: LayerContext) -> [String] {
        // An nn.Conv1d on dl's [N, steps, channels] (PythonExport+Series.swift), padded as TensorFlow pads.
        let around = pads(layer)
        return ["    layers.append(Conv1dNWC(\(layer.inputShape[1]), \(filters), kernel_size=\(kernel), stride=\(stride), dilation=\(dilation), pads=(\(around.start), \(around.end))))  # \(layer.text)"]
            + TorchNames.activation(function)
    }

    func explanation(_ layer: LayerContext?) -> [String] {
        var lines: [String] = []
        if let layer {
            let channels = layer.inputShape.last ?? 1
            let inShape = layer.inputShape.map(String.init).joined(separator: "×")
            let outShape = layer.layer.outputShape.map(String.init).joined(separator: "×")
            lines.append("Each of its \(filters) filters spans \(kernel) steps × \(channels) channel\(channels == 1 ? "" : "s") of the \(inShape) series: \(filters) × (\(kernel) × \(channels) + 1 bias) = \(Format.grouped(layer.layer.parameterCount)) weights, the same at every step (weight sharing); out comes \(outShape).")
            if dilation > 1 { lines.append("With dilation \(dilation) its taps are \(dilation) steps apart, so it sees \((kernel - 1) * dilation + 1) steps at once.") }
        }
        return lines + [ActivationKind.explanation(of: function)]
    }
}

extension ONNXGraph {
    /// Series reach the layers as [N, steps, channels]; ONNX's Conv and pools want [N, channels, steps].
    mutating func channelsFirst(_ x: inout ONNXLayerInput, _ layer: LayerContext) {
        guard !x.channelsFirst else { return }
        x.name = apply("Transpose", [x.name], [("perm", .ints(layer.inputShape.count == 2 ? [0, 2, 1] : [0, 3, 1, 2]))],
                       stem: "\(layer.name)_channels_first")
        x.channelsFirst = true
    }

    /// Back to [N, steps, channels] after a conv1d, pool1d or batchnorm, for the layers that read
    /// series as dl keeps them (recurrent layers, a dense layer at every step).
    mutating func channelsLast(_ x: inout ONNXLayerInput, _ layer: LayerContext) {
        guard x.channelsFirst, layer.inputShape.count == 2 else { return }
        x.name = apply("Transpose", [x.name], [("perm", .ints([0, 2, 1]))], stem: "\(layer.name)_channels_last")
        x.channelsFirst = false
    }
}
