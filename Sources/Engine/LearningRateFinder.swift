#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DLCore

/// One batch of a learning-rate range test: the rate it stepped with, its loss, and the
/// smoothed loss (fastai's debiased moving average, beta 0.98) up to and including it.
public struct RangeTestPoint: Sendable, Equatable {
    public let learningRate: Double
    public let loss: Double
    public let smoothedLoss: Double
    public init(learningRate: Double, loss: Double, smoothedLoss: Double) {
        self.learningRate = learningRate
        self.loss = loss
        self.smoothedLoss = smoothedLoss
    }
}

/// What a range test measured, and why it ended.
public struct RangeTestResult: Sendable {
    public let points: [RangeTestPoint]
    /// True when the smoothed loss exceeded 4x its minimum (or went non-finite) before the last step.
    public let diverged: Bool
    /// The smallest smoothed loss seen.
    public let bestLoss: Double
}

/// The learning-rate range test of Smith (2017), as fastai's `lr_find` runs it: from the
/// network's current (fresh) weights, one optimizer step per batch with the rate raised
/// exponentially from `minRate` towards `maxRate`, batch i at min * (max/min)^(i/steps);
/// the loss is smoothed with a debiased moving average (beta 0.98) and the test stops once
/// it exceeds 4x its minimum. The batches cycle through reshuffled epochs when the data
/// has fewer than `steps` of them.
extension Trainer {
    public func rangeTest(_ data: TrainingData, batchSize: Int, minRate: Double, maxRate: Double, steps: Int,
                          rng: inout SeededRandom, shouldStop: () -> Bool = { false }) -> RangeTestResult {
        precondition(minRate > 0 && maxRate > minRate && steps >= 2, "a range test needs 0 < min < max and 2 steps or more")
        let n = data.count
        guard n > 0 else { return RangeTestResult(points: [], diverged: false, bestLoss: .nan) }
        let firstLayer = network.layers.first as? InputGradientOptional
        firstLayer?.computesInputGradient = false
        defer { firstLayer?.computesInputGradient = true }

        let size = min(batchSize, n)
        let parameters = network.parameters
        var x = Tensor(shape: [0]), y = Tensor(shape: [0])
        var order: [Int] = [], rowsInX = [Int](repeating: 0, count: n)
        var next = n  // the start of the next batch in `order`; n: draw a new order first
        var points: [RangeTestPoint] = []
        points.reserveCapacity(steps)
        var average = 0.0, best = Double.infinity
        let beta = 0.98
        var diverged = false
        for step in 0..<steps {
            if next + size > n {  // a partial last batch is left out, as a drop_last loader does
                order = rng.permutation(n)
                if let rowsOfX = data.rowsOfX { for i in 0..<n { rowsInX[i] = rowsOfX[order[i]] } }
                next = 0
            }
            let rows = order[next ..< next + size]
            next += size
            gatherRows(of: data.x, at: data.rowsOfX == nil ? rows : rowsInX[rows.indices], into: &x)
            gatherRows(of: data.y, at: rows, into: &y)
            let rate = minRate * pow(maxRate / minRate, Double(step) / Double(steps))
            let (value, _) = forwardBackward(x: x, y: y, classWeights: data.classWeights)
            let loss = Double(value)
            guard loss.isFinite else {
                diverged = true
                break
            }
            optimizer.step(parameters, learningRate: Float(rate))
            average = beta * average + (1 - beta) * loss
            let smoothed = average / (1 - pow(beta, Double(step + 1)))
            points.append(RangeTestPoint(learningRate: rate, loss: loss, smoothedLoss: smoothed))
            best = min(best, smoothed)
            if smoothed > 4 * best || !smoothed.isFinite {
                diverged = step < steps - 1
                break
            }
            if shouldStop() { break }
        }
        return RangeTestResult(points: points, diverged: diverged, bestLoss: best)
    }
}

/// Where a range test's curve suggests a learning rate, as fastai's suggestion functions
/// find it on the smoothed losses, leaving out the first tenth of the requested steps and
/// the last 5 points (the start is noisy, the end diverging).
public enum RateSuggestion {
    /// The points the suggestions read: fastai's `lrs[num_it//10:-5]`.
    public static func window(_ points: [RangeTestPoint], steps: Int) -> ArraySlice<RangeTestPoint> {
        let start = steps / 10, end = points.count - 5
        guard end - start >= 3 else { return points[...] }
        return points[start..<end]
    }

    /// The rate where the smoothed loss falls fastest against log(rate). With `span` 1 this is
    /// fastai's `steep` (the left point of the steepest neighbouring pair); a wider span measures
    /// each fall over `span` steps and answers the middle point, so one noisy batch among the
    /// first (where the moving average still moves with each batch) cannot win. Only the
    /// descent counts: the points up to the lowest loss.
    public static func steepest(_ points: ArraySlice<RangeTestPoint>, span: Int = 1) -> RangeTestPoint? {
        var p = Array(points)
        if let lowest = p.indices.min(by: { p[$0].smoothedLoss < p[$1].smoothedLoss }) { p = Array(p[...lowest]) }
        guard p.count >= 2 else { return points.first }
        let k = max(1, min(span, p.count - 1))
        var bestIndex = 0, bestSlope = Double.infinity
        for i in 0..<(p.count - k) {
            let slope = (p[i + k].smoothedLoss - p[i].smoothedLoss) / (log(p[i + k].learningRate) - log(p[i].learningRate))
            if slope < bestSlope { bestSlope = slope; bestIndex = i }
        }
        return p[bestIndex + (k == 1 ? 0 : k / 2)]
    }

    /// fastai's `valley` (its default since 2.5): the longest run of falling losses (a longest
    /// decreasing subsequence), and a point 1/3 + 1/6 of the way along it: a rate well inside
    /// the descent, away from both the flat start and the blow-up.
    public static func valley(_ points: ArraySlice<RangeTestPoint>) -> RangeTestPoint? {
        let losses = points.map(\.smoothedLoss)
        let n = losses.count
        guard n >= 2 else { return points.first }
        var lengths = [Int](repeating: 1, count: n)
        var maxStart = 0, maxEnd = 0
        for i in 1..<n {
            for j in 0..<i {
                if losses[i] < losses[j] && lengths[i] < lengths[j] + 1 { lengths[i] = lengths[j] + 1 }
                if lengths[maxEnd] < lengths[i] {
                    maxEnd = i
                    maxStart = maxEnd - lengths[maxEnd]
                }
            }
        }
        let sections = Double(maxEnd - maxStart) / 3
        let index = max(0, min(n - 1, maxStart + Int(sections) + Int(sections / 2)))
        return points[points.startIndex + index]
    }
}
