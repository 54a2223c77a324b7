import XCTest
import DLCore
@testable import Engine

/// Validation figures in the epoch records.
final class ValidationTests: XCTestCase {
    private let train = TuningFixtures.blobs(rows: 60, std: 0.8, seed: 51)
    private let validation = TuningFixtures.blobs(rows: 1500, std: 0.8, seed: 52)   // two predict chunks

    private func options(epochs: Int, validation: TrainingData?) -> TrainingOptions {
        TrainingOptions(learningRate: 0.01, epochs: epochs, batchSize: 16, validation: validation)
    }

    func testValidationFiguresEqualEvaluateAfterEachEpoch() throws {
        // Three epochs in one call...
        let network = try TuningFixtures.classifier(seed: 53, width: 16, dropout: 0.5)
        let (all, _) = try TuningFixtures.train(network, train, options: options(epochs: 3, validation: validation), seed: 54)
        XCTAssertEqual(all.records.count, 3)

        // ...and one epoch per call with the same trainer and generator, evaluating after each.
        let stepwise = try TuningFixtures.classifier(seed: 53, width: 16, dropout: 0.5)
        let trainer = Trainer(network: stepwise, loss: .crossentropy, optimizer: Optimizer(.defaultAdam))
        var rng = SeededRandom(seed: 54)
        for epoch in 1...3 {
            let single = try trainer.train(train, options: options(epochs: 1, validation: validation), rng: &rng)
            let evaluation = stepwise.evaluate(validation, loss: .crossentropy)
            let record = all.records[epoch - 1]
            XCTAssertEqual(record.validationLoss, evaluation.loss, "epoch \(epoch)")
            XCTAssertEqual(record.validationAccuracy, evaluation.accuracy, "epoch \(epoch)")
            XCTAssertEqual(single.records[0].validationLoss, evaluation.loss)
            XCTAssertEqual(single.records[0].loss, record.loss, "training figures do not depend on how epochs are split")
        }
        XCTAssertEqual(stepwise.weights(), network.weights())
        // `evaluate` runs in inference mode, so the equalities above also show that the validation
        // pass kept dropout off (a training pass would have drawn a mask and scaled the rest).
        XCTAssertEqual(network.evaluate(validation, loss: .crossentropy).loss, all.records[2].validationLoss)
        XCTAssertEqual(all.records.map(\.learningRate), [0.01, 0.01, 0.01])
    }

    func testValidationDoesNotChangeTraining() throws {
        let with = try TuningFixtures.classifier(seed: 55, width: 16, dropout: 0.25)
        let (withResult, _) = try TuningFixtures.train(with, train, options: options(epochs: 4, validation: validation), seed: 56)
        let without = try TuningFixtures.classifier(seed: 55, width: 16, dropout: 0.25)
        let (withoutResult, _) = try TuningFixtures.train(without, train, options: options(epochs: 4, validation: nil), seed: 56)
        XCTAssertEqual(with.weights(), without.weights())
        XCTAssertEqual(withResult.records.map(\.loss), withoutResult.records.map(\.loss))
        XCTAssertEqual(withResult.records.map(\.accuracy), withoutResult.records.map(\.accuracy))
        XCTAssertTrue(withoutResult.records.allSatisfy { $0.validationLoss == nil && $0.validationAccuracy == nil })
        XCTAssertTrue(withResult.records.allSatisfy { $0.validationLoss != nil && $0.validationAccuracy != nil })
        XCTAssertNil(withoutResult.stoppedAt)
        XCTAssertNil(withoutResult.bestEpoch)
        XCTAssertFalse(withoutResult.restoredBest)
    }

    func testValidationWithoutLabelsHasNoAccuracy() throws {
        let unlabelled = TrainingData(x: validation.x, y: validation.y, labels: nil)
        let network = try TuningFixtures.classifier(seed: 57, width: 8)
        let (result, _) = try TuningFixtures.train(network, train, options: options(epochs: 2, validation: unlabelled), seed: 58)
        XCTAssertNil(result.records[1].validationAccuracy)
        XCTAssertEqual(result.records[1].validationLoss, network.evaluate(unlabelled, loss: .crossentropy).loss)
    }
}
