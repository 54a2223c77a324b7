import XCTest
import DLCore
@testable import Engine

/// BatchNorm on its own: gradients by central differences through the batch statistics, the
/// moving statistics against hand-computed numbers, inference, its layer-table row and errors.
final class BatchNormTests: XCTestCase {
    /// A built BatchNorm with gamma and beta away from their initial 1 and 0, so both enter the
    /// gradients with non-trivial values.
    private func batchNorm(inputShape: [Int], rng: inout SeededRandom) throws -> BatchNorm {
        let layer = BatchNorm()
        try layer.build(inputShape: inputShape, rng: &rng)
        let features = inputShape.last!
        layer.parameters[0].value = rng.uniformTensor(shape: [features], 0.5, 2)
        layer.parameters[1].value = rng.uniformTensor(shape: [features], -1, 1)
        return layer
    }

    /// Input, gamma and beta gradients of `sum(weights * y)` with y from a training pass.
    private func check(inputShape: [Int], batch: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        var rng = SeededRandom(seed: 5)
        let layer = try batchNorm(inputShape: inputShape, rng: &rng)
        // Features on different scales and offsets, as batch norm meets them.
        var x = rng.uniformTensor(shape: [batch] + inputShape, -1, 1)
        for i in x.data.indices { x.data[i] = x.data[i] * Float(1 + i % inputShape.last!) + 0.5 }
        let weights = rng.uniformTensor(shape: [batch] + inputShape, -1, 1)

        // The batch statistics depend on every row, so the loss is that of a training pass.
        let gradInput = GradientCheck.assertGradients(of: layer, x: x, weights: weights, training: true,
                                                      context: "\(inputShape)", file: file, line: line)
        XCTAssertGreaterThan(gradInput.data.map(abs).max()!, 1e-2, file: file, line: line)
        XCTAssertGreaterThan(layer.parameters[0].gradient.data.map(abs).max()!, 1e-2, file: file, line: line)
    }

    func testGradientsOnFeatures() throws { try check(inputShape: [4], batch: 6) }
    func testGradientsOnImages() throws { try check(inputShape: [3, 2, 3], batch: 2) }

    /// The check above fails for a backward pass that ignores how the batch statistics move with x.
    func testGradientCheckCatchesTheGradientWithoutTheBatchStatistics() throws {
        var rng = SeededRandom(seed: 6)
        let layer = try batchNorm(inputShape: [3], rng: &rng)
        let x = rng.uniformTensor(shape: [4, 3], -1, 1), weights = rng.uniformTensor(shape: [4, 3], -1, 1)
        _ = layer.forward(x, training: true)
        // dx as if mean and variance were constants: gamma * invStd * dy.
        var naive = weights
        for i in naive.data.indices { naive.data[i] *= layer.parameters[0].value.data[i % 3] * layer.invStd[i % 3] }
        let error = GradientCheck.inputError(analytic: naive.data, x: x, weights: weights) {
            layer.forward($0, training: true)
        }
        XCTAssertGreaterThan(error, 0.1)
    }

    /// Two training passes of a 3-row batch with momentum 0.9, against the formulas worked by hand.
    func testMovingStatisticsFollowKeras() throws {
        var rng = SeededRandom(seed: 1)
        let layer = BatchNorm(momentum: 0.9)
        try layer.build(inputShape: [2], rng: &rng)
        XCTAssertEqual(layer.states.map(\.value.data), [[0, 0], [1, 1]])
        let x = Tensor(shape: [3, 2], data: [1, 2, 3, 6, 5, 10])
        // mean = [3, 6]; biased variance = [(4 + 0 + 4) / 3, (16 + 0 + 16) / 3] = [8/3, 32/3].
        let y = layer.forward(x, training: true)
        // moving_mean = 0 * 0.9 + mean * 0.1; moving_variance = 1 * 0.9 + variance * 0.1.
        assertClose(layer.states[0].value.data, [0.3, 0.6])
        assertClose(layer.states[1].value.data, [0.9 + 0.8 / 3, 0.9 + 3.2 / 3])
        // gamma 1, beta 0: y = (x - mean) / sqrt(variance + 0.001).
        let s0 = (8.0 / 3 + 0.001).squareRoot(), s1 = (32.0 / 3 + 0.001).squareRoot()
        assertClose(y.data, [-2 / s0, -4 / s1, 0, 0, 2 / s0, 4 / s1])
        _ = layer.forward(x, training: true)
        assertClose(layer.states[0].value.data, [0.3 * 0.9 + 0.3, 0.6 * 0.9 + 0.6])
        assertClose(layer.states[1].value.data, [(0.9 + 0.8 / 3) * 0.9 + 0.8 / 3, (0.9 + 3.2 / 3) * 0.9 + 3.2 / 3])
        // Inference passes leave them alone.
        let before = layer.states.map(\.value)
        _ = layer.forward(x, training: false)
        XCTAssertEqual(layer.states.map(\.value), before)
    }

    /// Per-channel statistics of images come from batch x height x width values.
    func testImagesNormalisePerChannel() throws {
        var rng = SeededRandom(seed: 2)
        let layer = BatchNorm(momentum: 0)
        try layer.build(inputShape: [2, 2, 2], rng: &rng)
        // Channel 0 holds 1...8, channel 1 holds 10, 20, ..., 80, over 2 images of 2x2.
        let x = Tensor(shape: [2, 2, 2, 2], data: (1...8).flatMap { [Float($0), Float($0 * 10)] })
        let y = layer.forward(x, training: true)
        // Momentum 0: the moving statistics are the batch's: mean 4.5 and 45, variance 5.25 and 525.
        assertClose(layer.states[0].value.data, [4.5, 45])
        assertClose(layer.states[1].value.data, [5.25, 525])
        for c in 0..<2 {
            let channel = stride(from: c, to: 16, by: 2).map { Double(y.data[$0]) }
            XCTAssertEqual(channel.reduce(0, +) / 8, 0, accuracy: 1e-6)
            XCTAssertEqual(channel.map { $0 * $0 }.reduce(0, +) / 8, c == 0 ? 5.25 / 5.251 : 525 / 525.001, accuracy: 1e-5)
        }
    }

    func testInferenceUsesTheMovingStatistics() throws {
        var rng = SeededRandom(seed: 3)
        let layer = BatchNorm(epsilon: 0.01)
        try layer.build(inputShape: [2], rng: &rng)
        layer.parameters[0].value = Tensor(shape: [2], data: [2, 0.5])
        layer.parameters[1].value = Tensor(shape: [2], data: [1, -1])
        layer.states[0].value = Tensor(shape: [2], data: [3, -2])
        layer.states[1].value = Tensor(shape: [2], data: [4, 0.25])
        let x = Tensor(shape: [2, 2], data: [5, 0, -1, -2])
        let y = layer.forward(x, training: false)
        // y = gamma * (x - moving_mean) / sqrt(moving_variance + 0.01) + beta
        let s0 = 4.01.squareRoot(), s1 = 0.26.squareRoot()
        assertClose(y.data, [2 * 2 / s0 + 1, 0.5 * 2 / s1 - 1, 2 * -4 / s0 + 1, 0 - 1])
        // Each row on its own: nothing depends on the rest of the batch.
        let one = layer.forward(Tensor(shape: [1, 2], data: [-1, -2]), training: false)
        XCTAssertEqual(one.data, Array(y.data[2...]))
    }

    /// Input shape, output shape, trainable and non-trainable counts, as Keras's summary shows them.
    func testLayerTable() throws {
        for (input, features) in [([5], 5), ([4, 4, 3], 3), ([7, 2], 2)] {
            var rng = SeededRandom(seed: 1)
            let layer = BatchNorm()
            let footprint = try layer.footprint(inputShape: input)
            try layer.build(inputShape: input, rng: &rng)
            XCTAssertEqual(layer.kind, "BatchNormalization")
            XCTAssertEqual(layer.outputShape, input)
            XCTAssertEqual(layer.parameterCount, 2 * features)
            XCTAssertEqual(layer.nonTrainableCount, 2 * features)
            XCTAssertEqual(footprint.outputShape, input)
            XCTAssertEqual(footprint.parameters, 2 * features)
            XCTAssertEqual(footprint.states, 2 * features)
            XCTAssertEqual(layer.variables.map(\.name), ["gamma", "beta", "moving_mean", "moving_variance"])
            XCTAssertEqual(layer.variables.map(\.value.shape), Array(repeating: [features], count: 4))
        }
        // Keras: Dense(8) on 4 inputs then BatchNormalization: 40 + 32 params, 16 of them non-trainable.
        var rng = SeededRandom(seed: 1)
        let network = try Network(inputShape: [4], layers: [Dense(units: 8), BatchNorm()], rng: &rng)
        XCTAssertEqual(network.parameterCount, 56)
        XCTAssertEqual(network.nonTrainableParameterCount, 16)
        XCTAssertEqual(try Network.footprint(inputShape: [4], layers: [Dense(units: 8), BatchNorm()]).stateCount, 16)
    }

    func testInvalidSettingsAreRefusedByFootprintAndBuild() {
        let cases: [(BatchNorm, LayerProblem)] = [
            (BatchNorm(momentum: 1), .invalidSetting(layer: "batchnorm", expected: "a momentum of at least 0 and below 1", received: "1.0")),
            (BatchNorm(momentum: -0.5), .invalidSetting(layer: "batchnorm", expected: "a momentum of at least 0 and below 1", received: "-0.5")),
            (BatchNorm(epsilon: 0), .invalidSetting(layer: "batchnorm", expected: "an epsilon above 0", received: "0.0")),
        ]
        for (layer, problem) in cases {
            XCTAssertThrowsError(try layer.footprint(inputShape: [3])) { XCTAssertEqual(($0 as? LayerError)?.problem, problem) }
            var rng = SeededRandom(seed: 1)
            XCTAssertThrowsError(try layer.build(inputShape: [3], rng: &rng)) { XCTAssertEqual(($0 as? LayerError)?.problem, problem) }
        }
        XCTAssertNoThrow(try BatchNorm(momentum: 0).footprint(inputShape: [3]))
    }

    private func assertClose(_ actual: [Float], _ expected: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (a, e) in zip(actual, expected) {
            XCTAssertEqual(Double(a), e, accuracy: 1e-5 * max(1, abs(e)), file: file, line: line)
        }
    }
}
