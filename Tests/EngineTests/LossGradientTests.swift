import XCTest
import DLCore
@testable import Engine

/// Gradient checks through the trainer's forward/backward pass, i.e. loss gradient (fused or not)
/// plus the network's backward, against central differences of `Loss.value`.
final class LossGradientTests: XCTestCase {
    /// Max relative error over all parameters of `network` for one batch.
    private func worstError(network: Network, loss: Loss, x: Tensor, y: Tensor) -> Double {
        let trainer = Trainer(network: network, loss: loss, optimizer: Optimizer(.sgd(momentum: 0)))
        let (value, _) = trainer.forwardBackward(x: x, y: y)
        XCTAssertTrue(value.isFinite)
        let lossAt = { Double(loss.value(predictions: network.predict(x), targets: y)) }
        return network.parameters.map { GradientCheck.relativeError(of: $0, loss: lossAt) }.max()!
    }

    /// A tanh hidden layer (smooth everywhere) feeding an output layer with `activation`.
    private func twoLayer(_ activation: Activation, outputs: Int, seed: UInt64) throws -> Network {
        var rng = SeededRandom(seed: seed)
        return try Network(inputShape: [4], layers: [Dense(units: 5, activation: .tanh),
                                                     Dense(units: outputs, activation: activation)], rng: &rng)
    }

    func testCrossentropyFusedWithSoftmax() throws {
        XCTAssertTrue(Loss.crossentropy.fuses(with: .softmax))
        var rng = SeededRandom(seed: 10)
        let network = try twoLayer(.softmax, outputs: 3, seed: 11)
        let (y, _) = rng.oneHot(rows: 6, classes: 3)
        let x = rng.uniformTensor(shape: [6, 4], -2, 2)
        XCTAssertLessThan(worstError(network: network, loss: .crossentropy, x: x, y: y), GradientCheck.tolerance)
    }

    func testBinaryCrossentropyFusedWithSigmoid() throws {
        XCTAssertTrue(Loss.binaryCrossentropy.fuses(with: .sigmoid))
        var rng = SeededRandom(seed: 12)
        // Two sigmoid outputs, so the per-element averaging of the fused gradient is tested too.
        let network = try twoLayer(.sigmoid, outputs: 2, seed: 13)
        let y = Tensor(shape: [6, 2], data: (0..<12).map { _ in Float(rng.integer(below: 2)) })
        let x = rng.uniformTensor(shape: [6, 4], -2, 2)
        XCTAssertLessThan(worstError(network: network, loss: .binaryCrossentropy, x: x, y: y), GradientCheck.tolerance)
    }

    func testUnfusedProbabilityLosses() throws {
        // Same losses on the "other" probability activation: takes the -y/p and
        // (p - y)/(p(1 - p)) paths followed by the activation's own derivative.
        var rng = SeededRandom(seed: 14)
        let x = rng.uniformTensor(shape: [6, 4], -2, 2)
        let (oneHot, _) = rng.oneHot(rows: 6, classes: 3)
        XCTAssertFalse(Loss.crossentropy.fuses(with: .sigmoid))
        XCTAssertLessThan(worstError(network: try twoLayer(.sigmoid, outputs: 3, seed: 15),
                                     loss: .crossentropy, x: x, y: oneHot), GradientCheck.tolerance)
        XCTAssertLessThan(worstError(network: try twoLayer(.softmax, outputs: 3, seed: 16),
                                     loss: .binaryCrossentropy, x: x, y: oneHot), GradientCheck.tolerance)
    }

    func testMeanSquaredError() throws {
        var rng = SeededRandom(seed: 17)
        let x = rng.uniformTensor(shape: [6, 4], -2, 2)
        let y = rng.uniformTensor(shape: [6, 2], -1, 1)
        for activation in [Activation.linear, .tanh, .sigmoid] {
            let error = worstError(network: try twoLayer(activation, outputs: 2, seed: 18), loss: .mse, x: x, y: y)
            XCTAssertLessThan(error, GradientCheck.tolerance, "\(activation)")
        }
    }

    func testSoftmaxWithMeanSquaredErrorIsUnfused() throws {
        XCTAssertFalse(Loss.mse.fuses(with: .softmax))
        var rng = SeededRandom(seed: 19)
        let x = rng.uniformTensor(shape: [6, 4], -2, 2)
        let (y, _) = rng.oneHot(rows: 6, classes: 3)
        let error = worstError(network: try twoLayer(.softmax, outputs: 3, seed: 20), loss: .mse, x: x, y: y)
        XCTAssertLessThan(error, GradientCheck.tolerance)
    }

    func testMeanAbsoluteErrorAwayFromKinks() throws {
        var rng = SeededRandom(seed: 21)
        let network = try twoLayer(.linear, outputs: 2, seed: 22)
        let x = rng.uniformTensor(shape: [6, 4], -2, 2)
        // Targets 0.5 above or below the prediction: no ±1e-2 step can reach |p - y| = 0.
        let p = network.predict(x)
        let y = Tensor(shape: p.shape, data: p.data.map { $0 + (rng.integer(below: 2) == 0 ? 0.5 : -0.5) })
        XCTAssertLessThan(worstError(network: network, loss: .mae, x: x, y: y), GradientCheck.tolerance)
    }

    func testThreeLayerNetworkEndToEnd() throws {
        var rng = SeededRandom(seed: 27)
        let network = try Network(inputShape: [4], layers: [
            Dense(units: 6, activation: .leakyRelu),
            Dense(units: 5, activation: .sigmoid),
            Dense(units: 3, activation: .softmax),
        ], rng: &rng)
        let x = rng.tensorAwayFromZero(shape: [5, 4])
        let (y, _) = rng.oneHot(rows: 5, classes: 3)
        // The leaky_relu layer must not sit on its kink for this check to be valid: recover
        // z from y (y = z above 0, 0.01 z below) and keep it beyond what a ±1e-2 weight step moves.
        let hidden = network.layers[0].forward(x, training: false)
        let preActivation = hidden.data.map { $0 > 0 ? $0 : $0 / Activation.leakySlope }
        XCTAssertTrue(preActivation.allSatisfy { abs($0) > 0.05 }, "a hidden unit sits near the leaky_relu kink")
        XCTAssertLessThan(worstError(network: network, loss: .crossentropy, x: x, y: y), GradientCheck.tolerance)
    }

    func testCheckerCatchesAWrongGradient() throws {
        var rng = SeededRandom(seed: 24)
        let x = rng.uniformTensor(shape: [6, 4], -2, 2)
        let (y, _) = rng.oneHot(rows: 6, classes: 3)
        var buildRng = SeededRandom(seed: 25)
        // The buggy layer sits second, so the first layer's parameter gradients inherit its 10% error.
        let wrong = try Network(inputShape: [4], layers: [
            Dense(units: 5, activation: .tanh),
            InputGradientScaler(Dense(units: 3, activation: .softmax), factor: 1.1),
        ], rng: &buildRng)
        let error = worstError(network: wrong, loss: .crossentropy, x: x, y: y)
        XCTAssertGreaterThan(error, 10 * GradientCheck.tolerance)

        var sameRng = SeededRandom(seed: 25)
        let right = try Network(inputShape: [4], layers: [
            Dense(units: 5, activation: .tanh),
            InputGradientScaler(Dense(units: 3, activation: .softmax), factor: 1),
        ], rng: &sameRng)
        XCTAssertLessThan(worstError(network: right, loss: .crossentropy, x: x, y: y), GradientCheck.tolerance)
    }

    func testLossValuesMatchHandComputation() {
        let p = Tensor(shape: [2, 2], data: [0.8, 0.2, 0.4, 0.6])
        let y = Tensor(shape: [2, 2], data: [1, 0, 0, 1])
        // crossentropy: -(log 0.8 + log 0.6) / 2
        XCTAssertEqual(Loss.crossentropy.value(predictions: p, targets: y), -(logf(0.8) + logf(0.6)) / 2, accuracy: 1e-6)
        // binary: mean over both columns, then rows: -(2 log 0.8 + 2 log 0.6) / 4
        XCTAssertEqual(Loss.binaryCrossentropy.value(predictions: p, targets: y), -(logf(0.8) + logf(0.6)) / 2, accuracy: 1e-6)
        // mse: (0.04 + 0.04 + 0.16 + 0.16) / 4 = 0.1
        XCTAssertEqual(Loss.mse.value(predictions: p, targets: y), 0.1, accuracy: 1e-6)
        // mae: (0.2 + 0.2 + 0.4 + 0.4) / 4 = 0.3
        XCTAssertEqual(Loss.mae.value(predictions: p, targets: y), 0.3, accuracy: 1e-6)
        // A hard zero is clipped to 1e-7 instead of giving infinity.
        let zero = Tensor(shape: [1, 2], data: [0, 1])
        XCTAssertEqual(Loss.crossentropy.value(predictions: zero, targets: Tensor(shape: [1, 2], data: [1, 0])),
                       -logf(1e-7), accuracy: 1e-3)
    }
}

/// A layer wrapper that multiplies the input gradient of `inner` by `factor`: with factor 1.1
/// it is exactly the kind of bug the gradient checker exists to catch.
final class InputGradientScaler: Layer {
    let inner: Layer
    let factor: Float
    init(_ inner: Layer, factor: Float) { self.inner = inner; self.factor = factor }
    var kind: String { inner.kind }
    var outputShape: [Int] { inner.outputShape }
    var parameters: [Parameter] { inner.parameters }
    func build(inputShape: [Int], rng: inout SeededRandom) throws { try inner.build(inputShape: inputShape, rng: &rng) }
    func footprint(inputShape: [Int]) throws -> LayerFootprint { try inner.footprint(inputShape: inputShape) }
    func forward(_ input: Tensor, training: Bool) -> Tensor { inner.forward(input, training: training) }
    func backward(_ gradOutput: Tensor) -> Tensor {
        var g = inner.backward(gradOutput)
        for i in g.data.indices { g.data[i] *= factor }
        return g
    }
}
