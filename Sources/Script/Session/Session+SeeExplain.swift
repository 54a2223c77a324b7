import Engine

// `explain on` after `features`, `plot units` and `plot activations`: a first line in the
// session's own numbers, before the lines on how to read the picture.
extension Session {
    /// "Added x1*x2, x1^2 (7 features now); on the training rows x1*x2 runs from -0.52 to 0.49 …"
    func featuresSummary() -> String? {
        guard let data, let dataset = data.dataset,
              case .features(let crosses)? = data.steps.last(where: { if case .features = $0 { return true } else { return false } }),
              let first = crosses.first, let index = dataset.featureNames.firstIndex(of: first.name) else { return nil }
        let values = trainRows.map { Double(dataset.featureMatrix[$0, index]) }.filter(\.isFinite)
        guard let lo = values.min(), let hi = values.max() else { return nil }
        return "Added \(crosses.map(\.name).joined(separator: ", ")) (\(dataset.featureCount) features now): on the \(trainRows.count) training rows "
            + "\(first.name) runs from \(Format.fixed(lo, 3)) to \(Format.fixed(hi, 3)), a new input the first layer weighs like any other."
    }

    /// "The first hidden layer (dense 6 tanh) has 6 units, each a straight border; 1 of them is 0 everywhere."
    func unitsSummary() -> [String] {
        let hidden = layers.dropLast().filter { $0.kind is DenseKind }
        guard let first = hidden.first, let units = first.kind.outputUnits else { return [] }
        var line = "The first hidden layer (\(first.text)) has \(units) unit\(units == 1 ? "" : "s"), each a straight border through the plane"
        line += hidden.count > 1 ? "; the \(hidden.count - 1) layer\(hidden.count == 2 ? "" : "s") after it bend\(hidden.count == 2 ? "s" : "") them into the curves of the output column." : "; the output column combines them."
        return [line]
    }

    /// "conv 3x3 filters=8 pad=same relu gives 8 maps of 8x8; pool 2x2 max halves them to 4x4."
    func mapsSummary() -> [String] {
        guard let network else { return [] }
        let parts = zip(layers, network.layers).compactMap { entry, layer -> String? in
            guard entry.kind is ConvKind || entry.kind is PoolKind, layer.outputShape.count == 3 else { return nil }
            let shape = layer.outputShape
            return "\(entry.text) gives \(shape[2]) map\(shape[2] == 1 ? "" : "s") of \(shape[0])x\(shape[1])"
        }
        return parts.isEmpty ? [] : [parts.joined(separator: "; ") + "."]
    }
}
