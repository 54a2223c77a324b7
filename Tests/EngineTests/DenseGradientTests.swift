import XCTest
import DLCore
@testable import Engine

final class DenseGradientTests: XCTestCase {
    /// Builds a 5 -> 4 Dense whose pre-activations on `x` all sit at least 0.05 from 0, so no
    /// ±1e-2 step in x or W crosses relu's kink (each moves z by at most ~0.02).
    private func denseAwayFromKinks(_ activation: Activation) throws -> (Dense, Tensor, Tensor) {
        for seed in UInt64(1)...200 {
            var rng = SeededRandom(seed: seed)
            let dense = Dense(units: 4, activation: activation)
            try dense.build(inputShape: [5], rng: &rng)
            // Non-zero bias so its gradient path is exercised with non-trivial values.
            for j in 0..<4 { dense.parameters[1].value.data[j] = Float(rng.uniform(-0.5, 0.5)) }
            let x = rng.tensorAwayFromZero(shape: [3, 5])
            let weights = rng.uniformTensor(shape: [3, 4], -1, 1)
            let z = Dense(units: 4, activation: .linear)
            try z.build(inputShape: [5], rng: &rng)
            z.parameters[0].value = dense.parameters[0].value
            z.parameters[1].value = dense.parameters[1].value
            let pre = z.forward(x, training: false)
            if pre.data.allSatisfy({ abs($0) > 0.05 }) { return (dense, x, weights) }
        }
        throw XCTSkip("no seed keeps the pre-activations away from 0")
    }

    private func check(_ activation: Activation, file: StaticString = #filePath, line: UInt = #line) throws {
        let (dense, x, weights) = try denseAwayFromKinks(activation)
        GradientCheck.assertGradients(of: dense, x: x, weights: weights, context: "\(activation)", file: file, line: line)
        // The gradients must be non-trivial for the comparison to mean anything.
        XCTAssertGreaterThan(dense.parameters[0].gradient.data.map(abs).max()!, 1e-3, file: file, line: line)
    }

    func testLinear() throws { try check(.linear) }
    func testRelu() throws { try check(.relu) }
    func testLeakyRelu() throws { try check(.leakyRelu) }
    func testSigmoid() throws { try check(.sigmoid) }
    func testTanh() throws { try check(.tanh) }
    func testSoftmax() throws { try check(.softmax) }

    func testForwardMatchesHandComputation() throws {
        var rng = SeededRandom(seed: 3)
        let dense = Dense(units: 2, activation: .relu)
        try dense.build(inputShape: [3], rng: &rng)
        dense.parameters[0].value = Tensor(shape: [3, 2], data: [1, -1, 2, 0.5, -1, 3])
        dense.parameters[1].value = Tensor(shape: [2], data: [0.5, -10])
        let y = dense.forward(Tensor(shape: [2, 3], data: [1, 2, 3, -1, 0, 1]), training: false)
        // Row 1: z = [1+4-3+0.5, -1+1+9-10] = [2.5, -1] -> relu [2.5, 0]
        // Row 2: z = [-1+0-1+0.5, 1+0+3-10] = [-1.5, -6] -> [0, 0]
        XCTAssertEqual(y, Tensor(shape: [2, 2], data: [2.5, 0, 0, 0]))
    }

    func testLeakyReluSlopeAndSoftmaxRows() throws {
        var rng = SeededRandom(seed: 4)
        let leaky = Dense(units: 1, activation: .leakyRelu)
        try leaky.build(inputShape: [1], rng: &rng)
        leaky.parameters[0].value = Tensor(shape: [1, 1], data: [1])
        XCTAssertEqual(leaky.forward(Tensor(shape: [2, 1], data: [-2, 3]), training: false).data, [-0.02, 3])

        let softmax = Dense(units: 3, activation: .softmax)
        try softmax.build(inputShape: [2], rng: &rng)
        let p = softmax.forward(Tensor(shape: [2, 2], data: [100, -50, 0.5, 0.25]), training: false)
        for r in 0..<2 {
            XCTAssertEqual(p.data[r * 3 ..< r * 3 + 3].reduce(0, +), 1, accuracy: 1e-6)
            XCTAssertTrue(p.data[r * 3 ..< r * 3 + 3].allSatisfy { $0.isFinite && $0 >= 0 })
        }
    }

    func testGradientsAreOverwrittenNotAccumulated() throws {
        let (dense, x, weights) = try denseAwayFromKinks(.tanh)
        _ = dense.forward(x, training: true)
        _ = dense.backward(weights)
        let first = dense.parameters[0].gradient
        _ = dense.forward(x, training: true)
        _ = dense.backward(weights)
        XCTAssertEqual(dense.parameters[0].gradient, first)
    }
}
