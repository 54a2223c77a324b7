import DLCore

/// Gated recurrent unit (Keras's `GRU` with `reset_after=True`, its default, and PyTorch's
/// `nn.GRU`): per step, with the input side x_t W + b_in and the recurrent side h_{t-1} R + b_rec
/// each split into the gates z, r, h (Keras's order),
///
///     z = σ(x_z + r_z), r = σ(x_r + r_r)
///     ĥ = tanh(x_h + r ⊙ r_h)        (the reset gate applies after the product: "reset after")
///     h_t = z h_{t-1} + (1 - z) ĥ
///
/// The bias is [2, 3 units]: row 0 the input side's, row 1 the recurrent side's, both zero at first.
public final class GRU: RecurrentLayer {
    public override var kind: String { "GRU" }

    private let recurrentPart = GrowingBuffer()   // h_{t-1} R + b_rec of the current step: [batch, width]
    private let resetInput = GrowingBuffer()      // r_h = (h_{t-1} R + b_rec)_h, what r multiplies: [steps, batch, units]
    private let gradRecurrent = GrowingBuffer()   // dL/d(h R + b_rec): [steps, batch, width]
    private let zeros = GrowingBuffer()           // a zero bias for the ĥ pass, whose biases are already in: [units]

    public init(units: Int, returns: RecurrentReturn = .last) {
        super.init(units: units, returns: returns, gateCount: 3, statementName: "gru")
    }

    override func initialBias() -> Tensor { Tensor(shape: [2, width]) }

    override func cellFloatsPerSample(steps: Int) -> (inference: Int, training: Int) {
        (3 * units + steps * units, steps * 3 * units)
    }

    override func reserveCellBuffers(batch: Int) {
        recurrentPart.reserve(batch * width)
        resetInput.reserve(steps * batch * units)
        gradRecurrent.reserve(steps * batch * width)
        zeros.reserve(units)
    }

    override var gradRecurrentGates: UnsafeMutablePointer<Float> { gradRecurrent.base }

    override func fillBiasGradient(rows: Int) {
        bias.gradient.data.withUnsafeMutableBufferPointer { db in
            db.update(repeating: 0)
            columnSums(gradGates.base, rows: rows, width: width, into: db.baseAddress!)
            columnSums(gradRecurrent.base, rows: rows, width: width, into: db.baseAddress! + width)
        }
    }

    // gates[t]: [batch, 3 units] = x_t W, then z, r, ĥ.
    override func forwardStep(_ t: Int, batch: Int, rows: Range<Int>) {
        let (units, width) = (self.units, self.width)
        let x = gates.base + t * batch * width
        let recurrent = recurrentPart.base
        multiplyRecurrent(t, batch: batch, rows: rows, into: recurrent, accumulate: false)
        bias.value.data.withUnsafeBufferPointer { biasBuffer in
            let inputBias = biasBuffer.baseAddress!, recurrentBias = inputBias + width
            for b in rows {
                let row = x + b * width, rec = recurrent + b * width
                // z and r: both sides and both biases summed, then σ in place.
                for j in 0 ..< 2 * units { row[j] += rec[j] + recurrentBias[j] }
                activateGate(row, bias: inputBias, count: 2 * units, tanh: false)
                let (z, r, hh) = (row, row + units, row + 2 * units)
                let rh = resetInput.base + (t * batch + b) * units
                let hPrev = hidden.base + (t * batch + b) * units, h = hPrev + batch * units
                for u in 0..<units {
                    rh[u] = rec[2 * units + u] + recurrentBias[2 * units + u]
                    hh[u] += inputBias[2 * units + u] + r[u] * rh[u]
                }
                activateGate(hh, bias: zeros.base, count: units, tanh: true)
                for u in 0..<units { h[u] = z[u] * hPrev[u] + (1 - z[u]) * hh[u] }
            }
        }
    }

    // dL/dh_t (gradHidden) -> the input side's dL/dz into gradGates[t], the recurrent side's into
    // gradRecurrent[t], and dL/dh_{t-1} = dh z + dz_rec R^T.
    override func backwardStep(_ t: Int, batch: Int, rows: Range<Int>) {
        let (units, width) = (self.units, self.width)
        let activations = gates.base + t * batch * width
        let dx = gradGates.base + t * batch * width, drec = gradRecurrent.base + t * batch * width
        for b in rows {
            let row = activations + b * width
            let (z, r, hh) = (row, row + units, row + 2 * units)
            let dRow = dx + b * width, dRec = drec + b * width
            let rh = resetInput.base + (t * batch + b) * units
            let hPrev = hidden.base + (t * batch + b) * units
            let dh = gradHidden.base + b * units
            for u in 0..<units {
                let dzPre = dh[u] * (hPrev[u] - hh[u]) * z[u] * (1 - z[u])
                let dhhPre = dh[u] * (1 - z[u]) * (1 - hh[u] * hh[u])
                let drPre = dhhPre * rh[u] * r[u] * (1 - r[u])
                dRow[u] = dzPre; dRow[units + u] = drPre; dRow[2 * units + u] = dhhPre
                dRec[u] = dzPre; dRec[units + u] = drPre; dRec[2 * units + u] = dhhPre * r[u]
                dh[u] *= z[u]
            }
        }
        if t > 0 { backpropagateRecurrent(drec, batch: batch, rows: rows, accumulate: true) }
    }

}
