import XCTest
import DLCore
@testable import Engine

/// Early stopping on a small overfitting setup: 16 noisy training rows, a 64-64 network, Adam.
/// Validation loss is lowest at epoch 6 and rises from there as the network memorises.
final class EarlyStoppingTests: XCTestCase {
    private let train = TuningFixtures.blobs(rows: 16, std: 0.8, seed: 41)
    private let validation = TuningFixtures.blobs(rows: 200, std: 0.8, seed: 42)

    private func run(_ stopping: EarlyStopping?, epochs: Int = 100,
                     validation: TrainingData?? = .none) throws -> (Network, TrainingResult, [[Tensor]]) {
        let network = try TuningFixtures.classifier(seed: 43)
        let options = TrainingOptions(learningRate: 0.001, epochs: epochs, batchSize: 8,
                                      validation: validation ?? self.validation, earlyStopping: stopping)
        let (result, weights) = try TuningFixtures.train(network, train, options: options, seed: 44)
        return (network, result, weights)
    }

    /// Keras's rule restated: the first epoch e >= 2 that did not improve and lies at least `patience`
    /// epochs after the first best epoch in 1...e; nil when there is none. (Epoch e not improving
    /// means it is not that best epoch, so the distance is at least 1 even for patience 0.)
    private func kerasStop(_ values: [Float], patience: Int, maximise: Bool = false) -> Int? {
        for e in 2...values.count {
            let prefix = values[0..<e]
            let best = maximise ? prefix.max()! : prefix.min()!
            if e - (prefix.firstIndex(of: best)! + 1) >= max(patience, 1) { return e }
        }
        return nil
    }

    func testStopsEarlyAndRestoresTheBestWeights() throws {
        let (_, full, _) = try run(nil)
        let losses = full.records.map { $0.validationLoss! }
        let expectedBest = losses.firstIndex(of: losses.min()!)! + 1
        XCTAssertEqual(expectedBest, 6, "the setup overfits after epoch 6")

        let (network, result, weights) = try run(EarlyStopping(patience: 5))
        XCTAssertEqual(result.stoppedAt, kerasStop(losses, patience: 5))
        XCTAssertEqual(result.stoppedAt, 11, "stops after 5 epochs without improvement")
        XCTAssertEqual(result.records.count, 11)
        XCTAssertEqual(result.records.map(\.figures), full.records.prefix(11).map(\.figures),
                       "early stopping does not change the epochs it lets run")
        XCTAssertEqual(result.bestEpoch, 6)
        XCTAssertEqual(result.bestValue, losses[5])
        XCTAssertTrue(result.restoredBest)
        XCTAssertEqual(network.weights(), weights[5], "the weights are exactly those after epoch 6")
        XCTAssertNotEqual(weights[10], weights[5])
        XCTAssertEqual(network.evaluate(validation, loss: .crossentropy).loss, result.records[5].validationLoss)
    }

    func testWithoutRestoreKeepsTheLastWeights() throws {
        let (network, result, weights) = try run(EarlyStopping(patience: 5, restoreBest: false))
        XCTAssertEqual(result.stoppedAt, 11)
        XCTAssertEqual(result.bestEpoch, 6)
        XCTAssertFalse(result.restoredBest)
        XCTAssertEqual(network.weights(), weights[10])
        XCTAssertEqual(network.evaluate(validation, loss: .crossentropy).loss, result.records[10].validationLoss)
    }

    func testPatienceSemantics() throws {
        let (_, full, _) = try run(nil, epochs: 40)
        let losses = full.records.map { $0.validationLoss! }
        for patience in [0, 1, 2, 3, 8] {
            let (_, result, _) = try run(EarlyStopping(patience: patience), epochs: 40)
            XCTAssertEqual(result.stoppedAt, kerasStop(losses, patience: patience), "patience \(patience)")
            XCTAssertEqual(result.stoppedAt.map { $0 - result.bestEpoch! }, max(patience, 1),
                           "stops `patience` epochs after the best; patience 0 at the first epoch without improvement")
        }
    }

    func testMinDeltaNeedsABiggerImprovement() throws {
        // Training loss falls every epoch, but never by 10 in one go: the first epoch is the best.
        let (_, result, _) = try run(EarlyStopping(monitor: .loss, patience: 2, minDelta: 10), validation: .some(nil))
        XCTAssertEqual(result.stoppedAt, 3)
        XCTAssertEqual(result.bestEpoch, 1)
        XCTAssertEqual(result.bestValue, result.records[0].loss)
        XCTAssertTrue(result.records.allSatisfy { $0.validationLoss == nil })
    }

    func testValAccuracyIsMaximised() throws {
        let (_, full, _) = try run(nil, epochs: 30)
        let accuracies = full.records.map { $0.validationAccuracy! }
        let (network, result, weights) = try run(EarlyStopping(monitor: .valAccuracy, patience: 3), epochs: 30)
        XCTAssertEqual(result.bestEpoch, 2)
        XCTAssertEqual(result.bestValue, accuracies.max())
        XCTAssertEqual(result.bestValue, 0.83)
        XCTAssertEqual(result.stoppedAt, kerasStop(accuracies, patience: 3, maximise: true))
        XCTAssertEqual(result.stoppedAt, 5)
        XCTAssertTrue(result.restoredBest)
        XCTAssertEqual(network.weights(), weights[1])
        XCTAssertEqual(network.evaluate(validation, loss: .crossentropy).accuracy, 0.83)
    }

    func testRunningToTheEndStillRestoresAnEarlierBest() throws {
        let (network, result, weights) = try run(EarlyStopping(patience: 50), epochs: 20)
        XCTAssertNil(result.stoppedAt, "ran to the last epoch")
        XCTAssertEqual(result.records.count, 20)
        XCTAssertEqual(result.bestEpoch, 6)
        XCTAssertTrue(result.restoredBest)
        XCTAssertEqual(network.weights(), weights[5])
    }

    func testBestAtTheLastEpochIsNotARestore() throws {
        let (network, result, weights) = try run(EarlyStopping(monitor: .loss, patience: 3), epochs: 5,
                                                 validation: .some(nil))
        XCTAssertNil(result.stoppedAt)
        XCTAssertEqual(result.bestEpoch, 5, "training loss falls every epoch here")
        XCTAssertFalse(result.restoredBest)
        XCTAssertEqual(network.weights(), weights[4])
    }

    func testContinuedTrainingCountsFromOneAgain() throws {
        // A second call tracks its own best: bestEpoch and stoppedAt are 1-based within the call.
        let network = try TuningFixtures.classifier(seed: 43)
        let trainer = Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(.defaultAdam))
        var rng = SeededRandom(seed: 44)
        let options = TrainingOptions(learningRate: 0.001, epochs: 4, batchSize: 8, firstEpoch: 1,
                                      validation: validation, earlyStopping: EarlyStopping(patience: 100))
        _ = try trainer.train(train, options: options, rng: &rng)
        var next = options
        next.firstEpoch = 5
        let second = try trainer.train(train, options: next, rng: &rng)
        XCTAssertEqual(second.bestEpoch, 2, "epoch 6 of training is epoch 2 of the second call")
        XCTAssertTrue(second.restoredBest)
    }
}
