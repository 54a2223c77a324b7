import XCTest
import DLCore
@testable import Engine

/// Class-weighted losses (`balance=auto`, Keras's `class_weight`): gradient checks by central
/// differences of the weighted `Loss.value`, the value by hand, and the balanced weights.
final class ClassWeightTests: XCTestCase {
    /// Max relative error over all parameters for one batch of the weighted loss.
    private func worstError(network: Network, loss: Loss, x: Tensor, y: Tensor, weights: [Float]) -> Double {
        let trainer = Trainer(network: network, loss: loss, optimizer: Optimizer(.sgd(momentum: 0)))
        let (value, _) = trainer.forwardBackward(x: x, y: y, classWeights: weights)
        XCTAssertTrue(value.isFinite)
        let lossAt = { Double(loss.value(predictions: network.predict(x), targets: y, classWeights: weights)) }
        return network.parameters.map { GradientCheck.relativeError(of: $0, loss: lossAt) }.max()!
    }

    private func twoLayer(_ activation: Activation, outputs: Int, seed: UInt64) throws -> Network {
        var rng = SeededRandom(seed: seed)
        return try Network(inputShape: [4], layers: [Dense(units: 5, activation: .tanh),
                                                     Dense(units: outputs, activation: activation)], rng: &rng)
    }

    func testWeightedCrossentropyFusedAndUnfused() throws {
        var rng = SeededRandom(seed: 40)
        let x = rng.uniformTensor(shape: [8, 4], -2, 2)
        let (y, _) = rng.oneHot(rows: 8, classes: 3)
        let weights: [Float] = [0.4, 2.5, 1.3]
        XCTAssertLessThan(worstError(network: try twoLayer(.softmax, outputs: 3, seed: 41), loss: .crossentropy,
                                     x: x, y: y, weights: weights), GradientCheck.tolerance)
        XCTAssertLessThan(worstError(network: try twoLayer(.sigmoid, outputs: 3, seed: 42), loss: .crossentropy,
                                     x: x, y: y, weights: weights), GradientCheck.tolerance)
    }

    func testWeightedBinaryCrossentropyFusedAndUnfused() throws {
        var rng = SeededRandom(seed: 43)
        let x = rng.uniformTensor(shape: [8, 4], -2, 2)
        let y = Tensor(shape: [8, 1], data: (0..<8).map { Float($0 % 3 == 0 ? 1 : 0) })
        let weights: [Float] = [0.7, 3.1]
        XCTAssertLessThan(worstError(network: try twoLayer(.sigmoid, outputs: 1, seed: 44), loss: .binaryCrossentropy,
                                     x: x, y: y, weights: weights), GradientCheck.tolerance)
        // The wrapper hides the sigmoid from the trainer, so the loss takes its unfused path.
        var buildRng = SeededRandom(seed: 45)
        let unfused = try Network(inputShape: [4], layers: [Dense(units: 5, activation: .tanh),
                                                            InputGradientScaler(Dense(units: 1, activation: .sigmoid), factor: 1)],
                                  rng: &buildRng)
        XCTAssertLessThan(worstError(network: unfused, loss: .binaryCrossentropy, x: x, y: y, weights: weights), GradientCheck.tolerance)
    }

    /// A wrong weighting (the gradient left unweighted) is caught by the same check.
    func testCheckCatchesAnUnweightedGradient() throws {
        var rng = SeededRandom(seed: 46)
        let x = rng.uniformTensor(shape: [8, 4], -2, 2)
        let (y, _) = rng.oneHot(rows: 8, classes: 3)
        let network = try twoLayer(.softmax, outputs: 3, seed: 47)
        let trainer = Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(.sgd(momentum: 0)))
        _ = trainer.forwardBackward(x: x, y: y) // gradients without the weights
        let weights: [Float] = [0.4, 2.5, 1.3]
        let lossAt = { Double(Loss.crossentropy.value(predictions: network.predict(x), targets: y, classWeights: weights)) }
        let error = network.parameters.map { GradientCheck.relativeError(of: $0, loss: lossAt) }.max()!
        XCTAssertGreaterThan(error, 10 * GradientCheck.tolerance)
    }

    func testWeightedValueByHand() {
        let p = Tensor(shape: [2, 2], data: [0.8, 0.2, 0.4, 0.6])
        let y = Tensor(shape: [2, 2], data: [1, 0, 0, 1])
        // Row 1 is class 0 (weight 0.5), row 2 class 1 (weight 3); divided by the batch, as Keras does.
        XCTAssertEqual(Loss.crossentropy.value(predictions: p, targets: y, classWeights: [0.5, 3]),
                       -(0.5 * logf(0.8) + 3 * logf(0.6)) / 2, accuracy: 1e-6)
        let q = Tensor(shape: [2, 1], data: [0.8, 0.4])
        let t = Tensor(shape: [2, 1], data: [1, 0])
        XCTAssertEqual(Loss.binaryCrossentropy.value(predictions: q, targets: t, classWeights: [2, 0.25]),
                       -(0.25 * logf(0.8) + 2 * logf(0.6)) / 2, accuracy: 1e-6)
        // Weights of 1 change nothing.
        XCTAssertEqual(Loss.crossentropy.value(predictions: p, targets: y, classWeights: [1, 1]),
                       Loss.crossentropy.value(predictions: p, targets: y), accuracy: 1e-7)
    }

    func testAcceptsOnlyWeightsThatFit() {
        XCTAssertTrue(Loss.crossentropy.accepts(classWeights: [1, 2, 3], width: 3))
        XCTAssertFalse(Loss.crossentropy.accepts(classWeights: [1, 2], width: 3))
        XCTAssertTrue(Loss.binaryCrossentropy.accepts(classWeights: [1, 2], width: 1))
        XCTAssertFalse(Loss.binaryCrossentropy.accepts(classWeights: [1, 2], width: 2))
        XCTAssertFalse(Loss.mse.accepts(classWeights: [1], width: 1))
    }

    /// n / (k x count), as scikit-learn's compute_class_weight("balanced"): 10 rows, counts 6, 3, 1, 0.
    func testBalancedWeightsAsScikitLearn() {
        let labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2]
        let data = TrainingData(x: Tensor(shape: [10, 1]), y: Tensor(shape: [10, 4]), labels: labels)
        let weights = data.balancedClassWeights(classes: 4)!
        // compute_class_weight("balanced", classes=[0, 1, 2], y=labels) = [0.5556, 1.1111, 3.3333]
        XCTAssertEqual(weights[0], 10 / (3 * 6), accuracy: 1e-6)
        XCTAssertEqual(weights[1], 10 / (3 * 3), accuracy: 1e-6)
        XCTAssertEqual(weights[2], 10 / 3, accuracy: 1e-6)
        XCTAssertEqual(weights[3], 1) // absent from the rows
        XCTAssertNil(TrainingData(x: Tensor(shape: [1, 1]), y: Tensor(shape: [1, 1]), labels: nil).balancedClassWeights(classes: 2))
    }

    /// Training with the weights moves the decision towards the rare class: with one rare row
    /// in ten, the balanced model gives it a higher probability than the unweighted one.
    func testTrainingWithWeightsFavoursTheRareClass() throws {
        var rng = SeededRandom(seed: 48)
        let x = rng.uniformTensor(shape: [40, 4], -1, 1)
        let labels = (0..<40).map { $0 % 10 == 0 ? 1 : 0 }
        let y = Tensor(shape: [40, 1], data: labels.map(Float.init))
        func rareProbability(balanced: Bool) throws -> Float {
            let network = try twoLayer(.sigmoid, outputs: 1, seed: 49)
            var data = TrainingData(x: x, y: y, labels: labels)
            if balanced { data.classWeights = data.balancedClassWeights(classes: 2) }
            let trainer = Trainer(network: network, loss: .binaryCrossentropy, optimizer: Optimizer(.sgd(momentum: 0)))
            var shuffle = SeededRandom(seed: 50)
            _ = try trainer.train(data, options: TrainingOptions(learningRate: 0.1, epochs: 20, batchSize: 8), rng: &shuffle)
            let p = network.predict(x)
            return (0..<40).filter { labels[$0] == 1 }.map { p.data[$0] }.reduce(0, +) / 4
        }
        XCTAssertGreaterThan(try rareProbability(balanced: true), try rareProbability(balanced: false) + 0.1)
    }
}
