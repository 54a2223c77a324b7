import Tabular

extension DataPipeline {
    /// The binary rule, as Keras reads `Dense(1, activation="sigmoid")`: a numeric target with
    /// exactly two distinct values is two classes when the model ends in one sigmoid unit, so
    /// the loss is binary cross-entropy. nil otherwise (then a numeric target is a regression).
    var impliedTask: LearningTask? {
        guard endsInOneSigmoid, twoTargetValues != nil else { return nil }
        return .classification
    }

    /// The two values of a numeric target that holds exactly two (missing cells aside), in order; nil otherwise.
    var twoTargetValues: (Double, Double)? {
        guard let column = table?.column(named: targetName), case .numeric(let values) = column.data else { return nil }
        var first: Double?, second: Double?
        for value in values where !value.isNaN && value != first && value != second {
            if first == nil { first = value } else if second == nil { second = value } else { return nil }
        }
        guard let first, let second else { return nil }
        return (min(first, second), max(first, second))
    }
}
