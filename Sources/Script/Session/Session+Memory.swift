import DLCore
import Engine
import Tabular

extension Session {
    /// Refuses `train` (one plan) or `sweep` (each plan's network is kept for `use best`)
    /// when what they would allocate exceeds the memory available, before anything is built.
    /// Runs once per statement: the footprint is arithmetic on the layer specs.
    func rejectUnaffordableTraining(_ plans: [TrainingPlan], data: Dataset, sweep: Bool) throws {
        guard !layers.isEmpty, var budget = MemoryBudget.current() else { return }
        let pipeline = self.data!
        let footprint = try spec.footprint(inputShape: spec.inputShape(of: data))
        if model == nil { built = nil } // stale weights go anyway (ensureModel); free them before measuring
        var estimate = MemoryEstimate()
        for plan in plans {
            let one = spec.trainingEstimate(footprint, plan: plan, data: pipeline)
            estimate.weights += one.weights
            estimate.activations += one.activations
            estimate.evaluation += one.evaluation
            estimate.data = one.data // built once, shared by every combination
            estimate.batch = max(estimate.batch ?? 0, one.batch ?? 0)
            estimate.perLayer = estimate.perLayer.isEmpty ? one.perLayer : zip(estimate.perLayer, one.perLayer).map(+)
            estimate.weightsDominate = one.weightsDominate
        }
        if let model, !budget.source.hasPrefix(MemoryBudget.variable) {
            // The network training goes on with is already allocated: what it holds is available to it.
            let held = model.lastPlan.map { spec.trainingEstimate(footprint, plan: $0, data: pipeline) } ?? spec.buildEstimate(footprint)
            budget.bytes += held.weights + held.activations + held.evaluation
        }
        let what = sweep ? "this sweep's \(plans.count) combination\(plans.count == 1 ? "" : "s") (each kept for `use best`)"
                         : "training this model"
        try spec.rejectUnaffordable(estimate, what, budget: budget)
    }
}
