import DLCore

/// The plain recurrent layer (Keras's `SimpleRNN`, PyTorch's `nn.RNN`, tanh):
/// h_t = tanh(x_t W + h_{t-1} R + b).
public final class SimpleRNN: RecurrentLayer {
    public override var kind: String { "SimpleRNN" }

    public init(units: Int, returns: RecurrentReturn = .last) {
        super.init(units: units, returns: returns, gateCount: 1, statementName: "rnn")
    }

    // gates[t]: [batch, units] = x_t W + h_{t-1} R; h_t = tanh(that + b) into hidden[t + 1].
    override func forwardStep(_ t: Int, batch: Int, rows: Range<Int>) {
        let units = self.units
        let z = gates.base + t * batch * units
        multiplyRecurrent(t, batch: batch, rows: rows, into: z, accumulate: true)
        bias.value.data.withUnsafeBufferPointer { biasBuffer in
            for b in rows {
                let row = z + b * units
                activateGate(row, bias: biasBuffer.baseAddress!, count: units, tanh: true)
            }
        }
        let first = rows.lowerBound * units
        (hidden.base + (t + 1) * batch * units + first).update(from: z + first, count: rows.count * units)
    }

    // dL/dh_t -> dz_t = dh (1 - h_t^2) into gradGates[t]; dL/dh_{t-1} = dz_t R^T.
    override func backwardStep(_ t: Int, batch: Int, rows: Range<Int>) {
        let count = batch * units
        let h = hidden.base + (t + 1) * count, dh = gradHidden.base
        let dz = gradGates.base + t * count
        for i in rows.lowerBound * units ..< rows.upperBound * units { dz[i] = dh[i] * (1 - h[i] * h[i]) }
        if t > 0 { backpropagateRecurrent(dz, batch: batch, rows: rows, accumulate: false) }
    }
}
