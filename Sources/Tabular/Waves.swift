#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DLCore

/// A generated series classification set for teaching sequence models without downloads:
/// `load waves [n=600] [steps=100] [classes=3] [noise=0.3] [seed=…]`.
///
/// Class k (0-based) is a sine that makes k + 1 full cycles over the series, with a random
/// phase (uniform over a cycle) and amplitude (0.8 to 1.2), plus Gaussian noise of std
/// `noise` at every step. The phase is what makes it a sequence problem: a given step's
/// value says nothing about the class, the shape over time does. Rows are balanced
/// (n / classes each, the remainder to the first classes) and shuffled; the same `rng`
/// state gives the same data. Features t0, t1, …; series shape [steps, 1]; target "wave"
/// with class names "1_cycle", "2_cycles", ….
public enum Waves {
    public static func className(_ k: Int) -> String { k == 0 ? "1_cycle" : "\(k + 1)_cycles" }

    public static func make(n: Int, steps: Int, classes: Int, noise: Double, rng: inout SeededRandom) throws -> Dataset {
        guard (2...20).contains(classes) else {
            throw TabularError("waves has 2 to 20 classes (sines of 1 to 20 cycles); got classes = \(classes)", hint: "try classes=3")
        }
        guard steps >= 4 * classes, steps <= 100_000 else {
            throw TabularError("waves with \(classes) classes needs steps from \(4 * classes) (4 steps per cycle of the fastest sine) to 100000; got steps = \(steps)",
                               hint: "try steps=\(max(100, 4 * classes))")
        }
        guard n >= 2 * classes, n.multipliedReportingOverflow(by: steps).partialValue <= 100_000_000, n <= 10_000_000 else {
            throw TabularError("waves needs between \(2 * classes) and \(min(10_000_000, 100_000_000 / steps)) series of \(steps) steps; got n = \(n)",
                               hint: "ask for fewer or shorter series")
        }
        guard noise >= 0, noise.isFinite else {
            throw TabularError("noise must be a number of 0 or more (the std of the noise at each step); got \(noise)", hint: "try noise=0.3")
        }
        var labels: [Int] = []
        for k in 0..<classes { labels.append(contentsOf: repeatElement(k, count: n / classes + (k < n % classes ? 1 : 0))) }
        var series = [Float](repeating: 0, count: n * steps)
        for (row, k) in labels.enumerated() {
            let phase = rng.uniform(0, 2 * Double.pi)
            let amplitude = rng.uniform(0.8, 1.2)
            let cycles = Double(k + 1)
            for t in 0..<steps {
                let angle = 2 * Double.pi * cycles * Double(t) / Double(steps) + phase
                series[row * steps + t] = Float(amplitude * sin(angle) + (noise > 0 ? rng.normal(mean: 0, std: noise) : 0))
            }
        }
        let order = rng.permutation(n)
        var features: [Float] = []
        features.reserveCapacity(series.count)
        for r in order { features.append(contentsOf: series[(r * steps)..<((r + 1) * steps)]) }
        return Dataset(features: features, rowCount: n, featureNames: (0..<steps).map { "t\($0)" }, targetName: "wave",
                       target: .classes(labels: order.map { labels[$0] }, names: (0..<classes).map(className)),
                       seriesShape: [steps, 1],
                       source: "waves(n: \(n), steps: \(steps), classes: \(classes), noise: \(noise))")
    }
}
