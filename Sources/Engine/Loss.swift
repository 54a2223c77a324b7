/// Training objective, averaged over the batch (Keras's names and reductions):
/// - crossentropy: `-sum_j y_j log p_j` per row (categorical; `p` clipped to [1e-7, 1 - 1e-7])
/// - binary_crossentropy: `-mean_j (y log p + (1 - y) log(1 - p))` per row, same clipping
/// - mse: `mean_j (p - y)^2` per row
/// - mae: `mean_j |p - y|` per row
///
/// With class weights (Keras's `class_weight`), each row's loss is multiplied by its class's
/// weight and the sum is still divided by the batch size, as Keras's default reduction does
/// (`sum_over_batch_size`): `sum_r w(y_r) loss_r / batch`. See `rowWeight`.
public enum Loss: String, CaseIterable, Sendable {
    case crossentropy
    case binaryCrossentropy = "binary_crossentropy"
    case mse, mae

    /// Keras's `epsilon()`: probabilities are clipped to [eps, 1 - eps] before taking logs.
    public static let epsilon: Float = 1e-7

    /// Whether `weights` (one per class) can weight this loss on outputs of `width` columns:
    /// crossentropy on one-hot rows (one weight per column), or binary crossentropy on one
    /// 0/1 column (weights of class 0 and class 1). Regression losses take none.
    public func accepts(classWeights weights: [Float], width: Int) -> Bool {
        switch self {
        case .crossentropy: return weights.count == width
        case .binaryCrossentropy: return width == 1 && weights.count == 2
        case .mse, .mae: return false
        }
    }

    /// The weight of the row starting at `base`, read from its targets: `sum_j y_j w_j` for
    /// one-hot rows (the weight of its class), `y w_1 + (1 - y) w_0` for a 0/1 column.
    @inline(__always)
    private func rowWeight(_ y: UnsafeBufferPointer<Float>, _ base: Int, _ width: Int, _ w: UnsafeBufferPointer<Float>) -> Float {
        if self == .binaryCrossentropy { return y[base] * w[1] + (1 - y[base]) * w[0] }
        var sum: Float = 0
        for j in 0..<width { sum += y[base + j] * w[j] }
        return sum
    }

    /// Mean loss over the batch: predictions and targets both [batch, outputs]; with
    /// `classWeights` (see `accepts(classWeights:width:)`) each row's loss is weighted by its class's.
    public func value(predictions: Tensor, targets: Tensor, classWeights: [Float]? = nil) -> Float {
        precondition(predictions.rows == targets.rows && predictions.count == targets.count,
                     "predictions \(predictions.shape) and targets \(targets.shape) differ in shape")
        let batch = predictions.rows, width = predictions.columns
        precondition(classWeights.map { accepts(classWeights: $0, width: width) } ?? true,
                     "\(classWeights?.count ?? 0) class weights do not fit \(rawValue) on \(width) outputs")
        guard batch > 0, width > 0 else { return 0 }
        let eps = Loss.epsilon
        // Rows in Float (short), the batch total in Double so large sets do not lose digits.
        var total: Double = 0
        predictions.data.withUnsafeBufferPointer { p in
            targets.data.withUnsafeBufferPointer { y in
                for r in 0..<batch {
                    let base = r * width
                    var rowSum: Float = 0
                    switch self {
                    case .crossentropy:
                        for j in 0..<width {
                            let prob = min(max(p[base + j], eps), 1 - eps)
                            rowSum -= y[base + j] * logFloat(prob)
                        }
                    case .binaryCrossentropy:
                        for j in 0..<width {
                            let prob = min(max(p[base + j], eps), 1 - eps)
                            let t = y[base + j]
                            rowSum -= t * logFloat(prob) + (1 - t) * logFloat(1 - prob)
                        }
                        rowSum /= Float(width)
                    case .mse:
                        for j in 0..<width {
                            let d = p[base + j] - y[base + j]
                            rowSum += d * d
                        }
                        rowSum /= Float(width)
                    case .mae:
                        for j in 0..<width { rowSum += abs(p[base + j] - y[base + j]) }
                        rowSum /= Float(width)
                    }
                    if let classWeights {
                        rowSum *= classWeights.withUnsafeBufferPointer { rowWeight(y, base, width, $0) }
                    }
                    total += Double(rowSum)
                }
            }
        }
        return Float(total / Double(batch))
    }

    /// True when the loss and the output activation have the simple joint gradient
    /// dL/dz = (p - y) / n: softmax + crossentropy and sigmoid + binary_crossentropy.
    public func fuses(with activation: Activation) -> Bool {
        switch (self, activation) {
        case (.crossentropy, .softmax), (.binaryCrossentropy, .sigmoid): return true
        default: return false
        }
    }

    /// dLoss/dPredictions into `gradient` (resized to the batch): predictions, targets, gradient all [batch, outputs].
    /// With `fusedWithActivation` it writes dLoss/dz instead (only valid when `fuses(with:)` holds):
    /// `(p - y) / batch` for crossentropy, `(p - y) / (batch * outputs)` for binary_crossentropy.
    /// With `classWeights`, each row's gradient is scaled by its row's weight, as its loss is.
    func gradient(predictions: Tensor, targets: Tensor, into gradient: inout Tensor, fusedWithActivation: Bool,
                  classWeights: [Float]? = nil) {
        precondition(predictions.rows == targets.rows && predictions.count == targets.count,
                     "predictions \(predictions.shape) and targets \(targets.shape) differ in shape")
        let batch = predictions.rows, width = predictions.columns
        precondition(classWeights.map { accepts(classWeights: $0, width: width) } ?? true,
                     "\(classWeights?.count ?? 0) class weights do not fit \(rawValue) on \(width) outputs")
        gradient.resize(rows: batch, likeRowsOf: predictions)
        let total = batch * width
        guard total > 0 else { return }
        let eps = Loss.epsilon
        let perRow: Float = 1 / Float(batch)
        let perElement: Float = 1 / Float(batch * width)
        predictions.data.withUnsafeBufferPointer { p in
            targets.data.withUnsafeBufferPointer { y in
                gradient.data.withUnsafeMutableBufferPointer { g in
                    defer {
                        // A second pass over the batch, through the caller's array: nothing is allocated.
                        if let classWeights {
                            classWeights.withUnsafeBufferPointer { w in
                                for r in 0..<batch {
                                    let weight = rowWeight(y, r * width, width, w)
                                    for j in 0..<width { g[r * width + j] *= weight }
                                }
                            }
                        }
                    }
                    if fusedWithActivation {
                        // The clipping is left out on purpose: it only guards the logs of the value,
                        // and the exact logit gradient stays well defined as p saturates.
                        let scale = self == .crossentropy ? perRow : perElement
                        for i in 0..<total { g[i] = (p[i] - y[i]) * scale }
                        return
                    }
                    switch self {
                    case .crossentropy:
                        // Inside the clip range d/dp(-y log p) = -y/p; outside it the clip is flat.
                        for i in 0..<total {
                            let prob = p[i]
                            g[i] = (prob < eps || prob > 1 - eps) ? 0 : -y[i] / prob * perRow
                        }
                    case .binaryCrossentropy:
                        for i in 0..<total {
                            let prob = p[i]
                            g[i] = (prob < eps || prob > 1 - eps)
                                ? 0 : (prob - y[i]) / (prob * (1 - prob)) * perElement
                        }
                    case .mse:
                        for i in 0..<total { g[i] = 2 * (p[i] - y[i]) * perElement }
                    case .mae:
                        for i in 0..<total {
                            let d = p[i] - y[i]
                            g[i] = d > 0 ? perElement : (d < 0 ? -perElement : 0)
                        }
                    }
                }
            }
        }
    }
}
