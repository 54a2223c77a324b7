import Engine

extension Session {
    /// The loss `train` uses, named, with where it comes from: "crossentropy (inferred from
    /// the softmax output)", "mae (chosen with `loss`)". `show` and the report print it, so a
    /// reader never has to work out which loss an output layer implies.
    var lossDescription: String {
        if let chosen = spec.loss { return "\(chosen.rawValue) (chosen with `loss`)" }
        guard let output = spec.output, let dataset else {
            return "inferred from the output layer and the target (`loss` chooses one)"
        }
        guard let loss = try? spec.resolveLoss(for: dataset) else {
            return "inferred from the output layer, once it fits the target '\(dataset.targetName)'"
        }
        switch loss {
        case .crossentropy, .binaryCrossentropy:
            return "\(loss.rawValue) (inferred from the \(output.activation.rawValue) output)"
        case .mse, .mae:
            return "\(loss.rawValue) (inferred: '\(dataset.targetName)' holds numbers, a regression)"
        }
    }
}
