import Engine

/// `globalpool avg|max`: Keras's GlobalAveragePooling1D/2D and GlobalMaxPooling1D/2D: each
/// channel's mean (or max) over all steps of a series, or over height and width of an image.
struct GlobalPoolKind: LayerKind, Equatable {
    static let modeWord = Positional<PoolingMode>.choice("MODE", default: .avg,
                                                         doc: "avg keeps each channel's mean over the steps (or pixels); max its largest value")

    static let statement = StatementSpec(
        name: "globalpool", category: .model, positionals: [modeWord.spec],
        summary: "Add a global pooling layer: each channel's mean (or max) over all steps or pixels, one feature per channel.",
        explanation: """
            After the convolutions, `globalpool avg` turns each channel into one number, its mean over \
            the whole series (or image), so a dense layer can follow without `flatten` and the model \
            takes series of any length. No weights. The FCN of Wang et al. ends with it.
            """,
        examples: ["globalpool avg", "globalpool max"],
        command: AddLayer<GlobalPoolKind>.self)
    static let recordName = "globalpool"

    var mode: PoolingMode

    init(mode: PoolingMode) { self.mode = mode }
    init(_ args: Arguments) { mode = args[Self.modeWord] }
    init?(record: LayerRecord) {
        guard let mode = record.mode.flatMap(PoolingMode.init(rawValue:)) else { return nil }
        self.mode = mode
    }

    var record: LayerRecord { LayerRecord(Self.recordName) { $0.mode = mode.rawValue } }
    var text: String { "globalpool \(mode.rawValue)" }
    func makeLayer() -> Layer { GlobalPool(mode: mode) }
    /// Keras's stem for series (the usual case); over images Keras says `..._pooling2d`, which
    /// `summary`'s type column shows (the stem has no input shape to tell them apart).
    var kerasName: String { mode == .max ? "global_max_pooling1d" : "global_average_pooling1d" }
    var needsSeries: Bool { true }

    func onnx(_ graph: inout ONNXGraph, _ x: inout ONNXLayerInput, _ layer: LayerContext) {
        graph.channelsFirst(&x, layer)
        let pooled = graph.apply(mode == .max ? "GlobalMaxPool" : "GlobalAveragePool", [x.name], stem: layer.name)
        x.name = graph.apply("Flatten", [pooled], [("axis", .int(1))], stem: "\(layer.name)_flat")
        x.channelsFirst = false
    }

    func kerasLines(_ layer: LayerContext) -> [String] {
        let dimensions = layer.inputShape.count == 3 ? "2D" : "1D"
        return ["    model.add(keras.layers.\(mode == .max ? "GlobalMaxPooling" : "GlobalAveragePooling")\(dimensions)())  # \(layer.text)"]
    }

    func torchLines(_ layer: LayerContext) -> [String] {
        let module = mode == .max ? "AdaptiveMaxPool" : "AdaptiveAvgPool"
        if layer.inputShape.count == 2 { return ["    layers.append(\(module)1dNWC(1))  # \(layer.text)"] }  // [N, steps, channels] -> [N, channels]
        return ["    layers.append(nn.\(module)2d(1))  # \(layer.text)", "    layers.append(nn.Flatten())"]
    }

    func explanation(_ layer: LayerContext?) -> [String] {
        var lines: [String] = []
        if let layer {
            let over = layer.inputShape.count == 3 ? "\(layer.inputShape[0])×\(layer.inputShape[1]) pixels" : "\(layer.inputShape[0]) steps"
            lines.append("Each of the \(layer.inputShape.last ?? 1) channels becomes its \(mode == .max ? "largest value" : "mean") over the \(over): \(layer.inputShape.last ?? 1) features out, no weights.")
        }
        return lines + ["It summarises wherever a pattern occurred, so the dense layer after it does not care when (or where) it happened."]
    }
}
