#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DLCore

/// Small synthetic classification sets for experiments and lessons.
///
/// - moons: two interleaving half circles, as scikit-learn's `make_moons` (class 0 the
///   upper arc, class 1 the lower, shifted one); `noise` is the std of Gaussian noise.
/// - circles: two concentric circles, as `make_circles` with factor 0.5 (class 0 outer).
/// - xor: points uniform in [-1, 1]², kept 0.05 off the axes, class 1 where x1 and x2
///   have the same sign — TensorFlow Playground's xor scaled to unit size, with exactly
///   balanced classes; `noise` is Gaussian added to the points.
/// - spiral: Playground's spirals scaled to radius 1, one arm per class (any number);
///   `noise` is Gaussian added to the points.
/// - blobs: as `make_blobs`: one centre per class uniform in [-10, 10]^features, points
///   with std 1.0 around it. `noise` does not apply (the cluster std stays 1.0).
///
/// Features are x1, x2, …; the target is "class" with class names "0", "1", …. Rows are
/// shuffled; classes get n / classes rows each, the remainder going to the first classes.
public enum Generated {
    public static let names: [String] = ["moons", "circles", "xor", "spiral", "blobs"]

    /// Generates `n` rows of the named set. `classes` matters to spiral and blobs (the others
    /// need 2), `features` to blobs (2 to 10000; the others need 2).
    /// Throws `TabularError` for bad sizes.
    public static func make(_ name: String, n: Int, noise: Double, classes: Int, features: Int,
                            rng: inout SeededRandom) throws -> Dataset {
        try validate(name, n: n, noise: noise, classes: classes, features: features)
        // Rows are drawn as small arrays of doubles, then kept as 4-byte floats.
        if let error = TabularError.unaffordable("generating \(n) rows of \(features) features", needs: n * (12 * features + 64),
                                                 hint: "ask for fewer rows or features") {
            throw error
        }
        let counts = (0..<classes).map { n / classes + ($0 < n % classes ? 1 : 0) }
        if name == "blobs" { return blobs(counts: counts, features: features, rng: &rng) }
        var points: [[Double]] = []
        var labels: [Int] = []
        points.reserveCapacity(n)
        labels.reserveCapacity(n)
        for (k, count) in counts.enumerated() {
            labels.append(contentsOf: repeatElement(k, count: count))
        }

        switch name {
        case "moons":
            for (k, count) in counts.enumerated() {
                for i in 0..<count {
                    let t = count > 1 ? Double.pi * Double(i) / Double(count - 1) : 0
                    points.append(k == 0 ? [cos(t), sin(t)] : [1 - cos(t), 0.5 - sin(t)])
                }
            }
        case "circles":
            for (k, count) in counts.enumerated() {
                let radius = k == 0 ? 1.0 : 0.5
                for i in 0..<count {
                    let t = 2 * Double.pi * Double(i) / Double(count)
                    points.append([radius * cos(t), radius * sin(t)])
                }
            }
        case "xor":
            for (k, count) in counts.enumerated() {
                for _ in 0..<count {
                    let sign: Double = rng.uniform() < 0.5 ? -1 : 1
                    let a = rng.uniform() * 0.95 + 0.05, b = rng.uniform() * 0.95 + 0.05
                    points.append(k == 1 ? [sign * a, sign * b] : [sign * a, -sign * b])
                }
            }
        case "spiral":
            for (k, count) in counts.enumerated() {
                let offset = 2 * Double.pi * Double(k) / Double(classes)
                for i in 0..<count {
                    let r = Double(i) / Double(count)
                    let t = 1.75 * r * 2 * Double.pi + offset
                    points.append([r * sin(t), r * cos(t)])
                }
            }
        default:
            preconditionFailure("blobs are made by blobs(counts:features:rng:)")
        }

        if noise > 0 {
            for r in 0..<points.count {
                for c in 0..<points[r].count { points[r][c] += rng.normal(mean: 0, std: noise) }
            }
        }
        let order = rng.permutation(n)
        var flat: [Float] = []
        flat.reserveCapacity(n * features)
        for r in order { flat.append(contentsOf: points[r].map { Float($0) }) }
        let description = "\(name)(n: \(n), noise: \(noise)\(name == "spiral" ? ", classes: \(classes)" : ""))"
        return Dataset(features: flat, rowCount: n, featureNames: (1...features).map { "x\($0)" },
                       targetName: "class",
                       target: .classes(labels: order.map { labels[$0] }, names: (0..<classes).map(String.init)),
                       imageShape: nil, source: description)
    }

    /// make_blobs, written straight into Float rows: blobs can be large (60,000 x 784 for
    /// the benchmarks), and rows of Doubles would take twice the memory of the data set.
    /// Draws from `rng` in the same order as the other sets: centres, points, then the shuffle.
    private static func blobs(counts: [Int], features: Int, rng: inout SeededRandom) -> Dataset {
        let n = counts.reduce(0, +), classes = counts.count
        let centres = (0..<classes).map { _ in (0..<features).map { _ in rng.uniform(-10, 10) } }
        var raw = [Float](repeating: 0, count: n * features)
        var labels: [Int] = []
        labels.reserveCapacity(n)
        var row = 0
        for (k, count) in counts.enumerated() {
            labels.append(contentsOf: repeatElement(k, count: count))
            for _ in 0..<count {
                for c in 0..<features { raw[row * features + c] = Float(rng.normal(mean: centres[k][c], std: 1.0)) }
                row += 1
            }
        }
        let order = rng.permutation(n)
        var flat = [Float](repeating: 0, count: n * features)
        raw.withUnsafeBufferPointer { source in
            flat.withUnsafeMutableBufferPointer { target in
                for (i, r) in order.enumerated() {
                    (target.baseAddress! + i * features).update(from: source.baseAddress! + r * features, count: features)
                }
            }
        }
        return Dataset(features: flat, rowCount: n, featureNames: (1...features).map { "x\($0)" }, targetName: "class",
                       target: .classes(labels: order.map { labels[$0] }, names: (0..<classes).map(String.init)),
                       imageShape: nil, source: "blobs(n: \(n), classes: \(classes), features: \(features))")
    }

    private static func validate(_ name: String, n: Int, noise: Double, classes: Int, features: Int) throws {
        guard names.contains(name) else {
            let hint = Suggest.closest(to: name, in: names).map { "did you mean '\($0)'?" }
                ?? "the generated data sets are: " + names.joined(separator: ", ")
            throw TabularError("there is no generated data set named '\(name)'", hint: hint)
        }
        let manyClasses = name == "spiral" || name == "blobs"
        if !manyClasses && classes != 2 {
            throw TabularError("\(name) always has 2 classes; got classes = \(classes)",
                               hint: "leave classes at 2, or use spiral or blobs for more classes")
        }
        if manyClasses && !(2...100).contains(classes) {
            throw TabularError("\(name) needs between 2 and 100 classes; got \(classes)",
                               hint: "pick a class count from 2 to 100")
        }
        if name != "blobs" && features != 2 {
            throw TabularError("\(name) has 2 features; got features = \(features)",
                               hint: "leave features at 2, or use blobs for more features")
        }
        if name == "blobs" && !(2...10_000).contains(features) {
            throw TabularError("blobs needs between 2 and 10000 features; got \(features)",
                               hint: "pick a feature count from 2 to 10000")
        }
        if n < 2 * classes || n > 10_000_000 {
            throw TabularError("\(name) needs between \(2 * classes) and 10000000 rows (2 per class at least); got n = \(n)",
                               hint: "pick n from \(2 * classes) to 10000000")
        }
        if !(noise >= 0) || !noise.isFinite {
            throw TabularError("noise must be a number of 0 or more (a standard deviation); got \(noise)",
                               hint: "try noise 0.1")
        }
    }
}
