import Engine

extension ModelSpec {
    /// The hint for a layer that cannot be built: a series or image layer after `flatten` gets
    /// flat features because of that flatten, so the fix is its place, not an `input` statement.
    func hint(for error: NetworkBuildError) -> String? {
        let afterFlatten = layers[..<min(error.layerIndex, layers.count)].contains { $0.kind is FlattenKind }
        switch error.problem {
        case .expectedSeries(let layer, let received) where afterFlatten && received.count == 1,
             .expectedImage(let layer, let received) where afterFlatten && received.count == 1:
            return "`flatten` before it made one row of \(received[0]) features: put `\(layer)` before `flatten` (or use `globalpool avg` instead of `flatten`)"
        default:
            return LayerProblemText.hint(error.problem)
        }
    }
}
