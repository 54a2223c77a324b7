import XCTest
import DLCore
@testable import Engine

final class TrainingTests: XCTestCase {
    /// Two Gaussian blobs in 2-D around (-1.5, -1.5) and (1.5, 1.5), std 0.6, one-hot targets.
    private func blobs(rows: Int, seed: UInt64) -> TrainingData {
        TuningFixtures.blobs(rows: rows, center: (1.5, 1.5), std: (0.6, 0.6), seed: seed)
    }

    /// XOR with noise: class 1 when the two coordinates have different signs; one 0/1 target column.
    private func xor(rows: Int, seed: UInt64) -> TrainingData {
        var rng = SeededRandom(seed: seed)
        var x: [Float] = [], labels: [Int] = []
        for r in 0..<rows {
            let a: Double = r % 2 == 0 ? 1 : -1, b: Double = (r / 2) % 2 == 0 ? 1 : -1
            x += [Float(rng.normal(mean: a, std: 0.2)), Float(rng.normal(mean: b, std: 0.2))]
            labels.append(a * b < 0 ? 1 : 0)
        }
        return TrainingData(x: Tensor(shape: [rows, 2], data: x),
                            y: Tensor(shape: [rows, 1], data: labels.map(Float.init)), labels: labels)
    }

    private func classifier(seed: UInt64, outputs: Int, activation: Activation) throws -> Network {
        var rng = SeededRandom(seed: seed)
        return try Network(inputShape: [2], layers: [Dense(units: 16, activation: .tanh),
                                                    Dense(units: outputs, activation: activation)], rng: &rng)
    }

    private func train(_ network: Network, _ data: TrainingData, loss: Loss, optimizer: OptimizerKind,
                       options: TrainingOptions, seed: UInt64 = 99) throws -> TrainingResult {
        var rng = SeededRandom(seed: seed)
        return try Trainer(network: network, loss: loss, optimizer: Optimizer(optimizer))
            .train(data, options: options, rng: &rng)
    }

    func testBlobsWithPlainSGD() throws {
        let data = blobs(rows: 200, seed: 1)
        let network = try classifier(seed: 2, outputs: 2, activation: .softmax)
        let result = try train(network, data, loss: .crossentropy, optimizer: .sgd(momentum: 0),
                               options: TrainingOptions(learningRate: 0.1, epochs: 10, batchSize: 16))
        XCTAssertEqual(result.records.map(\.epoch), Array(1...10))
        XCTAssertGreaterThanOrEqual(result.records.last!.accuracy!, 0.95)
        XCTAssertLessThan(result.records.last!.loss, result.records.first!.loss)
        XCTAssertGreaterThanOrEqual(network.evaluate(data, loss: .crossentropy).accuracy!, 0.95)
    }

    func testXorWithMomentumSGD() throws {
        let data = xor(rows: 200, seed: 3)
        let network = try classifier(seed: 4, outputs: 1, activation: .sigmoid)
        let result = try train(network, data, loss: .binaryCrossentropy, optimizer: .sgd(momentum: 0.9),
                               options: TrainingOptions(learningRate: 0.05, epochs: 30, batchSize: 16))
        XCTAssertLessThan(result.records.first!.accuracy!, 0.8, "XOR is not linearly separable; it must be learned")
        XCTAssertGreaterThanOrEqual(result.records.last!.accuracy!, 0.95)
        let evaluation = network.evaluate(data, loss: .binaryCrossentropy)
        XCTAssertGreaterThanOrEqual(evaluation.accuracy!, 0.95)
        XCTAssertEqual(evaluation.predictions.shape, [200, 1])
    }

    func testXorWithAdam() throws {
        let data = xor(rows: 200, seed: 5)
        let network = try classifier(seed: 6, outputs: 1, activation: .sigmoid)
        let result = try train(network, data, loss: .binaryCrossentropy, optimizer: .defaultAdam,
                               options: TrainingOptions(learningRate: 0.02, epochs: 30, batchSize: 32))
        XCTAssertLessThan(result.records.first!.accuracy!, 0.8, "XOR is not linearly separable; it must be learned")
        XCTAssertGreaterThanOrEqual(result.records.last!.accuracy!, 0.95)
        // Accuracy over the epoch is measured before each update, so evaluate afterwards too.
        XCTAssertGreaterThanOrEqual(network.evaluate(data, loss: .binaryCrossentropy).accuracy!, 0.95)
    }

    func testRegressionLearnsALine() throws {
        var rng = SeededRandom(seed: 7)
        let x = rng.uniformTensor(shape: [128, 1], -1, 1)
        let y = Tensor(shape: [128, 1], data: x.data.map { 3 * $0 - 1 })
        let data = TrainingData(x: x, y: y, labels: nil)
        var buildRng = SeededRandom(seed: 8)
        let network = try Network(inputShape: [1], layers: [Dense(units: 1)], rng: &buildRng)
        let result = try train(network, data, loss: .mse, optimizer: .defaultAdam,
                               options: TrainingOptions(learningRate: 0.1, epochs: 40, batchSize: 16))
        XCTAssertNil(result.records.last!.accuracy)
        XCTAssertEqual(network.parameters[0].value.data[0], 3, accuracy: 0.05)
        XCTAssertEqual(network.parameters[1].value.data[0], -1, accuracy: 0.05)
        XCTAssertNil(network.evaluate(data, loss: .mse).accuracy)
    }

    func testSameSeedSameLosses() throws {
        func run() throws -> ([Float], [Tensor]) {
            let network = try classifier(seed: 9, outputs: 2, activation: .softmax)
            let result = try train(network, blobs(rows: 100, seed: 10), loss: .crossentropy, optimizer: .defaultAdam,
                                   options: TrainingOptions(learningRate: 0.01, epochs: 3, batchSize: 7))
            return (result.records.map(\.loss), network.weights())
        }
        let (lossesA, weightsA) = try run(), (lossesB, weightsB) = try run()
        XCTAssertEqual(lossesA, lossesB)
        XCTAssertEqual(weightsA, weightsB)
        // A different shuffle seed changes the result, so the comparison above is not vacuous.
        let network = try classifier(seed: 9, outputs: 2, activation: .softmax)
        let other = try train(network, blobs(rows: 100, seed: 10), loss: .crossentropy, optimizer: .defaultAdam,
                              options: TrainingOptions(learningRate: 0.01, epochs: 3, batchSize: 7), seed: 100)
        XCTAssertNotEqual(other.records.map(\.loss), lossesA)
    }

    func testNonFiniteLossStopsAtOnce() throws {
        var rng = SeededRandom(seed: 11)
        let x = rng.uniformTensor(shape: [64, 3], -10, 10)
        let y = Tensor(shape: [64, 1], data: (0..<64).map { Float($0) * 100 })
        var buildRng = SeededRandom(seed: 12)
        let network = try Network(inputShape: [3], layers: [Dense(units: 8, activation: .relu), Dense(units: 1)],
                                  rng: &buildRng)
        var batchesSeen = 0
        var thrown: Error?
        do {
            var shuffle = SeededRandom(seed: 13)
            _ = try Trainer(network: network, loss: .mse, optimizer: Optimizer(.sgd(momentum: 0)))
                .train(TrainingData(x: x, y: y, labels: nil),
                       options: TrainingOptions(learningRate: 1e6, epochs: 5, batchSize: 8), rng: &shuffle,
                       onEvent: { if case .batchFinished = $0 { batchesSeen += 1 } })
        } catch { thrown = error }
        guard case .nonFinite(let epoch, let batch, let value)? = thrown as? TrainingFailure else {
            return XCTFail("expected TrainingFailure.nonFinite, got \(String(describing: thrown))")
        }
        XCTAssertEqual(epoch, 1)
        XCTAssertEqual(batch, batchesSeen + 1, "the failing batch is the one after the last finished one")
        XCTAssertGreaterThan(batch, 1, "the first batch runs on sane initial weights")
        XCTAssertFalse(value.isFinite)
    }

    func testShouldStopAfterThreeBatches() throws {
        let data = blobs(rows: 100, seed: 14)
        let network = try classifier(seed: 15, outputs: 2, activation: .softmax)
        let before = network.weights()
        var batchesSeen = 0, calls = 0
        var rng = SeededRandom(seed: 16)
        let result = try Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(.sgd(momentum: 0)))
            .train(data, options: TrainingOptions(learningRate: 0.1, epochs: 5, batchSize: 10), rng: &rng,
                   shouldStop: { calls += 1; return calls == 3 },
                   onEvent: { if case .batchFinished = $0 { batchesSeen += 1 } })
        XCTAssertEqual(result.interruptedAt, 1)
        XCTAssertEqual(result.records, [])
        XCTAssertEqual(batchesSeen, 3)
        XCTAssertEqual(network.weights(), before, "the epoch in progress is undone: no epoch finished, so the weights are as they were")
    }

    /// An interrupt in epoch 3 undoes that epoch's batches (weights, momentum, dropout draws):
    /// what is left, and any training after it, equals a run of 2 epochs and the same after it.
    func testAnInterruptedEpochIsUndoneSoTwoEpochsReplayIt() throws {
        let data = blobs(rows: 100, seed: 20)
        func network() throws -> Network {
            var rng = SeededRandom(seed: 21)
            return try Network(inputShape: [2], layers: [Dense(units: 16, activation: .relu), Dropout(rate: 0.3),
                                                        Dense(units: 2, activation: .softmax)], rng: &rng)
        }
        let options = TrainingOptions(learningRate: 0.1, epochs: 5, batchSize: 10)
        let interrupted = try network(), replayed = try network()
        let first = Trainer(network: interrupted, loss: .crossentropy, optimizer: Optimizer(.sgd(momentum: 0.9)))
        var calls = 0, rng = SeededRandom(seed: 22)
        let result = try first.train(data, options: options, rng: &rng, shouldStop: { calls += 1; return calls == 24 })
        XCTAssertEqual(result.interruptedAt, 3)
        XCTAssertEqual(result.records.count, 2)
        let second = Trainer(network: replayed, loss: .crossentropy, optimizer: Optimizer(.sgd(momentum: 0.9)))
        rng = SeededRandom(seed: 22)
        var two = options
        two.epochs = 2
        XCTAssertEqual(try second.train(data, options: two, rng: &rng).records.map(\.loss), result.records.map(\.loss))
        XCTAssertEqual(interrupted.weights(), replayed.weights(), "the weights are those after epoch 2")
        // A later run (new shuffles, the masks of run 1) goes on identically: the momentum was undone too.
        for (trainer, network) in [(first, interrupted), (second, replayed)] {
            network.restartRandomness(run: 1)
            var later = SeededRandom(seed: 23)
            _ = try trainer.train(data, options: two, rng: &later)
        }
        XCTAssertEqual(interrupted.weights(), replayed.weights(), "training after the interrupt goes on as after 2 epochs")
    }

    func testEventsAndRunningLoss() throws {
        let data = blobs(rows: 50, seed: 17)   // batches of 16, 16, 16, 2
        let network = try classifier(seed: 18, outputs: 2, activation: .softmax)
        var events: [TrainingEvent] = []
        var rng = SeededRandom(seed: 19)
        let result = try Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(.sgd(momentum: 0.5)))
            .train(data, options: TrainingOptions(learningRate: 0.05, epochs: 2, batchSize: 16), rng: &rng,
                   onEvent: { events.append($0) })
        XCTAssertEqual(events.count, 2 * (1 + 4 + 1))
        guard case .epochStarted(1, 2, 4) = events[0] else { return XCTFail("\(events[0])") }
        guard case .batchFinished(1, 4, 4, let running) = events[4] else { return XCTFail("\(events[4])") }
        guard case .epochFinished(let record) = events[5] else { return XCTFail("\(events[5])") }
        XCTAssertEqual(record, result.records[0])
        XCTAssertEqual(running, record.loss, accuracy: 1e-6)
        XCTAssertGreaterThan(record.seconds, 0)
        XCTAssertEqual(record.accuracy.map { $0 * 50 }.map { $0.rounded() == $0 }, true, "accuracy counts whole rows")
    }
}
