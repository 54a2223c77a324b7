import XCTest
import DLCore
@testable import Engine

/// ActivationLayer: gradients by central differences for every activation, softmax over the
/// last dimension, and the trainer's fused output gradient behind it as behind a Dense layer.
final class ActivationLayerTests: XCTestCase {
    private func check(_ activation: Activation, inputShape: [Int], file: StaticString = #filePath, line: UInt = #line) throws {
        var rng = SeededRandom(seed: 7)
        let layer = ActivationLayer(activation)
        try layer.build(inputShape: inputShape, rng: &rng)
        XCTAssertEqual(layer.outputShape, inputShape, file: file, line: line)
        // Away from 0, so no ±1e-2 step crosses relu's kink.
        let x = rng.tensorAwayFromZero(shape: [3] + inputShape)
        let weights = rng.uniformTensor(shape: [3] + inputShape, -1, 1)
        let gradInput = GradientCheck.assertGradients(of: layer, x: x, weights: weights,
                                                      context: "\(activation) \(inputShape)", file: file, line: line)
        XCTAssertGreaterThan(gradInput.data.map(abs).max()!, 1e-3, file: file, line: line)
    }

    func testGradientsOfEveryActivation() throws {
        for activation in Activation.allCases {
            try check(activation, inputShape: [5])
            try check(activation, inputShape: [2, 2, 3])
        }
    }

    func testForwardValues() throws {
        var rng = SeededRandom(seed: 1)
        let x = Tensor(shape: [1, 2, 3], data: [-2, 0.5, 1, 3, 3, 3])
        func apply(_ activation: Activation) throws -> [Float] {
            let layer = ActivationLayer(activation)
            try layer.build(inputShape: [2, 3], rng: &rng)
            XCTAssertEqual(layer.kind, "Activation")
            XCTAssertEqual(layer.parameterCount, 0)
            return layer.forward(x, training: false).data
        }
        XCTAssertEqual(try apply(.linear), x.data)
        XCTAssertEqual(try apply(.relu), [0, 0.5, 1, 3, 3, 3])
        XCTAssertEqual(try apply(.leakyRelu), [-0.02, 0.5, 1, 3, 3, 3])
        for (y, v) in zip(try apply(.sigmoid), x.data) { XCTAssertEqual(y, 1 / (1 + exp(-v)), accuracy: 1e-6) }
        for (y, v) in zip(try apply(.tanh), x.data) { XCTAssertEqual(y, tanh(v), accuracy: 1e-6) }
        // Softmax over the last dimension: each group of 3 sums to 1; equal inputs give thirds.
        let p = try apply(.softmax)
        let e = [exp(-2.0), exp(0.5), exp(1.0)], sum = e.reduce(0, +)
        for j in 0..<3 { XCTAssertEqual(Double(p[j]), e[j] / sum, accuracy: 1e-6) }
        for j in 3..<6 { XCTAssertEqual(p[j], 1.0 / 3, accuracy: 1e-6) }
    }

    /// Two networks with the same weights: a Dense with softmax, and a linear Dense followed by a
    /// softmax layer. Trained with the same seed, their losses agree epoch by epoch.
    func testDenseThenSoftmaxLayerTrainsLikeDenseWithSoftmax() throws {
        var rng = SeededRandom(seed: 21)
        let x = rng.uniformTensor(shape: [60, 4], -2, 2)
        var y = Tensor(shape: [60, 3]), labels: [Int] = []
        for r in 0..<60 {
            let label = x.data[r * 4] + x.data[r * 4 + 1] > 0.5 ? 0 : (x.data[r * 4 + 2] > 0 ? 1 : 2)
            y.data[r * 3 + label] = 1
            labels.append(label)
        }
        let data = TrainingData(x: x, y: y, labels: labels)
        var initRandom = SeededRandom(seed: 22)
        let fused = try Network(inputShape: [4], layers: [Dense(units: 8, activation: .tanh), Dense(units: 3, activation: .softmax)],
                                rng: &initRandom)
        initRandom = SeededRandom(seed: 22)
        let split = try Network(inputShape: [4], layers: [Dense(units: 8, activation: .tanh), Dense(units: 3),
                                                         ActivationLayer(.softmax)], rng: &initRandom)
        split.setWeights(fused.weights())
        var results: [[Float]] = []
        for network in [fused, split] {
            var rng = SeededRandom(seed: 23)
            let result = try Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(.sgd(momentum: 0.9)))
                .train(data, options: TrainingOptions(learningRate: 0.1, epochs: 8, batchSize: 16), rng: &rng)
            results.append(result.records.map(\.loss))
        }
        XCTAssertLessThan(results[0].last!, results[0].first! * 0.8)
        for (a, b) in zip(results[0], results[1]) { XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, abs(a))) }
    }

    /// With the true class's probability below the loss's clip (1e-7), the unfused crossentropy
    /// gradient is 0 and nothing would learn; the fused p - y still moves the weights, behind an
    /// ActivationLayer as behind a Dense. Sigmoid + binary_crossentropy likewise.
    func testTheTrainerFusesTheLossWithAnActivationLayer() throws {
        for (activation, loss, units) in [(Activation.softmax, Loss.crossentropy, 2), (.sigmoid, .binaryCrossentropy, 1)] {
            var rng = SeededRandom(seed: 1)
            let dense = Dense(units: units)
            let network = try Network(inputShape: [1], layers: [dense, ActivationLayer(activation)], rng: &rng)
            dense.parameters[0].value = Tensor(shape: [1, units], data: units == 2 ? [40, -40] : [-40])
            let x = Tensor(shape: [1, 1], data: [1])
            let y = Tensor(shape: [1, units], data: units == 2 ? [0, 1] : [1])
            _ = Trainer(network: network, loss: loss, optimizer: Optimizer(.sgd(momentum: 0))).forwardBackward(x: x, y: y)
            // dL/dz = p - y = -1 for the true unit (both losses, one row): the kernel gradient is x * (p - y).
            let trueUnit = units - 1
            XCTAssertEqual(dense.parameters[0].gradient.data[trueUnit], -1, accuracy: 1e-6, "\(activation)")
        }
    }
}
