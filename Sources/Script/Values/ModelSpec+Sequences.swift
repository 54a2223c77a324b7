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

extension ModelSpec {
    /// The fix for a layer that cannot be built: after a recurrent layer that hands on its last
    /// state only, a layer that reads series needs that layer's `return=sequences`; otherwise
    /// the problem's own hint.
    func hint(for error: NetworkBuildError) -> String? {
        let index = error.layerIndex
        if case .expectedSeries = error.problem, index > 0,
           let before = layers[index - 1].kind as? any RecurrentLayerKind, before.returns == .last {
            return "`\(layers[index - 1].text)` (line \(layers[index - 1].range.line)) hands on its last state only; "
                + "write `\(layers[index - 1].text) return=sequences` so every step reaches `\(layers[index].text)`"
        }
        // A series or image layer after `flatten` gets flat features because of that flatten: the fix is its place.
        let afterFlatten = layers[..<min(index, layers.count)].contains { $0.kind is FlattenKind }
        switch error.problem {
        case .expectedSeries(let layer, let received) where afterFlatten && received.count == 1,
             .expectedImage(let layer, let received) where afterFlatten && received.count == 1:
            return "`flatten` before it made one row of \(received[0]) features: put `\(layer)` before `flatten` (or use `globalpool avg` instead of `flatten`)"
        default:
            return LayerProblemText.hint(error.problem)
        }
    }
}
