import XCTest
import DLCore
@testable import Engine

/// The input gradient, integrated gradients, permutation importance and the occlusion map.
final class AttributionTests: XCTestCase {
    private func randomRows(_ count: Int, _ width: Int, seed: UInt64) -> [Float] {
        var rng = SeededRandom(seed: seed)
        return (0..<(count * width)).map { _ in Float(rng.normal()) }
    }

    /// On one dense layer with a linear output, the gradient is the kernel's column, so the
    /// attributions are exactly weight x (x - baseline), whatever the steps.
    func testLinearModelAttributionsAreWeightTimesDifference() throws {
        var rng = SeededRandom(seed: 7)
        let network = try Network(inputShape: [5], layers: [Dense(units: 3, activation: .linear)], rng: &rng)
        let kernel = network.layers[0].parameters[0].value // [in, units]
        let x = randomRows(1, 5, seed: 1), b = randomRows(1, 5, seed: 2)
        for unit in 0..<3 {
            let ig = IntegratedGradients(network: network, input: x, baseline: b, unit: unit)
            for i in 0..<5 {
                let expected = Double(kernel.data[i * 3 + unit]) * Double(x[i] - b[i])
                XCTAssertEqual(ig.attributions[i], expected, accuracy: 1e-5, "unit \(unit), feature \(i)")
            }
            XCTAssertEqual(ig.completenessGap, 0, accuracy: 1e-5)
            XCTAssertEqual(ig.steps, 64, "a linear model needs no halving")
        }
    }

    /// The input gradient of a network with dropout and batch normalisation is that of the
    /// function `predict` computes (central differences), and leaves the moving statistics alone.
    func testInputGradientMatchesCentralDifferencesOfInference() throws {
        var rng = SeededRandom(seed: 3)
        let network = try Network(inputShape: [4], layers: [Dense(units: 6, activation: .tanh), BatchNorm(), Dropout(rate: 0.5),
                                                           Dense(units: 3, activation: .softmax)], rng: &rng)
        let norm = network.layers[1] as! BatchNorm
        norm.movingMean.value = Tensor(shape: [6], data: (0..<6).map { Float($0) * 0.1 })
        norm.movingVariance.value = Tensor(shape: [6], data: (0..<6).map { 0.5 + Float($0) * 0.2 })
        let states = network.states.map(\.value)
        let x = randomRows(2, 4, seed: 5)
        let (outputs, gradient) = network.inputGradient(Tensor(shape: [2, 4], data: x), unit: 2)
        XCTAssertEqual(outputs.data, network.predict(Tensor(shape: [2, 4], data: x)).data)
        XCTAssertEqual(network.states.map(\.value), states)
        let h: Float = 1e-2
        for row in 0..<2 {
            for i in 0..<4 {
                var up = x, down = x
                up[row * 4 + i] += h
                down[row * 4 + i] -= h
                let f = { (v: [Float]) in Double(network.predict(Tensor(shape: [2, 4], data: v)).data[row * 3 + 2]) }
                let numeric = (f(up) - f(down)) / Double(2 * h)
                XCTAssertEqual(Double(gradient.data[row * 4 + i]), numeric, accuracy: 2e-3, "row \(row), input \(i)")
            }
        }
    }

    /// A ReLU network's gradient jumps along the path; halving the intervals where the trapezoid
    /// disagrees with F still makes the attributions add up to F(x) - F(b).
    func testCompletenessHoldsForAReLUNetwork() throws {
        var rng = SeededRandom(seed: 11)
        let network = try Network(inputShape: [6], layers: [Dense(units: 32, activation: .relu), Dense(units: 16, activation: .relu),
                                                           Dense(units: 1, activation: .linear)], rng: &rng)
        for seed in 0..<5 {
            let x = randomRows(1, 6, seed: UInt64(20 + seed)).map { $0 * 3 }, b = randomRows(1, 6, seed: UInt64(40 + seed))
            let ig = IntegratedGradients(network: network, input: x, baseline: b, unit: 0, tolerance: 1e-5)
            XCTAssertEqual(ig.completenessGap, 0, accuracy: 1e-4, "seed \(seed), \(ig.steps) steps")
            let y = network.predict(Tensor(shape: [1, 6], data: x)).data[0], yb = network.predict(Tensor(shape: [1, 6], data: b)).data[0]
            XCTAssertEqual(ig.output, Double(y), accuracy: 1e-6)
            XCTAssertEqual(ig.baselineOutput, Double(yb), accuracy: 1e-6)
        }
    }

    /// Shuffling a feature the output ignores costs nothing; shuffling the one it reads costs
    /// accuracy; the drops are baseline - shuffled score, and the same seed repeats them.
    func testPermutationImportanceOfAnIgnoredFeatureIsZero() throws {
        var rng = SeededRandom(seed: 1)
        let network = try Network(inputShape: [3], layers: [Dense(units: 2, activation: .softmax)], rng: &rng)
        // Logits: class 1 when feature 0 is positive; features 1 and 2 are not read.
        network.layers[0].parameters[0].value = Tensor(shape: [3, 2], data: [-5, 5, 0, 0, 0, 0])
        network.layers[0].parameters[1].value = Tensor(shape: [2], data: [0, 0])
        let rows = 200
        let x = randomRows(rows, 3, seed: 9)
        let labels = (0..<rows).map { x[$0 * 3] > 0 ? 1 : 0 }
        let result = try PermutationImportance(network: network, x: Tensor(shape: [rows, 3], data: x), groups: [[0], [1], [2], [1, 2]],
                                               score: .accuracy(labels: labels), repeats: 5, seed: 42)
        XCTAssertEqual(result.baseline, 1)
        XCTAssertGreaterThan(result.means[0], 0.3)
        XCTAssertEqual(result.means[1], 0)
        XCTAssertEqual(result.means[2], 0)
        XCTAssertEqual(result.means[3], 0)
        XCTAssertEqual(result.drops[0].count, 5)
        let again = try PermutationImportance(network: network, x: Tensor(shape: [rows, 3], data: x), groups: [[0], [1], [2], [1, 2]],
                                              score: .accuracy(labels: labels), repeats: 5, seed: 42)
        XCTAssertEqual(again.drops, result.drops)
        // numpy's std (ddof 0) of the drops.
        let mean = result.drops[0].reduce(0, +) / 5
        let std = (result.drops[0].map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 5).squareRoot()
        XCTAssertEqual(result.deviations[0], std, accuracy: 1e-12)
    }

    /// R² as scikit-learn's r2_score: 1 for a perfect prediction, 0 for the mean.
    func testR2Score() {
        let targets: [Float] = [1, 2, 3, 4]
        XCTAssertEqual(ImportanceScore.r2(targets: targets).score(Tensor(shape: [4, 1], data: targets)), 1, accuracy: 1e-12)
        XCTAssertEqual(ImportanceScore.r2(targets: targets).score(Tensor(shape: [4, 1], data: [2.5, 2.5, 2.5, 2.5])), 0, accuracy: 1e-12)
    }

    /// An image model that reads only the top-left corner: occluding it costs the true class's
    /// probability there and nowhere else.
    func testOcclusionFindsTheRegionTheModelReads() throws {
        var rng = SeededRandom(seed: 2)
        let network = try Network(inputShape: [16], layers: [Dense(units: 2, activation: .softmax)], rng: &rng)
        var kernel = [Float](repeating: 0, count: 32)
        kernel[0 * 2 + 1] = 6; kernel[0 * 2 + 0] = -6 // pixel (0, 0) decides class 1
        network.layers[0].parameters[0].value = Tensor(shape: [16, 2], data: kernel)
        network.layers[0].parameters[1].value = Tensor(shape: [2], data: [0, 0])
        let rows = 20
        var x = [Float](repeating: 0, count: rows * 16)
        for r in 0..<rows { x[r * 16] = r % 2 == 0 ? 1 : -1 }
        let labels = (0..<rows).map { $0 % 2 == 0 ? 1 : 0 }
        let map = try OcclusionMap(network: network, x: Tensor(shape: [rows, 16], data: x), imageShape: [4, 4, 1], units: labels,
                                   signs: Array(repeating: 1, count: rows), baseline: Array(repeating: 0, count: 16), patch: 2)
        XCTAssertGreaterThan(map.values[0], 0.4)
        XCTAssertEqual(map.values[15], 0, accuracy: 1e-9)
        XCTAssertEqual(map.values[10], 0, accuracy: 1e-9)
    }
}
