import Engine

/// `pool SIZE [max|avg] [stride=SIZE]`: Keras's MaxPooling2D and AveragePooling2D.
struct PoolKind: LayerKind, Equatable {
    static let window = Positional<[Int]>.dimension("SIZE", 2, doc: "the window, e.g. 2x2 (square windows)")
    static let modeWord = Positional<PoolingMode>.choice("MODE", default: .max,
                                                         doc: "max keeps the largest value of each window; avg their mean")
    static let stride = Key<Int?>.integer("stride", min: 1, max: 64, doc: "the step between windows (default: the window size)")

    static let statement = StatementSpec(
        name: "pool", category: .model, positionals: [window.spec, modeWord.spec], keys: [stride.spec],
        summary: "Add a pooling layer: shrink the image by keeping the max (or mean) of each window.",
        explanation: "`pool 2x2` halves the height and width. It has no weights; it makes the next layers cheaper and a little insensitive to small shifts.",
        examples: ["pool 2x2", "pool 2x2 avg", "pool 3x3 stride=2"],
        command: AddLayer<PoolKind>.self)
    static let recordName = "pool"

    var size: Int
    var stride: Int
    var mode: PoolingMode

    init(size: Int, stride: Int, mode: PoolingMode) { self.size = size; self.stride = stride; self.mode = mode }
    init(_ args: Arguments) {
        let size = args[Self.window][0]
        self.init(size: size, stride: args[Self.stride] ?? size, mode: args[Self.modeWord])
    }
    init?(record: LayerRecord) {
        guard let size = record.size, size >= 1, let stride = record.stride, stride >= 1,
              let mode = record.mode.flatMap(PoolingMode.init(rawValue:)) else { return nil }
        self.init(size: size, stride: stride, mode: mode)
    }

    static func check(_ args: Arguments) throws {
        let size = args[window]
        if size[0] != size[1] {
            throw Diagnostic("pooling windows are square, but \(size[0])x\(size[1]) is not", at: args.range(of: window),
                             hint: "use e.g. `pool 2x2`")
        }
    }

    var record: LayerRecord { LayerRecord(Self.recordName) { $0.size = size; $0.stride = stride; $0.mode = mode.rawValue } }
    var text: String { "pool \(size)x\(size) \(mode.rawValue)" + (stride == size ? "" : " stride=\(stride)") }
    func makeLayer() -> Layer { Pool2D(size: size, stride: stride, mode: mode) }
    var kerasName: String { mode == .max ? "max_pooling2d" : "average_pooling2d" }
    var needsImages: Bool { true }

    func onnx(_ graph: inout ONNXGraph, _ x: inout ONNXLayerInput, _ layer: LayerContext) {
        x.name = graph.apply(mode == .max ? "MaxPool" : "AveragePool", [x.name],
                             [("kernel_shape", .ints([size, size])), ("strides", .ints([stride, stride]))], stem: layer.name)
    }

    func kerasLines(_ layer: LayerContext) -> [String] {
        ["    model.add(keras.layers.\(mode == .max ? "MaxPooling2D" : "AveragePooling2D")(\(size), strides=\(stride)))  # \(layer.text)"]
    }

    func torchLines(_ layer: LayerContext) -> [String] {
        ["    layers.append(nn.\(mode == .max ? "MaxPool2d" : "AvgPool2d")(\(size), stride=\(stride)))  # \(layer.text)"]
    }

    func explanation(_ layer: LayerContext?) -> [String] {
        (layer.map { [$0.shapeLine] } ?? []) + [
            mode == .max ? "Max pooling keeps the strongest response of each window: a smaller image that tolerates small shifts."
                         : "Average pooling keeps the mean of each window: a smaller, smoother image.",
        ]
    }
}
