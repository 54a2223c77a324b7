#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DLCore
import Engine
import Plot

/// What the last `findlr` measured and suggested, for `train lr=suggested` and `explain`.
struct RangeTestSummary: Sendable {
    var points: [RangeTestPoint]
    /// The rate `train lr=suggested` takes: the steepest descent of the smoothed loss (fastai's
    /// `steep`, measured over `descentSpan` steps).
    var suggested: Double
    /// fastai's `valley` (its default, tuned for Adam with one-cycle), shown beside it.
    var valley: Double
    var minimumLoss: Double
    var minimumRate: Double
    var diverged: Bool
    var requested: (min: Double, max: Double, steps: Int)
    /// The layers it ran on: a later `train lr=suggested` on other layers gets a note.
    var architecture: [LayerRecord]
}

extension Session {
    /// `findlr`: the range test on a fresh copy of the model (the session's weights stay as they
    /// are), drawn as loss against rate on a log axis, with the suggestion marked.
    func findLearningRate(min minRate: Double, max maxRate: Double, steps: Int, batch: Int, at range: SourceRange) throws {
        guard maxRate > minRate else {
            throw Diagnostic("findlr raises the rate from min= to max=, but min=\(Format.general(minRate)) is not below max=\(Format.general(maxRate))",
                             at: range, hint: "e.g. `findlr min=1e-6 max=1`")
        }
        let data = try requireDataset(for: "findlr")
        guard !layers.isEmpty else {
            throw Diagnostic("findlr tries learning rates on the model, but there are no layers yet", at: range,
                             hint: "add layers first, e.g. `dense 64 relu` then `dense \(ModelSpec.suggestedOutputUnits(data)) \(ModelSpec.suggestedOutputActivation(data))`")
        }
        try rejectUntrainable(data)
        let loss = try spec.resolveLoss(for: data)
        // Fresh weights from the seed, as a first `train` would start from; the session's model is not touched.
        let network = try spec.initialNetwork(inputShape: spec.inputShape(of: data))
        let trainer = Trainer(network: network, loss: loss, optimizer: spec.makeOptimizer())
        var plan = TrainingPlan(spec: spec)
        plan.batch = batch
        let (fit, _) = try self.data!.trainingSets(plan: plan, spec: spec, at: range)
        var random = SeededRandom(seed: spec.seed &+ 0xF1_4D1)
        let result = trainer.rangeTest(fit, batchSize: batch, minRate: minRate, maxRate: maxRate, steps: steps,
                                       rng: &random, shouldStop: context.shouldInterrupt)
        context.clearInterrupt()
        let window = RateSuggestion.window(result.points, steps: steps)
        guard result.points.count >= 3, let valley = RateSuggestion.valley(window), let steep = RateSuggestion.steepest(window, span: Self.descentSpan(steps)),
              let lowest = result.points.min(by: { $0.smoothedLoss < $1.smoothedLoss }) else {
            throw Diagnostic("findlr measured only \(result.points.count) batch\(result.points.count == 1 ? "" : "es") before the loss diverged: too few to read a curve from",
                             at: range, hint: "start lower, e.g. `findlr min=\(Format.general(minRate / 100))`")
        }
        let summary = RangeTestSummary(points: result.points, suggested: steep.learningRate, valley: valley.learningRate,
                                       minimumLoss: lowest.smoothedLoss, minimumRate: lowest.learningRate, diverged: result.diverged,
                                       requested: (minRate, maxRate, steps), architecture: spec.architecture)
        lastRangeTest = summary
        let rows = Swift.min(batch, fit.count)
        print("findlr: \(result.points.count) batches of \(rows) rows from fresh weights (seed \(spec.seed)), the rate raised from \(Self.rate(minRate)) to \(Self.rate(result.points.last!.learningRate))"
              + (result.diverged ? "; stopped when the smoothed loss passed 4x its minimum" : ""))
        print("lowest smoothed loss \(Format.fixed(summary.minimumLoss, 4)) at lr=\(Self.rate(summary.minimumRate))")
        print("suggested lr=\(Self.rate(summary.suggested)) (the steepest descent of the smoothed loss); fastai's valley gives lr=\(Self.rate(summary.valley)); `train lr=suggested` uses the first")
        try draw(rangeTestChart(summary), to: nil, at: range)
    }

    /// Over how many steps the steepest fall is measured: a twentieth of the test (5 of 100).
    /// Between neighbouring points (fastai's steep) one noisy early batch can win: on diabetes it
    /// picked 5e-06, where the curve is still flat; over 5 steps it picks 0.0158 (R² 0.50 after
    /// 50 epochs, the best of the sweep's rates 0.50 at 0.01).
    static func descentSpan(_ steps: Int) -> Int { Swift.max(1, steps / 20) }

    /// The curve: the smoothed loss against the rate on a log axis, and a vertical line at the suggestion.
    func rangeTestChart(_ summary: RangeTestSummary) -> Chart {
        let points = summary.points
        let losses = points.map(\.smoothedLoss).filter(\.isFinite)
        let lo = losses.min() ?? 0, hi = losses.max() ?? 1
        var series = [Series(name: "smoothed loss", x: points.map(\.learningRate), y: points.map(\.smoothedLoss))]
        series.append(Series(name: "suggested \(Self.rate(summary.suggested))", x: [summary.suggested, summary.suggested], y: [lo, hi]))
        return .line(LineChart(title: "Learning rate finder", xLabel: "learning rate (log scale)", yLabel: "loss",
                               series: series, logX: true))
    }

    /// A rate as the user would type it: 3 significant digits ("0.0316", "1.2e-05").
    static func rate(_ value: Double) -> String {
        guard value > 0, value.isFinite else { return Format.general(value) }
        let exponent = Int((log10(value)).rounded(.down))
        if exponent >= -4 && exponent < 3 {
            let decimals = Swift.max(0, 2 - exponent)
            var text = Format.fixed(value, decimals)
            if text.contains(".") { while text.hasSuffix("0") { text.removeLast() }; if text.hasSuffix(".") { text.removeLast() } }
            return text
        }
        let mantissa = value / pow(10, Double(exponent))
        var text = Format.fixed(mantissa, 2)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return "\(text)e\(exponent < 0 ? "-" : "")\(abs(exponent) < 10 ? "0" : "")\(abs(exponent))"
    }

    /// The training plan of `train` and `crossval`, with `lr=suggested` taken from the last `findlr`.
    func resolvedPlan(_ request: TrainingPlanRequest) throws -> TrainingPlan {
        var plan = request.plan(spec: spec)
        guard request.usesSuggestedRate.value else { return plan }
        guard let test = lastRangeTest else {
            throw Diagnostic("lr=suggested takes the rate the last `findlr` suggested, but findlr has not run in this session",
                             at: request.usesSuggestedRate.range, hint: "run `findlr` first, or give a rate, e.g. `lr=0.01`")
        }
        if test.architecture != spec.architecture {
            print("note: the suggestion came from findlr on other layers; run `findlr` again for these")
        }
        // Rounded as printed, so the `show state` line and the printed suggestion agree.
        plan.learningRate = Double(Self.rate(test.suggested)) ?? test.suggested
        print("lr=suggested: \(Self.rate(test.suggested)) from the last findlr")
        return plan
    }

    /// `explain` after `findlr`: how to read the curve, in its own numbers.
    func rangeTestExplanation() -> [String] {
        guard let test = lastRangeTest else { return [
            "The range test takes one step per batch at a rate raised by a constant factor, and draws the smoothed loss against the rate on a log axis.",
            "Flat on the left (too small to move the weights), falling where the rate learns, climbing where the steps overshoot: the steepest fall is the suggestion.",
        ] }
        return [
            "Each batch took one step at a higher rate, from \(Self.rate(test.requested.min)) up by a constant factor; the curve is the loss, smoothed, against that rate on a log axis.",
            "Read it from the left: flat where the rate is too small to move the weights, then falling where it learns, lowest at lr=\(Self.rate(test.minimumRate)) (loss \(Format.fixed(test.minimumLoss, 4))), then climbing as the steps overshoot.",
            "Do not train at the minimum: there the steps already overshoot. The suggestion lr=\(Self.rate(test.suggested)) is where the curve falls fastest (fastai's steep, measured over \(Self.descentSpan(test.requested.steps)) steps): the rate at which the loss gains most per step.",
            "fastai's valley, a point along the longest fall, gives lr=\(Self.rate(test.valley)): fastai prefers it with Adam and one-cycle training; with sgd on iris, digits and breast_cancer the steepest point trained better. Either is a starting point, not the last word.",
        ]
    }
}
