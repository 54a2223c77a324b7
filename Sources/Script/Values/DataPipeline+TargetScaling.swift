import Tabular

// `scale target standard|minmax`: a regression target rescaled for training, fitted on the
// training rows as the features' scaling is. The network learns (and its loss measures) the
// scaled values; evaluate, predict, the plots and every export map its outputs back with
// the inverse, so every figure the user sees is in the target's own units.

extension DataPipeline {
    /// The target's scaler for `method`: a saved model's (`kept`) as it was fitted, else fitted
    /// on `rows`; nil without target scaling or when the target holds classes.
    static func targetScaler(_ method: ScalingMethod, kept: Scaler?, for dataset: Dataset, rows: [Int]) -> Scaler? {
        guard method != .none, case .values(let values) = dataset.target else { return nil }
        if let kept, kept.offsets.count == 1 { return kept }
        return Scaler.fit(method, features: values, featureCount: 1, rows: rows)
    }

    /// The target values of `rows` as the network learns them (scaled by `scale target`).
    func trainingTargets(_ values: [Float], rows: [Int]) -> [Float] {
        var picked = rows.map { values[$0] }
        targetScaler?.transform(&picked)
        return picked
    }

    /// A regression network's outputs on the target's own scale.
    func targetValues(ofOutputs outputs: [Float]) -> [Float] {
        FittedPipeline.unscaled(outputs, by: targetScaler)
    }

    /// How `show` describes the target's scaling, or nil without it.
    var targetScalingDescription: String? {
        guard targetScaling != .none else { return nil }
        let fitted = keptTargetScaler != nil || restored != nil ? "as fitted for the loaded model"
                                                                : "fitted on \(fitRowsPhrase)"
        guard let scaler = targetScaler else { return "\(targetScaling.rawValue) (not applied: the target holds classes)" }
        let mapping = scaler.method == .standard
            ? "mean \(Format.general(Double(scaler.offsets[0]))), std \(Format.general(Double(1 / scaler.scales[0])))"
            : "min \(Format.general(Double(scaler.offsets[0]))), range \(Format.general(Double(1 / scaler.scales[0])))"
        return "\(targetScaling.rawValue) (\(mapping)), \(fitted); outputs are mapped back to \(targetName)'s units"
    }
}

extension FittedPipeline {
    /// A regression network's outputs on the target's own scale (the inverse of `scale target`).
    func targetValues(ofOutputs outputs: [Float]) -> [Float] { Self.unscaled(outputs, by: targetScaler) }

    static func unscaled(_ outputs: [Float], by scaler: Scaler?) -> [Float] {
        guard let scaler else { return outputs }
        var values = outputs
        scaler.inverseTransform(&values)
        return values
    }
}
