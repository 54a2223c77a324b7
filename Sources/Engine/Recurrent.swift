import DLCore
import Dispatch

/// What a recurrent layer hands on: its state after the last step (Keras's default,
/// `return_sequences=False`) or its state after every step.
public enum RecurrentReturn: String, CaseIterable, Sendable {
    case last, sequences
}

/// The part every recurrent layer (`LSTM`, `GRU`, `SimpleRNN`) shares: shapes, weights as Keras
/// lays them out (kernel [in, gates*units], recurrent kernel [units, gates*units], bias), the
/// input projection of all steps in one product, the loop over steps and back (backpropagation
/// through time), and the weight gradients, each one product over all steps. A cell supplies
/// its step: one product of the previous state with the recurrent kernel, then its gates in one
/// pass over the buffer, and the same backwards.
///
/// Inside, buffers are time-major ([steps, batch, ...]), so one step's rows are contiguous for
/// its product and all steps together form one matrix for the weight gradients. The state
/// before the first step is zero (Keras's and PyTorch's default) and is stored as slot 0.
public class RecurrentLayer: Layer, InputGradientOptional {
    public let units: Int
    public let returns: RecurrentReturn
    /// Gates per unit: 4 (LSTM: i, f, c, o), 3 (GRU: z, r, h), 1 (SimpleRNN).
    let gateCount: Int
    /// The layer's name in messages ("lstm").
    let statementName: String
    public var kind: String { preconditionFailure("a recurrent cell names its kind") }
    public private(set) var outputShape: [Int] = []
    public internal(set) var parameters: [Parameter] = []
    /// When false, `backward` fills parameter gradients only (the trainer's first layer).
    var computesInputGradient = true

    /// Steps and channels per sample; set by build.
    public private(set) var steps = 0
    public private(set) var inputSize = 0
    /// Gate columns: gates x units.
    var width: Int { gateCount * units }

    // Reused buffers, time-major; they grow with the largest batch and never shrink.
    let inputByStep = GrowingBuffer()      // x: [steps, batch, in]
    let gates = GrowingBuffer()            // x W, then the gates' activations: [steps, batch, width]
    let hidden = GrowingBuffer()           // h: [steps + 1, batch, units]; slot 0 is the zero start
    let gradGates = GrowingBuffer()        // dL/d(x W + b): [steps, batch, width]
    let gradHidden = GrowingBuffer()       // dL/dh flowing back to the step before: [batch, units]
    let gradInputByStep = GrowingBuffer()  // dL/dx: [steps, batch, in]
    private(set) var output = Tensor(shape: [0])     // [batch, units] or [batch, steps, units]
    private(set) var gradInput = Tensor(shape: [0])  // [batch, steps, in]
    private let skippedGradient = Tensor(shape: [0])
    /// Rows of the last training forward pass, until backward consumes it.
    private var trainedBatch: Int?

    init(units: Int, returns: RecurrentReturn, gateCount: Int, statementName: String) {
        self.units = units
        self.returns = returns
        self.gateCount = gateCount
        self.statementName = statementName
    }

    var kernel: Parameter { parameters[0] }
    var recurrentKernel: Parameter { parameters[1] }
    var bias: Parameter { parameters[2] }

    // MARK: - What a cell supplies

    /// Its bias, Keras's initial value ([width], or GRU's [2, width]).
    func initialBias() -> Tensor { Tensor(shape: [width]) }
    /// Floats per sample of the cell's own buffers, beside the shared ones (for `footprint`).
    func cellFloatsPerSample(steps: Int) -> (inference: Int, training: Int) { (0, 0) }
    /// Sizes the cell's own buffers for `batch` rows.
    func reserveCellBuffers(batch: Int) {}
    /// Step t for the batch rows `rows`: `gates[t]` holds x_t W; adds h_{t-1} R, applies the gates
    /// and writes h_t to `hidden[t + 1]`. Touches only those rows (another thread runs the others).
    func forwardStep(_ t: Int, batch: Int, rows: Range<Int>) { preconditionFailure("a recurrent cell runs its step") }
    /// Step t backwards for the batch rows `rows`: `gradHidden` holds dL/dh_t; fills `gradGates[t]`
    /// and leaves dL/dh_{t-1} in `gradHidden` (not needed at t = 0). Touches only those rows.
    func backwardStep(_ t: Int, batch: Int, rows: Range<Int>) { preconditionFailure("a recurrent cell runs its step") }
    /// Starts the backward pass (LSTM zeroes its carried cell gradient).
    func startBackward(batch: Int) {}
    /// dL/d(h R + recurrent bias) over all steps, [steps, batch, width]: the recurrent kernel's
    /// gradient source (the input side's for LSTM and SimpleRNN, GRU's own for its reset gate).
    var gradRecurrentGates: UnsafeMutablePointer<Float> { gradGates.base }
    /// Fills the bias gradient from the gate gradients of `rows` rows (steps x batch).
    func fillBiasGradient(rows: Int) {
        bias.gradient.data.withUnsafeMutableBufferPointer { db in
            db.update(repeating: 0)
            columnSums(gradGates.base, rows: rows, width: width, into: db.baseAddress!)
        }
    }

    // MARK: - Build

    private func checkedInputShape(_ inputShape: [Int]) throws -> (steps: Int, channels: Int) {
        guard units > 0 else {
            throw LayerError(.invalidSetting(layer: statementName, expected: "at least one unit", received: "\(units)"))
        }
        guard inputShape.count == 2 else {
            throw LayerError(.expectedSeries(layer: statementName, received: inputShape))
        }
        guard inputShape[0] > 0, inputShape[1] > 0 else {
            throw LayerError(.invalidSetting(layer: statementName, expected: "at least one step and one channel",
                                             received: describeShape(inputShape)))
        }
        return (inputShape[0], inputShape[1])
    }

    public func footprint(inputShape: [Int]) throws -> LayerFootprint {
        let (steps, channels) = try checkedInputShape(inputShape)
        let outputShape = returns == .last ? [units] : [steps, units]
        let outputs = outputShape.reduce(1, *)
        let cell = cellFloatsPerSample(steps: steps)
        let parameters = channels * width + units * width + initialBias().count
        return LayerFootprint(outputShape: outputShape, parameters: parameters, buffers: [
            .init(floatsPerSample: steps * channels + steps * width + (steps + 1) * units + outputs + cell.inference, use: .output),
            .init(floatsPerSample: steps * width + units + cell.training, use: .training),
            .init(floatsPerSample: 2 * steps * channels, use: .inputGradient),
        ])
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws {
        (steps, inputSize) = try checkedInputShape(inputShape)
        outputShape = returns == .last ? [units] : [steps, units]
        output = Tensor(shape: [0] + outputShape)
        gradInput = Tensor(shape: [0] + inputShape)
        // Keras: glorot_uniform over the kernel's [in, width], orthogonal recurrent kernel.
        let limit = (6.0 / Double(inputSize + width)).squareRoot()
        var kernelValue = Tensor(shape: [inputSize, width])
        for i in kernelValue.data.indices { kernelValue.data[i] = Float(rng.uniform(-limit, limit)) }
        parameters = [Parameter(name: "kernel", value: kernelValue),
                      Parameter(name: "recurrent_kernel", value: orthogonalMatrix(rows: units, columns: width, rng: &rng)),
                      Parameter(name: "bias", value: initialBias())]
    }

    // MARK: - Forward

    // x: [batch, steps, in] -> y: [batch, units] (last) or [batch, steps, units] (sequences)
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(!parameters.isEmpty, "\(statementName) used before build")
        precondition(input.columns == steps * inputSize || input.rows == 0,
                     "\(statementName) expects \(steps)x\(inputSize) per sample but got \(input.columns)")
        let batch = input.rows
        reserve(batch: batch)
        output.resize(rows: batch)
        trainedBatch = training ? batch : nil
        guard batch > 0 else { return output }
        let (steps, inSize, width, units) = (self.steps, inputSize, self.width, self.units)

        input.data.withUnsafeBufferPointer { x in
            transposeBatchAndSteps(x.baseAddress!, batch: batch, steps: steps, width: inSize, into: inputByStep.base)
        }
        // The input projection of every step at once: [steps*batch, in] x [in, width].
        kernel.value.data.withUnsafeBufferPointer { w in
            sgemm(transposeA: false, transposeB: false, m: steps * batch, n: width, k: inSize,
                  a: inputByStep.base, lda: inSize, b: w.baseAddress!, ldb: width, c: gates.base, ldc: width)
        }
        hidden.base.update(repeating: 0, count: batch * units)
        forEachRecurrencePart(batch: batch) { part in
            for t in 0..<steps { forwardStep(t, batch: batch, rows: part) }
        }

        output.data.withUnsafeMutableBufferPointer { y in
            switch returns {
            case .last:
                y.baseAddress!.update(from: hidden.base + steps * batch * units, count: batch * units)
            case .sequences:
                transposeBatchAndSteps(hidden.base + batch * units, batch: steps, steps: batch, width: units,
                                       into: y.baseAddress!)
            }
        }
        return output
    }

    // MARK: - Backward (through time)

    // dL/dy: [batch, units] or [batch, steps, units] -> dL/dx: [batch, steps, in]; fills the
    // kernel's, the recurrent kernel's and the bias's gradients.
    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let batch = trainedBatch else {
            preconditionFailure("\(statementName) backward without a training forward pass before it")
        }
        trainedBatch = nil
        precondition(gradOutput.rows == batch && gradOutput.columns == outputShape.reduce(1, *),
                     "\(statementName) backward expects [\(batch)] + \(outputShape) but got \(gradOutput.shape)")
        let (steps, inSize, width, units) = (self.steps, inputSize, self.width, self.units)
        let rows = steps * batch
        if batch > 0 {
            startBackward(batch: batch)
            gradOutput.data.withUnsafeBufferPointer { g in
                let dh = gradHidden.base, dy = g.baseAddress!
                let returns = self.returns
                forEachRecurrencePart(batch: batch) { part in
                    let first = part.lowerBound * units, count = part.count * units
                    for t in stride(from: steps - 1, through: 0, by: -1) {
                        // dL/dh_t: what flows back from step t + 1, plus what the output gives directly.
                        switch returns {
                        case .last:
                            if t == steps - 1 { (dh + first).update(from: dy + first, count: count) }
                        case .sequences:
                            if t == steps - 1 { (dh + first).update(repeating: 0, count: count) }
                            for b in part {
                                let source = dy + (b * steps + t) * units, target = dh + b * units
                                for u in 0..<units { target[u] += source[u] }
                            }
                        }
                        backwardStep(t, batch: batch, rows: part)
                    }
                }
            }
        }
        // dW = x^T dz over all steps: [in, steps*batch] x [steps*batch, width].
        kernel.gradient.data.withUnsafeMutableBufferPointer { dw in
            if rows == 0 { dw.update(repeating: 0); return }
            sgemm(transposeA: true, transposeB: false, m: inSize, n: width, k: rows,
                  a: inputByStep.base, lda: inSize, b: gradGates.base, ldb: width, c: dw.baseAddress!, ldc: width)
        }
        // dR = h_{t-1}^T dz_t over all steps: the states of slots 0..<steps are h_{-1} .. h_{steps-2}.
        recurrentKernel.gradient.data.withUnsafeMutableBufferPointer { dr in
            if rows == 0 { dr.update(repeating: 0); return }
            sgemm(transposeA: true, transposeB: false, m: units, n: width, k: rows,
                  a: hidden.base, lda: units, b: gradRecurrentGates, ldb: width, c: dr.baseAddress!, ldc: width)
        }
        fillBiasGradient(rows: rows)

        guard computesInputGradient else { return skippedGradient }
        gradInput.resize(rows: batch)
        guard batch > 0 else { return gradInput }
        // dx = dz W^T: [steps*batch, width] x [width, in], then back to batch-major.
        kernel.value.data.withUnsafeBufferPointer { w in
            sgemm(transposeA: false, transposeB: true, m: rows, n: inSize, k: width,
                  a: gradGates.base, lda: width, b: w.baseAddress!, ldb: width, c: gradInputByStep.base, ldc: inSize)
        }
        gradInput.data.withUnsafeMutableBufferPointer { dx in
            transposeBatchAndSteps(gradInputByStep.base, batch: steps, steps: batch, width: inSize, into: dx.baseAddress!)
        }
        return gradInput
    }

    private func reserve(batch: Int) {
        inputByStep.reserve(steps * batch * inputSize)
        gates.reserve(steps * batch * width)
        hidden.reserve((steps + 1) * batch * units)
        gradGates.reserve(steps * batch * width)
        gradHidden.reserve(batch * units)
        gradInputByStep.reserve(steps * batch * inputSize)
        reserveCellBuffers(batch: batch)
    }

    // MARK: - Shared pieces of the steps

    /// Runs `body` over the batch's rows in two fixed halves (one part below
    /// `recurrenceSplitMinimum` rows), at once on two threads when there are two cores, else one
    /// after the other. Each sample's recurrence is independent of the others', so each half runs
    /// all its steps without waiting for the other; the cut depends only on the batch, never on
    /// the thread count, so results are the same on one thread or two.
    func forEachRecurrencePart(batch: Int, _ body: (Range<Int>) -> Void) {
        guard batch >= recurrenceSplitMinimum else { body(0..<batch); return }
        let half = batch / 2
        // The per-step products run with `onWorker`, on their own thread.
        prepareBlasForWorkers()
        if parallelParts > 1 {
            DispatchQueue.concurrentPerform(iterations: 2) { part in body(part == 0 ? 0..<half : half..<batch) }
        } else {
            body(0..<half)
            body(half..<batch)
        }
    }

    /// The recurrent product of step t for the batch rows `rows` into `target` (step t's
    /// [batch, width] buffer; only those rows): h_{t-1} R, added to what is there when
    /// `accumulate`, else written. Step 0's state is zero, so it adds nothing.
    func multiplyRecurrent(_ t: Int, batch: Int, rows: Range<Int>, into target: UnsafeMutablePointer<Float>,
                           accumulate: Bool) {
        let c = target + rows.lowerBound * width
        guard t > 0 else {
            if !accumulate { c.update(repeating: 0, count: rows.count * width) }
            return
        }
        recurrentKernel.value.data.withUnsafeBufferPointer { r in
            sgemm(transposeA: false, transposeB: false, m: rows.count, n: width, k: units,
                  a: hidden.base + (t * batch + rows.lowerBound) * units, lda: units, b: r.baseAddress!, ldb: width,
                  beta: accumulate ? 1 : 0, c: c, ldc: width, onWorker: true)
        }
    }

    /// dL/dh_{t-1} = dz_t R^T for the batch rows `rows` from the recurrent-side gradients of step
    /// t (`gradRecurrent`: the step's [batch, width]), added to `gradHidden` when `accumulate`,
    /// else written there.
    func backpropagateRecurrent(_ gradRecurrent: UnsafePointer<Float>, batch: Int, rows: Range<Int>, accumulate: Bool) {
        recurrentKernel.value.data.withUnsafeBufferPointer { r in
            sgemm(transposeA: false, transposeB: true, m: rows.count, n: units, k: width,
                  a: gradRecurrent + rows.lowerBound * width, lda: width, b: r.baseAddress!, ldb: width,
                  beta: accumulate ? 1 : 0, c: gradHidden.base + rows.lowerBound * units, ldc: units, onWorker: true)
        }
    }
}

/// Batches from this many rows run their recurrence in two halves (`forEachRecurrencePart`):
/// below it a half's products are too small to repay the second thread's hand-off.
let recurrenceSplitMinimum = 16

/// `target[t, b, :] = source[b, t, :]` for rows of `width` floats ([batch, steps, width] to
/// [steps, batch, width]; called with batch and steps swapped it goes back).
func transposeBatchAndSteps(_ source: UnsafePointer<Float>, batch: Int, steps: Int, width: Int,
                            into target: UnsafeMutablePointer<Float>) {
    for b in 0..<batch {
        for t in 0..<steps {
            (target + (t * batch + b) * width).update(from: source + (b * steps + t) * width, count: width)
        }
    }
}

/// Float storage that grows with the largest batch and never shrinks, for the time-major
/// buffers ([steps, batch, ...]) that `Tensor.resize(rows:)` cannot resize: it allocates only
/// when a batch is larger than every one before it.
final class GrowingBuffer {
    private(set) var base: UnsafeMutablePointer<Float>
    private(set) var capacity = 0

    init() { base = .allocate(capacity: 1) }
    deinit { base.deallocate() }

    func reserve(_ count: Int) {
        guard count > capacity else { return }
        base.deallocate()
        base = .allocate(capacity: count)
        base.initialize(repeating: 0, count: count)
        capacity = count
    }
}

/// A [rows, columns] matrix with orthonormal rows (or columns, whichever are fewer), Keras's
/// `Orthogonal` initialiser: the Q of a QR factorisation of a normal matrix, signs fixed so R's
/// diagonal is positive (Gram-Schmidt gives that directly), transposed to the wide side.
func orthogonalMatrix(rows: Int, columns: Int, rng: inout SeededRandom) -> Tensor {
    let (long, short) = (max(rows, columns), min(rows, columns))
    // `short` vectors of length `long`, orthonormalised in Double.
    var vectors = (0..<short).map { _ in (0..<long).map { _ in rng.normal() } }
    for i in 0..<short {
        for _ in 0..<2 {  // twice is enough (Giraud et al.): the vectors stay orthogonal to round-off
            for j in 0..<i {
                var dot = 0.0
                for k in 0..<long { dot += vectors[i][k] * vectors[j][k] }
                for k in 0..<long { vectors[i][k] -= dot * vectors[j][k] }
            }
        }
        var norm = 0.0
        for k in 0..<long { norm += vectors[i][k] * vectors[i][k] }
        norm = norm.squareRoot()
        for k in 0..<long { vectors[i][k] /= norm }
    }
    var result = Tensor(shape: [rows, columns])
    for i in 0..<short {
        for k in 0..<long {
            // Wide (rows < columns): the vectors are the rows; tall: they are the columns.
            let index = rows < columns ? i * columns + k : k * columns + i
            result.data[index] = Float(vectors[i][k])
        }
    }
    return result
}
