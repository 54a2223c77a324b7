import Engine

/// A layer statement as written (`dense 64 relu`, `conv 5x5 filters=6`, …), kept
/// with its place so shape and output errors can point at the line that caused it.
struct LayerEntry: Sendable {
    /// What kind of layer, with its settings (Layers/*Kind.swift).
    var kind: any LayerKind
    var range: SourceRange
    var fileName: String
    var lineText: String?

    /// The statement that declares it, as `show` lists it.
    var text: String { kind.text }
    /// Its settings as a value that compares: two models have the same architecture when
    /// their layers' records are equal.
    var record: LayerRecord { kind.record }
    func makeLayer() -> Layer { kind.makeLayer() }
    var needsImages: Bool { kind.needsImages }
    var needsSeries: Bool { kind.needsSeries }
    var kerasName: String { kind.kerasName }
    /// The activation shown by `summary` ("" for layers without one).
    var activationName: String { kind.activation?.rawValue ?? "" }
}

extension LayerContext {
    /// "8×8×1 in, 4×4×1 out, with no weights to learn.": the first line `explain` says of a
    /// layer whose weights need no sentence of their own.
    var shapeLine: String {
        let inShape = inputShape.map(String.init).joined(separator: "×"), outShape = layer.outputShape.map(String.init).joined(separator: "×")
        return "\(inShape) in, \(outShape) out, with \(layer.parameterCount == 0 ? "no weights to learn" : "\(layer.parameterCount) weights")."
    }
}
