import Engine

/// A kind of layer (dense, conv, pool, flatten, dropout, batchnorm, activation): one file
/// each in this folder owns everything the shell knows about it. Its statement and settings
/// (validated once, here), the engine layer it builds, its text for `show`, its record in a
/// saved model, its ONNX nodes, its Keras and PyTorch lines and its explanation. Adding a
/// kind is its file, its engine layer and one line in `LayerKinds.all`.
protocol LayerKind: Sendable {
    /// The statement that adds the layer (its name, parameters, help); its command is
    /// `AddLayer<Self>`.
    static var statement: StatementSpec { get }
    /// The `layer` field of its record in a saved model ("dense", "conv2d").
    static var recordName: String { get }

    /// The settings of a checked statement.
    init(_ args: Arguments)
    /// The settings a saved model recorded; nil when a field is missing or out of range.
    init?(record: LayerRecord)
    /// Cross-argument checks of the statement (run by `--check` too).
    static func check(_ args: Arguments) throws

    /// Its record in a saved model (`layer` is `recordName`).
    var record: LayerRecord { get }
    /// The statement that declares it, as `show` and `show state` list it.
    var text: String { get }
    /// A fresh engine layer.
    func makeLayer() -> Layer
    /// Keras's layer name stem (`dense`, `conv2d`, `max_pooling2d`): `summary`, the tensor
    /// names in a saved model and the exported scripts number layers by it.
    var kerasName: String { get }
    /// Whether the layer works on images, so the data goes in as [h, w, c].
    var needsImages: Bool { get }
    /// Whether the layer works on series, so the data goes in as [steps, channels] when the
    /// rows are series (`input 150x1`, `load waves`).
    var needsSeries: Bool { get }
    /// The units of a layer that can give the model's outputs (dense); nil for the others.
    var outputUnits: Int? { get }
    /// The activation it applies, shown by `summary`; nil for layers without one.
    var activation: Activation? { get }

    /// Its nodes in an ONNX graph: from `input` (NCHW for images) to its output's name.
    func onnx(_ graph: inout ONNXGraph, _ input: inout ONNXLayerInput, _ layer: LayerContext)
    /// Its lines in the Keras script's `build_model` (4 spaces in).
    func kerasLines(_ layer: LayerContext) -> [String]
    /// Its lines in the PyTorch script's `build_model` (4 spaces in).
    func torchLines(_ layer: LayerContext) -> [String]
    /// How the PyTorch script loads its saved tensors: each module attribute, the tensor in
    /// dl's file, and how dl's layout becomes PyTorch's ("" same, "T" transposed, "OIHW" for
    /// a kernel [kh, kw, in, out]). Empty for layers without weights.
    var torchTensors: [(attribute: String, tensor: String, layout: String)] { get }
    /// What `explain on` says about it: its shapes and weights when the data gives its input
    /// (`layer`), then what it does.
    func explanation(_ layer: LayerContext?) -> [String]
}

extension LayerKind {
    static func check(_ args: Arguments) throws {}
    var needsImages: Bool { false }
    var needsSeries: Bool { false }
    var outputUnits: Int? { nil }
    var activation: Activation? { nil }
    var torchTensors: [(attribute: String, tensor: String, layout: String)] { [] }
}

/// One built layer as the exports and explanations see it.
struct LayerContext {
    /// Keras's name of this layer in the model (`dense_1`).
    var name: String
    /// The per-sample shape it receives and the engine layer built for it.
    var inputShape: [Int]
    var layer: Layer
    /// Whether it is the model's last layer.
    var isLast: Bool
    /// The statement as `show` lists it, for comments in the scripts.
    var text: String

    /// Whether the PyTorch script leaves this activation out: the last layer gives logits, and
    /// the loss and `predict` apply its softmax or sigmoid.
    func leavesToTheTorchLoss(_ activation: Activation) -> Bool {
        isLast && (activation == .softmax || activation == .sigmoid)
    }
}

/// The running value of an ONNX graph between layers: the tensor's name and whether it is
/// channels-first (ONNX's convolutions and pools are NCHW; dl's images are NHWC).
struct ONNXLayerInput {
    var name: String
    var channelsFirst: Bool
}

/// Every layer kind, in the order `help` lists their statements.
enum LayerKinds {
    static let all: [any LayerKind.Type] = [
        DenseKind.self, ConvKind.self, PoolKind.self, FlattenKind.self, DropoutKind.self,
        BatchNormKind.self, ActivationKind.self,
        Conv1DKind.self, Pool1DKind.self, GlobalPoolKind.self,
        LSTMKind.self, GRUKind.self, SimpleRNNKind.self,
    ]

    /// The kind a saved model's record names, with its settings; nil when unknown or invalid.
    static func kind(of record: LayerRecord) -> (any LayerKind)? {
        all.first { $0.recordName == record.layer }.flatMap { $0.init(record: record) }
    }
}

/// The command of every layer statement: decodes the kind's settings and appends the layer.
struct AddLayer<Kind: LayerKind>: Command {
    let kind: Kind
    let arguments: Arguments

    init(_ args: Arguments) {
        kind = Kind(args)
        arguments = args
    }

    func check() throws { try Kind.check(arguments) }

    func run(in session: Session) throws { session.addLayer(kind, at: arguments.statement.range) }

    func explain(in session: Session) -> [String] { session.explainLayer() }
}

extension LayerContext {
    /// Every layer of a built network with its kind: its name, the shape it receives.
    static func all(spec: ModelSpec, network: Network) -> [(kind: any LayerKind, context: LayerContext)] {
        var shape = network.inputShape
        let names = ModelFile.layerNames(spec.layers)
        return zip(spec.layers, network.layers).enumerated().map { index, pair in
            let (entry, layer) = pair
            defer { shape = layer.outputShape }
            return (entry.kind, LayerContext(name: names[index], inputShape: shape, layer: layer,
                                             isLast: index == spec.layers.count - 1, text: entry.text))
        }
    }
}
