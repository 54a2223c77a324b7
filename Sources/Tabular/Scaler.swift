/// How features are rescaled before training.
public enum ScalingMethod: String, CaseIterable, Sendable {
    case minmax, standard, none
}

/// Per-feature affine rescaling fitted on training rows: x' = (x - offset) * scale.
public struct Scaler: Equatable, Sendable {
    public let method: ScalingMethod
    /// Per feature.
    public var offsets: [Float]
    /// Per feature.
    public var scales: [Float]
    /// The features that took one value on the fitting rows: they map to 0 (minmax) or are
    /// only centred (standard) instead of being divided by zero. A fact about the fit, not
    /// part of the transform, so equality leaves it out.
    public var constantFeatures: [Int] = []

    public init(method: ScalingMethod, offsets: [Float], scales: [Float], constantFeatures: [Int] = []) {
        self.method = method
        self.offsets = offsets
        self.scales = scales
        self.constantFeatures = constantFeatures
    }

    public static func == (a: Scaler, b: Scaler) -> Bool {
        a.method == b.method && a.offsets == b.offsets && a.scales == b.scales
    }

    /// The scaling of 8-bit pixels: 0-255 onto 0-1 for every one of `count` features, fitted
    /// on nothing, so every image (training, test, new) is scaled alike, as Keras's
    /// `Rescaling(1/255)` does. A minmax scaler, so saved models and exports read it as one.
    public static func pixels(count: Int) -> Scaler {
        Scaler(method: .minmax, offsets: [Float](repeating: 0, count: count), scales: [Float](repeating: 1 / 255, count: count))
    }

    /// Fits on the given rows only (the training rows), ignoring NaN cells.
    /// minmax maps the rows' min..max onto 0...1 (a constant column maps to 0, as in
    /// scikit-learn); standard subtracts the mean and divides by the population std
    /// (std 0 gives scale 1); none is the identity. A column with no values is left as is.
    public static func fit(_ method: ScalingMethod, features: [Float], featureCount: Int, rows: [Int]) -> Scaler {
        fit(method, features: FeatureMatrix(rows: features, rowCount: featureCount == 0 ? 0 : features.count / featureCount,
                                            featureCount: featureCount), rows: rows)
    }

    /// The same, reading the features a column at a time.
    public static func fit(_ method: ScalingMethod, features matrix: FeatureMatrix, rows: [Int]) -> Scaler {
        let featureCount = matrix.featureCount
        var offsets = [Float](repeating: 0, count: featureCount)
        var scales = [Float](repeating: 1, count: featureCount)
        guard method != .none else { return Scaler(method: method, offsets: offsets, scales: scales) }
        var constant: [Int] = []
        for c in 0..<featureCount {
            let features = matrix.column(c)
            var low = Double.infinity, high = -Double.infinity
            var sum = 0.0, n = 0
            for r in rows {
                let x = features[r]
                guard !x.isNaN else { continue }
                low = min(low, Double(x)); high = max(high, Double(x))
                sum += Double(x); n += 1
            }
            guard n > 0 else { continue }
            if low == high { constant.append(c) }
            switch method {
            case .minmax:
                offsets[c] = Float(low)
                scales[c] = minmaxScale(low: Float(low), high: Float(high))
            case .standard:
                let mean = sum / Double(n)
                var squares = 0.0
                for r in rows {
                    let x = features[r]
                    if !x.isNaN { squares += (Double(x) - mean) * (Double(x) - mean) }
                }
                let std = (squares / Double(n)).squareRoot()
                offsets[c] = Float(mean)
                scales[c] = std > 0 ? Float(1 / std) : 1
            case .none:
                break
            }
        }
        return Scaler(method: method, offsets: offsets, scales: scales, constantFeatures: constant)
    }

    /// 1 / (high - low), nudged so that the Float arithmetic of `transform` sends `high` to
    /// at most 1 (exactly 1 where possible): rounding is monotonic, so every value between
    /// low and high then lands in 0...1.
    private static func minmaxScale(low: Float, high: Float) -> Float {
        let range = high - low
        guard range > 0, range.isFinite else { return 1 }
        var scale = 1 / range
        while range * scale > 1 { scale = scale.nextDown }
        while range * scale.nextUp <= 1 { scale = scale.nextUp }
        return scale
    }

    /// Rescales all rows in place (`features.count` a multiple of the feature count).
    public func transform(_ features: inout [Float]) {
        let width = offsets.count
        guard width > 0, method != .none else { return }
        precondition(features.count % width == 0, "features must hold whole rows")
        features.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<buffer.count {
                let c = i % width
                buffer[i] = (buffer[i] - offsets[c]) * scales[c]
            }
        }
    }

    /// One row, rescaled.
    public func transform(row: [Float]) -> [Float] {
        precondition(row.count == offsets.count, "row must have one value per feature")
        guard method != .none else { return row }
        return row.indices.map { (row[$0] - offsets[$0]) * scales[$0] }
    }

    /// The inverse of `transform`, in place: x = x' / scale + offset (a regression's outputs
    /// back on the target's own scale when the target was scaled).
    public func inverseTransform(_ values: inout [Float]) {
        let width = offsets.count
        guard width > 0, method != .none else { return }
        precondition(values.count % width == 0, "values must hold whole rows")
        values.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<buffer.count {
                let c = i % width
                buffer[i] = buffer[i] / scales[c] + offsets[c]
            }
        }
    }
}
