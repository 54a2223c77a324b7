/// Element-wise (or, for softmax, row-wise) non-linearity applied after a layer's affine map.
///
/// `leakyRelu` uses slope 0.01 for negative inputs, like PyTorch's `LeakyReLU`
/// (Keras's layer default is 0.3, `tf.nn.leaky_relu`'s is 0.2).
public enum Activation: String, CaseIterable, Sendable {
    case linear, relu, sigmoid, tanh, softmax
    case leakyRelu = "leaky_relu"

    /// Slope of `leakyRelu` for negative inputs.
    public static let leakySlope: Float = 0.01
}

// MARK: - Fused bias + activation (forward)

extension Activation {
    /// In place over `z` ([rows, width], pre-activation without bias):
    /// `z[r, j] = f(z[r, j] + bias[j])`, one pass per row so the row stays in cache.
    func applyWithBias(_ z: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>) {
        if width < 8 && (self == .relu || self == .linear) {
            narrowRowsWithBias(z, count: rows * width, width: width, bias: bias, relu: self == .relu)
            return
        }
        for r in 0..<rows {
            let row = z + r * width
            switch self {
            case .linear:
                for j in 0..<width { row[j] += bias[j] }
            case .relu:
                for j in 0..<width { row[j] = max(row[j] + bias[j], 0) }
            case .leakyRelu:
                for j in 0..<width {
                    let v = row[j] + bias[j]
                    row[j] = v > 0 ? v : v * Activation.leakySlope
                }
            case .sigmoid:
                for j in 0..<width { row[j] = stableSigmoid(row[j] + bias[j]) }
            case .tanh:
                for j in 0..<width { row[j] = tanhFloat(row[j] + bias[j]) }
            case .softmax:
                // Subtract the row maximum so exp never overflows.
                var largest = -Float.infinity
                for j in 0..<width {
                    row[j] += bias[j]
                    largest = max(largest, row[j])
                }
                var sum: Float = 0
                for j in 0..<width {
                    let e = expFloat(row[j] - largest)
                    row[j] = e
                    sum += e
                }
                let inverse = 1 / sum
                for j in 0..<width { row[j] *= inverse }
            }
        }
    }
}

/// `z[i] = f(z[i] + bias[i % width])` for relu or linear over rows narrower than a vector (a
/// first conv's few filters, 6 for LeNet), taken as one flat run eight lanes at a time so the
/// lanes are not left idle row by row. Lane l of the vector starting at column o adds
/// `bias[(o + l) % width]`, read from the bias repeated to 16 floats. Each scalar gets the same
/// add and the same `0 >= v ? 0 : v` as `max(v, 0)` in the row loop, so results are identical.
private func narrowRowsWithBias(_ z: UnsafeMutablePointer<Float>, count: Int, width: Int,
                                bias: UnsafePointer<Float>, relu: Bool) {
    var tiled = SIMD16<Float>()
    for t in 0..<16 { tiled[t] = bias[t % width] }
    withUnsafeBytes(of: &tiled) { repeated in
        var i = 0, column = 0
        while i + 8 <= count {
            let b = repeated.loadUnaligned(fromByteOffset: column * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
            var v = UnsafeRawPointer(z + i).loadUnaligned(as: SIMD8<Float>.self) + b
            if relu { v.replace(with: 0, where: SIMD8<Float>() .>= v) }
            UnsafeMutableRawPointer(z + i).storeBytes(of: v, as: SIMD8<Float>.self)
            i += 8
            column = (column + 8) % width
        }
        while i < count {
            let v = z[i] + bias[column]
            z[i] = relu ? max(v, 0) : v
            i += 1
            column = column + 1 == width ? 0 : column + 1
        }
    }
}

/// Logistic function evaluated without overflow for large |x|.
@inline(__always) func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + expFloat(-x)) }
    let e = expFloat(x)
    return e / (1 + e)
}

// MARK: - Derivative (backward)

extension Activation {
    /// Chain rule through the activation, using only its output `y` (all six derivatives can
    /// be written in terms of y, so layers need not keep the pre-activation):
    /// `gradPre = dL/dz` from `gradOut = dL/dy`, all three [rows, width].
    func backpropagate(output y: UnsafePointer<Float>, gradOutput g: UnsafePointer<Float>,
                       into dz: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        let total = rows * width
        switch self {
        case .linear:
            dz.update(from: g, count: total)
        case .relu:
            // y > 0 exactly when z > 0; the kink at 0 gets derivative 0 like Keras/TensorFlow.
            maskedBySign(output: y, gradOutput: g, into: dz, count: total, negativeSlope: 0)
        case .leakyRelu:
            maskedBySign(output: y, gradOutput: g, into: dz, count: total, negativeSlope: Activation.leakySlope)
        case .sigmoid:
            for i in 0..<total { dz[i] = g[i] * y[i] * (1 - y[i]) }
        case .tanh:
            for i in 0..<total { dz[i] = g[i] * (1 - y[i] * y[i]) }
        case .softmax:
            // Jacobian-vector product per row: dz = s * (g - sum(g * s)).
            for r in 0..<rows {
                let base = r * width
                var dot: Float = 0
                for j in 0..<width { dot += g[base + j] * y[base + j] }
                for j in 0..<width { dz[base + j] = y[base + j] * (g[base + j] - dot) }
            }
        }
    }

    /// `backpropagate` over a layer's kept output y and dL/dy, rows of `width`, into `dz`
    /// (sized like y already); rows are independent, so parts run on threads.
    func backpropagateRows(output y: Tensor, gradOutput gy: Tensor, into dz: inout Tensor, width: Int) {
        let rows = y.count / width
        guard rows > 0 else { return }
        gy.data.withUnsafeBufferPointer { g in
            y.data.withUnsafeBufferPointer { out in
                dz.data.withUnsafeMutableBufferPointer { d in
                    let (yBase, gBase, dBase) = (out.baseAddress!, g.baseAddress!, d.baseAddress!)
                    forEachPart(of: rows, work: rows * width) { part in
                        let offset = part.lowerBound * width
                        backpropagate(output: yBase + offset, gradOutput: gBase + offset, into: dBase + offset, rows: part.count, width: width)
                    }
                }
            }
        }
    }
}

/// `dz[i] = y[i] > 0 ? g[i] : g[i] * slope`, eight lanes at a time without branches: the
/// signs of a layer's outputs are close to random, so a per-element branch mispredicts about
/// half the time (it was the costliest loop of a conv backward pass).
@inline(__always)
private func maskedBySign(output y: UnsafePointer<Float>, gradOutput g: UnsafePointer<Float>,
                          into dz: UnsafeMutablePointer<Float>, count: Int, negativeSlope slope: Float) {
    var i = 0
    while i + 8 <= count {
        let yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
        let gv = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD8<Float>.self)
        let result = gv.replacing(with: gv * slope, where: .!(yv .> 0))
        UnsafeMutableRawPointer(dz + i).storeBytes(of: result, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        dz[i] = y[i] > 0 ? g[i] : g[i] * slope
        i += 1
    }
}
