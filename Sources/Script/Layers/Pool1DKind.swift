import Engine

/// `pool1d SIZE [max|avg] [stride=SIZE]`: Keras's MaxPooling1D and AveragePooling1D over series.
struct Pool1DKind: LayerKind, Equatable {
    static let window = Positional<Int>.integer("SIZE", min: 1, max: 4096, doc: "how many steps each window covers, e.g. 2")
    static let modeWord = Positional<PoolingMode>.choice("MODE", default: .max,
                                                         doc: "max keeps the largest value of each window; avg their mean")
    static let stride = Key<Int?>.integer("stride", min: 1, max: 64, doc: "the step between windows (default: the window size)")

    static let statement = StatementSpec(
        name: "pool1d", category: .model, positionals: [window.spec, modeWord.spec], keys: [stride.spec],
        summary: "Add a 1-D pooling layer: shorten a series by keeping the max (or mean) of each window of steps.",
        explanation: "`pool1d 2` halves the number of steps, channel by channel. It has no weights; the next layers see a longer stretch of time for the same cost.",
        examples: ["pool1d 2", "pool1d 3 avg", "pool1d 3 stride=2"],
        command: AddLayer<Pool1DKind>.self)
    static let recordName = "pool1d"

    var size: Int
    var stride: Int
    var mode: PoolingMode

    init(size: Int, stride: Int, mode: PoolingMode) { self.size = size; self.stride = stride; self.mode = mode }
    init(_ args: Arguments) {
        let size = args[Self.window]
        self.init(size: size, stride: args[Self.stride] ?? size, mode: args[Self.modeWord])
    }
    init?(record: LayerRecord) {
        guard let size = record.size, size >= 1, let stride = record.stride, stride >= 1,
              let mode = record.mode.flatMap(PoolingMode.init(rawValue:)) else { return nil }
        self.init(size: size, stride: stride, mode: mode)
    }

    var record: LayerRecord { LayerRecord(Self.recordName) { $0.size = size; $0.stride = stride; $0.mode = mode.rawValue } }
    var text: String { "pool1d \(size) \(mode.rawValue)" + (stride == size ? "" : " stride=\(stride)") }
    func makeLayer() -> Layer { Pool1D(size: size, stride: stride, mode: mode) }
    var kerasName: String { mode == .max ? "max_pooling1d" : "average_pooling1d" }
    var needsSeries: Bool { true }

    func onnx(_ graph: inout ONNXGraph, _ x: inout ONNXLayerInput, _ layer: LayerContext) {
        graph.channelsFirst(&x, layer)
        x.name = graph.apply(mode == .max ? "MaxPool" : "AveragePool", [x.name],
                             [("kernel_shape", .ints([size])), ("strides", .ints([stride]))], stem: layer.name)
    }

    func kerasLines(_ layer: LayerContext) -> [String] {
        ["    model.add(keras.layers.\(mode == .max ? "MaxPooling1D" : "AveragePooling1D")(\(size), strides=\(stride)))  # \(layer.text)"]
    }

    func torchLines(_ layer: LayerContext) -> [String] {
        ["    layers.append(\(mode == .max ? "MaxPool1dNWC" : "AvgPool1dNWC")(\(size), stride=\(stride)))  # \(layer.text)"]
    }

    func explanation(_ layer: LayerContext?) -> [String] {
        (layer.map { [$0.shapeLine] } ?? []) + [
            mode == .max ? "Max pooling keeps the strongest response of each window of steps: a shorter series that tolerates small shifts in time."
                         : "Average pooling keeps the mean of each window of steps: a shorter, smoother series.",
        ]
    }
}
