/// Where an epoch of training started: the network's variables (weights and layer states such
/// as batch norm's moving statistics) and the optimizer's state, copied into buffers of its own
/// that are reused from epoch to epoch. An interrupt puts them back, so a `train` stopped in its
/// epoch k leaves exactly what k - 1 epochs make. Saving copies the values (a few per epoch,
/// far fewer than an epoch's arithmetic) and moves no buffer of the network or the optimizer.
struct EpochCheckpoint {
    private var values: [[Float]] = []
    private var optimizerState = Optimizer.State()

    mutating func save(_ network: Network, _ optimizer: Optimizer) {
        let variables = network.variables
        if values.count != variables.count || zip(values, variables).contains(where: { $0.count != $1.value.count }) {
            values = variables.map { [Float](repeating: 0, count: $0.value.count) }
        }
        for (i, variable) in variables.enumerated() {
            variable.value.data.withUnsafeBufferPointer { from in
                values[i].withUnsafeMutableBufferPointer { to in
                    if let base = from.baseAddress, from.count > 0 { to.baseAddress!.update(from: base, count: from.count) }
                }
            }
        }
        optimizer.save(into: &optimizerState)
    }

    func restore(_ network: Network, _ optimizer: Optimizer) {
        for (variable, saved) in zip(network.variables, values) {
            saved.withUnsafeBufferPointer { from in
                variable.value.data.withUnsafeMutableBufferPointer { to in
                    if let base = from.baseAddress, from.count > 0 { to.baseAddress!.update(from: base, count: from.count) }
                }
            }
        }
        optimizer.restore(optimizerState)
    }
}
