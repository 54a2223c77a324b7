import Engine

/// `flatten`: an image becomes one row of features (in dl's NHWC order).
struct FlattenKind: LayerKind, Equatable {
    static let statement = StatementSpec(
        name: "flatten", category: .model,
        summary: "Add a flatten layer: an image becomes one row of features for dense layers.",
        explanation: "Between the convolution/pooling layers and the dense layers: 5x5x16 becomes 400 features. It has no weights.",
        examples: ["flatten"],
        command: AddLayer<FlattenKind>.self)
    static let recordName = "flatten"

    init() {}
    init(_ args: Arguments) {}
    init?(record: LayerRecord) {}

    var record: LayerRecord { LayerRecord(Self.recordName) { _ in } }
    var text: String { "flatten" }
    func makeLayer() -> Layer { Flatten() }
    var kerasName: String { "flatten" }

    func onnx(_ graph: inout ONNXGraph, _ x: inout ONNXLayerInput, _ layer: LayerContext) {
        if x.channelsFirst {
            let perm = layer.inputShape.count == 2 ? [0, 2, 1] : [0, 2, 3, 1]  // back to dl's order: series NWC, images NHWC
            x.name = graph.apply("Transpose", [x.name], [("perm", .ints(perm))], stem: "\(layer.name)_nhwc")
            x.channelsFirst = false
        }
        x.name = graph.apply("Flatten", [x.name], [("axis", .int(1))], stem: layer.name)
    }

    func kerasLines(_ layer: LayerContext) -> [String] { ["    model.add(keras.layers.Flatten())"] }
    func torchLines(_ layer: LayerContext) -> [String] { ["    layers.append(NHWCFlatten())"] }

    func explanation(_ layer: LayerContext?) -> [String] {
        (layer.map { [$0.shapeLine] } ?? []) + ["Flatten lays the image out as one row of numbers, so dense layers can take it."]
    }
}
