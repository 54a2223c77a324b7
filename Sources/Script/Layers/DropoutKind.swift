import Engine

/// `dropout RATE`: Keras's Dropout (inverted: the kept values are scaled by 1/(1-RATE)).
struct DropoutKind: LayerKind, Equatable {
    static let rateValue = Positional<Double>.number("RATE", .number(min: 0, max: 1, maxExclusive: true),
                                                     doc: "the share of values set to zero while training, e.g. 0.5")

    static let statement = StatementSpec(
        name: "dropout", category: .model, positionals: [rateValue.spec],
        summary: "Add a dropout layer: randomly silence a share of values while training.",
        explanation: """
            During training each value is zeroed with probability RATE and the rest are scaled by \
            1/(1-RATE) (inverted dropout), so nothing changes at evaluation time. It fights overfitting.
            """,
        examples: ["dropout 0.5"],
        command: AddLayer<DropoutKind>.self)
    static let recordName = "dropout"

    /// As written; the engine computes with it as a 32-bit float.
    var rate: Double

    /// Whether the engine takes the rate: at least 0 and still below 1 as a 32-bit float
    /// (0.99999999 is 1.0 as a Float and would drop everything).
    static func fitsTheEngine(_ rate: Double) -> Bool { rate >= 0 && Float(rate) < 1 }

    init(_ args: Arguments) { rate = args[Self.rateValue] }
    init?(record: LayerRecord) {
        guard let rate = record.rate, Self.fitsTheEngine(rate) else { return nil }
        self.rate = rate
    }

    static func check(_ args: Arguments) throws {
        let rate = args[rateValue]
        if !fitsTheEngine(rate) {
            let written = args.written(rateValue) ?? Format.general(rate)
            throw Diagnostic("dropout's rate must be below 1, but \(written) rounds to 1 as a 32-bit float and would drop every value",
                             at: args.range(of: rateValue), hint: "use a rate such as 0.5 (at most 0.9999999)")
        }
    }

    var record: LayerRecord { LayerRecord(Self.recordName) { $0.rate = rate } }
    var text: String { "dropout \(Format.general(rate))" }
    func makeLayer() -> Layer { Dropout(rate: Float(rate)) } // below 1: `check` and `init(record:)` saw to it
    var kerasName: String { "dropout" }

    func onnx(_ graph: inout ONNXGraph, _ x: inout ONNXLayerInput, _ layer: LayerContext) {
        // Inference: dropout passes its input through.
    }

    func kerasLines(_ layer: LayerContext) -> [String] { ["    model.add(keras.layers.Dropout(\(Format.general(rate))))"] }
    func torchLines(_ layer: LayerContext) -> [String] { ["    layers.append(nn.Dropout(\(Format.general(rate))))"] }

    func explanation(_ layer: LayerContext?) -> [String] {
        (layer.map { [$0.shapeLine] } ?? []) + [
            "While training, a random \(Format.general(rate * 100))% of the values are set to 0 (and the rest scaled up), so no unit can rely on another; `evaluate` and `predict` use them all.",
        ]
    }
}
