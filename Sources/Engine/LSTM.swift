import CKernels
import DLCore

/// Long short-term memory (Keras's `LSTM`, sigmoid gates, tanh cell): per step, with
/// z = x_t W + h_{t-1} R + b split into the gates i, f, c, o (Keras's order),
///
///     i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o)
///     c_t = f c_{t-1} + i g,  h_t = o tanh(c_t)
///
/// The forget gate's bias starts at 1 (Keras's `unit_forget_bias`), the others at 0.
public final class LSTM: RecurrentLayer {
    public override var kind: String { "LSTM" }

    private let cells = GrowingBuffer()       // c: [steps + 1, batch, units]; slot 0 is zero
    private let cellTanh = GrowingBuffer()    // tanh(c_t): [steps, batch, units]
    private let gradCell = GrowingBuffer()    // dL/dc flowing back to the step before: [batch, units]

    public init(units: Int, returns: RecurrentReturn = .last) {
        super.init(units: units, returns: returns, gateCount: 4, statementName: "lstm")
    }

    override func initialBias() -> Tensor {
        var bias = Tensor(shape: [width])
        for u in units ..< 2 * units { bias.data[u] = 1 }
        return bias
    }

    override func cellFloatsPerSample(steps: Int) -> (inference: Int, training: Int) {
        ((2 * steps + 1) * units, units)
    }

    override func reserveCellBuffers(batch: Int) {
        cells.reserve((steps + 1) * batch * units)
        cellTanh.reserve(steps * batch * units)
        gradCell.reserve(batch * units)
    }

    // gates[t]: [batch, 4 units] = x_t W, then i, f, g, o; h_t and c_t from them.
    override func forwardStep(_ t: Int, batch: Int, rows: Range<Int>) {
        let (units, width) = (self.units, self.width)
        let z = gates.base + t * batch * width
        if t == 0 { (cells.base + rows.lowerBound * units).update(repeating: 0, count: rows.count * units) }
        multiplyRecurrent(t, batch: batch, rows: rows, into: z, accumulate: true)
        bias.value.data.withUnsafeBufferPointer { biasBuffer in
            let bias = biasBuffer.baseAddress!
            if lstmGatesVectorized && units % 8 == 0 {
                let first = t * batch + rows.lowerBound
                dl_lstm_forward_rows(z + rows.lowerBound * width, bias, cells.base + first * units,
                                     cells.base + (first + batch) * units, cellTanh.base + first * units,
                                     hidden.base + (first + batch) * units, rows.count, units)
                return
            }
            for b in rows {
                let row = z + b * width
                let cPrev = cells.base + (t * batch + b) * units, c = cPrev + batch * units
                let tc = cellTanh.base + (t * batch + b) * units
                let h = hidden.base + ((t + 1) * batch + b) * units
                // i and f, then g, then o: one pass over the row's four segments.
                activateGate(row, bias: bias, count: 2 * units, tanh: false)
                activateGate(row + 2 * units, bias: bias + 2 * units, count: units, tanh: true)
                activateGate(row + 3 * units, bias: bias + 3 * units, count: units, tanh: false)
                let (i, f, g, o) = (row, row + units, row + 2 * units, row + 3 * units)
                var u = 0
                while u + 8 <= units {
                    let cv = loadLanes(f + u) * loadLanes(cPrev + u) + loadLanes(i + u) * loadLanes(g + u)
                    let tv = laneTanh(cv)
                    storeLanes(cv, c + u)
                    storeLanes(tv, tc + u)
                    storeLanes(loadLanes(o + u) * tv, h + u)
                    u += 8
                }
                while u < units {
                    c[u] = f[u] * cPrev[u] + i[u] * g[u]
                    tc[u] = gateTanh(c[u])
                    h[u] = o[u] * tc[u]
                    u += 1
                }
            }
        }
    }

    override func startBackward(batch: Int) {
        gradCell.base.update(repeating: 0, count: batch * units)
    }

    // dL/dh_t (gradHidden) and dL/dc_t (gradCell) -> dL/dz_t into gradGates[t], then
    // dL/dc_{t-1} = dL/dc_t f and dL/dh_{t-1} = dz_t R^T.
    override func backwardStep(_ t: Int, batch: Int, rows: Range<Int>) {
        let (units, width) = (self.units, self.width)
        let activations = gates.base + t * batch * width
        let dz = gradGates.base + t * batch * width
        if lstmGatesVectorized && units % 8 == 0 {
            let first = t * batch + rows.lowerBound
            dl_lstm_backward_rows(activations + rows.lowerBound * width, cells.base + first * units,
                                  cellTanh.base + first * units, gradHidden.base + rows.lowerBound * units,
                                  gradCell.base + rows.lowerBound * units, dz + rows.lowerBound * width,
                                  rows.count, units)
            if t > 0 { backpropagateRecurrent(dz, batch: batch, rows: rows, accumulate: false) }
            return
        }
        for b in rows {
            let row = activations + b * width, dRow = dz + b * width
            let (i, f, g, o) = (row, row + units, row + 2 * units, row + 3 * units)
            let (di, df, dg, dout) = (dRow, dRow + units, dRow + 2 * units, dRow + 3 * units)
            let cPrev = cells.base + (t * batch + b) * units
            let tc = cellTanh.base + (t * batch + b) * units
            let dh = gradHidden.base + b * units, dc = gradCell.base + b * units
            for u in 0..<units {
                let dcTotal = dc[u] + dh[u] * o[u] * (1 - tc[u] * tc[u])
                dout[u] = dh[u] * tc[u] * o[u] * (1 - o[u])
                di[u] = dcTotal * g[u] * i[u] * (1 - i[u])
                dg[u] = dcTotal * i[u] * (1 - g[u] * g[u])
                df[u] = dcTotal * cPrev[u] * f[u] * (1 - f[u])
                dc[u] = dcTotal * f[u]
            }
        }
        if t > 0 { backpropagateRecurrent(dz, batch: batch, rows: rows, accumulate: false) }
    }
}

/// Whether the LSTM's gate passes run in CKernels' AVX2 vectors (same operations, same bits as
/// the Swift lanes here, which compile for baseline x86-64 at half the width).
var lstmGatesVectorized: Bool { dl_direct_conv_vectorized() != 0 }
