import DLCore
import Engine

/// What building or training a model would allocate, in bytes, by part: counted from the
/// engine's footprint of the layers (nothing is built), so a model that cannot fit is refused
/// with its size at the line of its heaviest layer instead of swapping or being killed.
struct MemoryEstimate {
    /// Weights, their gradients, the optimizer's state and (with early stopping) the best weights.
    var weights = 0
    /// The layers' and the trainer's buffers at `batch` rows a step.
    var activations = 0
    /// What evaluating in chunks of up to 1,024 rows adds to the buffers, and the predictions.
    var evaluation = 0
    /// The training matrices: the scaled features when not built yet, the targets, the row lists.
    var data = 0
    /// Rows a step (the `batch=` asked for, at most the training rows); nil for a build alone.
    var batch: Int?
    /// Weights and buffers of each layer, to blame the heaviest.
    var perLayer: [Int] = []
    /// Whether weights or buffers dominate in each layer, for the hint.
    var weightsDominate: [Bool] = []

    var total: Int { weights + activations + evaluation + data }

    /// The heaviest layer's index (nil without layers).
    var heaviestLayer: Int? { perLayer.indices.max { perLayer[$0] < perLayer[$1] } }

    /// "weights 1.2 GB, activations for batch 32 60.1 GB": every part, the small ones left out.
    var parts: String {
        var parts = ["\(batch == nil ? "weights and gradients" : "weights") \(describeBytes(weights))"]
        if let batch { parts.append("activations for batch \(batch) \(describeBytes(activations))") }
        if evaluation * 100 >= total { parts.append("evaluation \(describeBytes(evaluation))") }
        if data * 100 >= total { parts.append("data \(describeBytes(data))") }
        return parts.joined(separator: ", ")
    }
}

extension ModelSpec {
    /// The engine's count of what the layers would allocate for `shape`, with shape errors at
    /// the layer's line (as `initialNetwork` reports them).
    func footprint(inputShape shape: [Int]) throws -> NetworkFootprint {
        do {
            return try Network.footprint(inputShape: shape, layers: layers.map { $0.makeLayer() })
        } catch let error as NetworkBuildError {
            throw layerDiagnostic(error.problem.message, layer: error.layerIndex, hint: hint(for: error))
        }
    }

    /// Copies of the weights that training keeps: the values and their gradients, the
    /// optimizer's state (sgd none, momentum one, rmsprop one, adam two) and the best weights
    /// early stopping keeps to restore.
    static func weightCopies(_ optimizer: OptimizerKind, keepsBest: Bool) -> Int {
        let state: Int
        switch optimizer {
        case .sgd(let momentum): state = momentum == 0 ? 0 : 1
        case .nesterov, .rmsprop: state = 1
        case .adam: state = 2
        }
        return 2 + state + (keepsBest ? 1 : 0)
    }

    /// What building the network alone allocates: weights and gradients, empty buffers.
    func buildEstimate(_ footprint: NetworkFootprint) -> MemoryEstimate {
        var estimate = MemoryEstimate()
        // Trainable weights and states (batch norm's moving statistics) alike hold a value and a gradient.
        estimate.perLayer = footprint.layers.map { 8 * ($0.parameters + $0.states) }
        estimate.weightsDominate = footprint.layers.map { _ in true }
        estimate.weights = 8 * (footprint.parameterCount + footprint.stateCount)
        return estimate
    }

    /// What training `plan` on `data` allocates: the weights `weightCopies` times, the buffers at
    /// the batch and for evaluating `evaluationRows` rows, and the training matrices.
    func trainingEstimate(_ footprint: NetworkFootprint, plan: TrainingPlan, data: DataPipeline) -> MemoryEstimate {
        let trainRows = data.trainRows.count
        let held = plan.validation.map { DataPipeline.heldOut(of: trainRows, fraction: $0) } ?? 0
        let fitRows = max(trainRows - held, 0)
        let batch = max(1, min(plan.batch, fitRows))
        // `evaluate` follows on the test rows; validation rows are evaluated after every epoch.
        let evaluationRows = max(held, data.testRows.count)
        let copies = Self.weightCopies(plan.optimizer, keepsBest: plan.patience != nil && plan.restoreBest)
        var estimate = MemoryEstimate(batch: batch)
        for index in footprint.layers.indices {
            // States have a value and an unused gradient, and early stopping keeps their best too.
            let states = 4 * (2 + (plan.patience != nil && plan.restoreBest ? 1 : 0)) * footprint.layers[index].states
            let weights = 4 * copies * footprint.layers[index].parameters + states
            let training = 4 * footprint.layerBufferFloats(index, batch: batch, evaluationRows: 0)
            let buffers = 4 * footprint.layerBufferFloats(index, batch: batch, evaluationRows: evaluationRows)
            estimate.weights += weights
            estimate.activations += training
            estimate.evaluation += buffers - training
            estimate.perLayer.append(weights + buffers)
            estimate.weightsDominate.append(weights >= buffers)
        }
        estimate.activations += 4 * footprint.trainerFloats(batch: batch, evaluationRows: 0)
        estimate.evaluation += 4 * (footprint.trainerFloats(batch: batch, evaluationRows: evaluationRows)
            - footprint.trainerFloats(batch: batch, evaluationRows: 0))
        let outputs = footprint.outputShape.reduce(1, *)
        let features = footprint.inputShape.reduce(1, *)
        // Targets (one-hot or values) and labels, and the row lists of the fit and validation sets.
        estimate.data = trainRows * (4 * outputs + 8 + 8)
        if data.scaledFeaturesPending, data.dataset?.featureMatrix.bytes == nil { estimate.data += 4 * data.rowCount * features }
        return estimate
    }

    /// Throws at the heaviest layer's line when `estimate` exceeds `budget`: "`what` would need
    /// about 61.3 GB (weights …, activations for batch 32 …) but this machine has 22.8 GB available".
    func rejectUnaffordable(_ estimate: MemoryEstimate, _ what: String, budget: MemoryBudget? = .current()) throws {
        guard let budget, estimate.total > budget.bytes, let layer = estimate.heaviestLayer else { return }
        let available = budget.source.hasPrefix(MemoryBudget.variable)
            ? "\(budget.source) \(describeBytes(budget.bytes))"
            : "\(budget.source) \(describeBytes(budget.bytes)) available"
        throw layerDiagnostic("\(what) would need about \(describeBytes(estimate.total)) (\(estimate.parts)) but \(available)",
                              layer: layer, hint: memoryHint(estimate, layer: layer, budget: budget.bytes))
    }

    /// What would shrink the heaviest layer, in the language's words; a smaller batch only
    /// when one would fit (the buffers grow with the batch, the rest does not).
    private func memoryHint(_ estimate: MemoryEstimate, layer: Int, budget: Int) -> String {
        let weights = estimate.weightsDominate[layer]
        let afterImages = layers[..<layer].contains { $0.needsImages }
        var options: [String]
        switch layers[layer].kind {
        case is ConvKind:
            options = weights ? ["fewer filters"] : ["fewer filters", "pooling earlier (`pool 2x2`) to shrink the maps"]
        case is DenseKind:
            options = weights && afterImages ? ["fewer units", "pooling before `flatten` so fewer inputs reach it"] : ["fewer units"]
        default:
            options = ["fewer filters before it", "pooling earlier"]
        }
        let fixed = estimate.weights + estimate.evaluation + estimate.data
        if let batch = estimate.batch, batch > 1, estimate.activations > 0, fixed < budget {
            let fits = Int(Double(batch) * Double(budget - fixed) / Double(estimate.activations) * 0.9)
            if fits >= 1 && fits < batch { options.append("a smaller batch (`train batch=\(fits)` would fit)") }
        }
        let listed = options.count == 1 ? options[0] : options.dropLast().joined(separator: ", ") + (options.count > 2 ? ", or " : " or ") + options.last!
        return "use \(listed); `reset model` starts the layers again"
    }
}
