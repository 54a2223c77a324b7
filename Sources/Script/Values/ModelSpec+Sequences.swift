import Engine
import Tabular

extension ModelSpec {
    /// Refuses an output layer that gives one prediction per step (a dense layer after
    /// `return=sequences`, which Keras's Dense applies at every step) when the target has one
    /// value per series: the loss compares one row of outputs with one label.
    func checkOneOutputPerSeries(for data: Dataset) throws {
        guard !layers.isEmpty, let shape = try? footprint(inputShape: inputShape(of: data)).outputShape, shape.count == 2 else { return }
        let last = layers.count - 1
        let perSeries: String
        if case .classes(_, let names) = data.target { perSeries = "one of \(names.count) classes" } else { perSeries = "one number" }
        var message = "the output layer `\(layers[last].text)` gives \(shape[0])x\(shape[1]) per series, one row per step"
        let sequences = layers.lastIndex { ($0.kind as? any RecurrentLayerKind)?.returns == .sequences }
        if let sequences { message += " (`\(layers[sequences].text)`, line \(layers[sequences].range.line), hands on every step)" }
        message += ", but '\(data.targetName)' has \(perSeries) per series"
        let hint: String
        if let sequences, let kind = layers[sequences].kind as? any RecurrentLayerKind,
           !layers[(sequences + 1)...].contains(where: { $0.kind is any RecurrentLayerKind }) {
            hint = "hand on the last step only: `\(type(of: kind).cell.statementName) \(kind.units)` (return=last is the default), or `flatten` before the output layer"
        } else {
            hint = "end the steps before the output layer: a recurrent layer with return=last, or `flatten`"
        }
        throw layerDiagnostic(message, layer: last, hint: hint)
    }
}
