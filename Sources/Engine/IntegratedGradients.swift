import DLCore

/// Integrated gradients (Sundararajan, Taly and Yan, 2017) of one output unit along the
/// straight path from a baseline to an input: attribution_i = (x_i - b_i) * the mean of
/// dF/dx_i over the path, the mean taken by the trapezoid rule. Completeness says the
/// attributions add up to F(x) - F(b). On each interval of the path the trapezoid's share,
/// the mean directional derivative times the interval's length, should equal the rise of F
/// across it; the intervals where it does not (a ReLU switching inside, a steep curve) are
/// halved, and halved again, until the shares add up to within the tolerance. Uniform steps
/// would need thousands of points to pin down a few kinks that bisection finds in a dozen.
public struct IntegratedGradients {
    /// One attribution per input scalar (in the input's layout).
    public let attributions: [Double]
    /// F(x) and F(b): the unit's output at the input and at the baseline.
    public let output: Double
    public let baselineOutput: Double
    /// Intervals of the trapezoid rule at the end.
    public let steps: Int

    /// The attributions' sum minus (F(x) - F(b)).
    public var completenessGap: Double { attributions.reduce(0, +) - (output - baselineOutput) }

    /// `input` and `baseline` hold one sample each (the network's per-sample input shape).
    /// Starts with `steps` equal intervals and halves the ones that disagree with F until the
    /// disagreements add up to at most `tolerance` or the path has `maxSteps` intervals.
    public init(network: Network, input x: [Float], baseline b: [Float], unit: Int,
                steps: Int = 64, maxSteps: Int = 8192, tolerance: Double = 2e-4) {
        precondition(x.count == b.count, "input and baseline differ in size")
        let size = x.count
        let direction = (0..<size).map { Double(x[$0]) - Double(b[$0]) }
        // Points of the path, sorted by alpha: F there and its gradient.
        var alphas = (0...max(1, steps)).map { Double($0) / Double(max(1, steps)) }
        var (values, gradients) = Self.evaluate(network, x, b, unit, alphas)
        func derivative(_ k: Int) -> Double {
            var d = 0.0
            for i in 0..<size { d += Double(gradients[k][i]) * direction[i] }
            return d
        }
        var slopes = (0..<alphas.count).map(derivative)
        while true {
            // Trapezoid share minus the rise of F, per interval.
            var mismatch: [Double] = []
            for k in 0..<(alphas.count - 1) {
                let share: Double = (slopes[k] + slopes[k + 1]) / 2 * (alphas[k + 1] - alphas[k])
                let rise: Double = values[k + 1] - values[k]
                mismatch.append(share - rise)
            }
            // Stop when the shares add up (and no two large errors merely cancel). F is a
            // 32-bit float: disagreements below its rounding are noise, not kinks.
            let gap = abs(mismatch.reduce(0, +)), largest = mismatch.map(abs).max() ?? 0
            guard gap > tolerance || largest > tolerance, alphas.count - 1 < maxSteps else { break }
            let noise = 4e-7 * (1 + values.map(abs).max()!)
            var bad = mismatch.indices.filter { abs(mismatch[$0]) > noise && alphas[$0 + 1] - alphas[$0] > 1e-9 }
            if bad.isEmpty { break }
            bad = Array(bad.sorted { abs(mismatch[$0]) > abs(mismatch[$1]) }.prefix(maxSteps - (alphas.count - 1)))
            let middles: [Double] = bad.map { (k: Int) -> Double in (alphas[k] + alphas[k + 1]) / 2 }
            let (newValues, newGradients) = Self.evaluate(network, x, b, unit, middles)
            var merged = Array(zip(alphas, zip(values, gradients)))
            for (k, alpha) in middles.enumerated() { merged.append((alpha, (newValues[k], newGradients[k]))) }
            merged.sort { $0.0 < $1.0 }
            alphas = merged.map(\.0)
            values = merged.map(\.1.0)
            gradients = merged.map(\.1.1)
            slopes = (0..<alphas.count).map(derivative)
        }
        var sums = [Double](repeating: 0, count: size)
        for k in 0..<(alphas.count - 1) {
            let half = (alphas[k + 1] - alphas[k]) / 2
            for i in 0..<size { sums[i] += half * (Double(gradients[k][i]) + Double(gradients[k + 1][i])) }
        }
        attributions = (0..<size).map { direction[$0] * sums[$0] }
        output = values[values.count - 1]
        baselineOutput = values[0]
        self.steps = alphas.count - 1
    }

    /// F and dF/dx at b + alpha (x - b) for each alpha, in batches.
    private static func evaluate(_ network: Network, _ x: [Float], _ b: [Float], _ unit: Int, _ alphas: [Double])
        -> (values: [Double], gradients: [[Float]]) {
        let size = x.count
        var values: [Double] = [], gradients: [[Float]] = []
        let batchSize = max(1, min(alphas.count, 65_536 / max(1, size)))
        var start = 0
        while start < alphas.count {
            let count = min(batchSize, alphas.count - start)
            var points = Tensor(shape: [count] + network.inputShape)
            points.data.withUnsafeMutableBufferPointer { p in
                for k in 0..<count {
                    let alpha = Float(alphas[start + k])
                    for i in 0..<size { p[k * size + i] = b[i] + alpha * (x[i] - b[i]) }
                }
            }
            let (outputs, gradient) = network.inputGradient(points, unit: unit)
            let width = outputs.columns
            for k in 0..<count {
                values.append(Double(outputs.data[k * width + unit]))
                gradients.append(Array(gradient.data[(k * size)..<((k + 1) * size)]))
            }
            start += count
        }
        return (values, gradients)
    }
}
