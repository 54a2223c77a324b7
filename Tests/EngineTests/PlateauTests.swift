import XCTest
import DLCore
@testable import Engine

/// The plateau schedule against Keras 3's `ReduceLROnPlateau.on_epoch_end`, step by step.
final class PlateauTests: XCTestCase {
    /// Feeds one loss per epoch and gives the rate of each epoch, as the trainer does.
    private func rates(_ rule: Plateau, base: Float = 0.001, losses: [Float]) -> [Float] {
        var tracker = PlateauTracker(rule)
        var reductions = 0
        return losses.enumerated().map { index, loss in
            let rate = rule.learningRate(base: base, reductions: reductions)
            let record = EpochRecord(epoch: index + 1, loss: loss, accuracy: nil, seconds: 0, learningRate: rate)
            if tracker.update(record: record, rate: rate) { reductions += 1 }
            return rate
        }
    }

    func testTheRateDropsAfterPatienceEpochsWithoutImprovementDownToTheMinimum() {
        let rule = Plateau(monitor: .loss, patience: 2, factor: 0.5, minimum: 0.0002)
        // Epoch 2 is the best until 5; 3 and 4 wait, so epoch 5 has half the rate; 6, 7 wait
        // again, 8 and 9 too, and the third drop is clamped at the minimum: 0.000125 -> 0.0002.
        let losses: [Float] = [1.0, 0.9, 0.95, 0.96, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85]
        XCTAssertEqual(rates(rule, losses: losses),
                       [0.001, 0.001, 0.001, 0.001, 0.0005, 0.0005, 0.0005, 0.00025, 0.00025, 0.0002, 0.0002, 0.0002])
    }

    func testAnImprovementSmallerThanMinDeltaIsAWait() {
        let rule = Plateau(monitor: .loss, patience: 1, factor: 0.5, minimum: 0, minDelta: 0.01)
        // 0.995 is below 1 but not by more than 0.01: epoch 3 runs at half the rate; 0.98 improves.
        XCTAssertEqual(rates(rule, losses: [1, 0.995, 0.98, 0.975]), [0.001, 0.001, 0.0005, 0.0005].map { Float($0) })
        // With Keras's min_delta 0.0001 the same small step improves.
        XCTAssertEqual(rates(Plateau(monitor: .loss, patience: 1, minimum: 0), losses: [1, 0.995, 0.98]), [0.001, 0.001, 0.001])
    }

    func testCooldownEpochsDoNotCount() {
        // Keras: after a drop the counter goes 2 -> 1 -> 0 on the next two epochs; the second of
        // them already counts as a wait (PyTorch's cooldown=1 is the same).
        let rule = Plateau(monitor: .loss, patience: 1, factor: 0.5, minimum: 0, cooldown: 2)
        XCTAssertEqual(rates(rule, base: 1, losses: [1, 1, 1, 1, 1, 1, 1]), [1, 1, 0.5, 0.5, 0.25, 0.25, 0.125])
        let none = Plateau(monitor: .loss, patience: 1, factor: 0.5, minimum: 0, cooldown: 0)
        XCTAssertEqual(rates(none, base: 1, losses: [1, 1, 1, 1]), [1, 1, 0.5, 0.25])
    }

    func testTheRateIsAFloatRoundedAsKerasRoundsIt() {
        let rule = Plateau(factor: 0.1, minimum: 0.0001)
        // Keras: float32(max(float(lr) * 0.1, 1e-4)) each time, so the third rate is the float
        // just below 0.001 (0.0009999999), as Keras's own optimizer holds it; 1e-4 no longer drops.
        var expected: [Float] = [0.1]
        while Double(expected.last!) > Double(Float(0.0001)) { expected.append(Float(max(Double(expected.last!) * 0.1, 0.0001))) }
        XCTAssertEqual(expected.count, 4)
        for (got, decimal) in zip(expected, [0.1, 0.01, 0.001, 0.0001] as [Float]) { XCTAssertEqual(got, decimal, accuracy: decimal * 1e-6) }
        XCTAssertEqual(expected[2], 0.0009999999)
        for (k, rate) in expected.enumerated() { XCTAssertEqual(rule.learningRate(base: 0.1, reductions: k), rate) }
        XCTAssertEqual(rule.learningRate(base: 0.1, reductions: 9), Float(0.0001))
        XCTAssertEqual(rule.learningRate(base: 0.00005, reductions: 3), 0.00005, "a rate below the minimum is left alone")
        // A flat loss: epoch 1 is the best, epochs 2...51 wait, so epoch 52 is the first at 0.01.
        XCTAssertEqual(rates(rule, base: 0.1, losses: Array(repeating: 1, count: 300)),
                       Array(repeating: expected[0], count: 51) + Array(repeating: expected[1], count: 50)
                       + Array(repeating: expected[2], count: 50) + Array(repeating: expected[3], count: 149))
    }

    func testAValidationMonitorReadsTheValidationLoss() {
        var tracker = PlateauTracker(Plateau(monitor: .valLoss, patience: 1, minimum: 0))
        let better = EpochRecord(epoch: 1, loss: 9, accuracy: nil, seconds: 0, validationLoss: 1)
        let worseTrainingOnly = EpochRecord(epoch: 2, loss: 1, accuracy: nil, seconds: 0, validationLoss: 2)
        XCTAssertFalse(tracker.update(record: better, rate: 1))
        XCTAssertTrue(tracker.update(record: worseTrainingOnly, rate: 1), "the training loss fell but val_loss rose")
    }

    private func setup() throws -> (Network, TrainingData) {
        var rng = SeededRandom(seed: 41)
        let x = rng.uniformTensor(shape: [40, 2], -1, 1)
        let y = Tensor(shape: [40, 1], data: (0..<40).map { x.data[2 * $0] * x.data[2 * $0 + 1] })
        let network = try Network(inputShape: [2], layers: [Dense(units: 4, activation: .tanh), Dense(units: 1)], rng: &rng)
        return (network, TrainingData(x: x, y: y, labels: nil))
    }

    /// The trainer's rates are those the rule gives for the losses it reported; the drops stay with
    /// the trainer (Keras's optimizer) into the next call, whose patience starts afresh.
    func testTheTrainerDropsTheRateAndKeepsTheDropsAcrossCalls() throws {
        let (network, data) = try setup()
        // A rate this high makes the loss bounce, so that some epochs do not improve.
        let rule = Plateau(monitor: .loss, patience: 1, factor: 0.5, minimum: 0.01)
        let trainer = Trainer(network: network, loss: .mse, optimizer: Optimizer(.sgd(momentum: 0.9)))
        var rng = SeededRandom(seed: 42)
        let options = TrainingOptions(learningRate: 0.8, epochs: 12, batchSize: 8, schedule: .plateau(rule))
        let first = try trainer.train(data, options: options, rng: &rng)
        XCTAssertEqual(first.records.map(\.learningRate), rates(rule, base: 0.8, losses: first.records.map(\.loss)))
        XCTAssertGreaterThan(trainer.learningRateReductions, 0, "\(first.records.map(\.loss))")
        let reached = rule.learningRate(base: 0.8, reductions: trainer.learningRateReductions)
        let second = try trainer.train(data, options: TrainingOptions(learningRate: 0.8, epochs: 2, batchSize: 8, schedule: .plateau(rule)),
                                       rng: &rng)
        XCTAssertEqual(second.records[0].learningRate, reached, "the second call goes on at the lowered rate")
        XCTAssertEqual(second.records[1].learningRate, reached, "its first epoch is its best so far: no wait yet")
    }

    /// An interrupt undoes the epoch in progress; the drops are those of the epochs completed.
    func testAnInterruptKeepsTheDropsOfTheCompletedEpochs() throws {
        let rule = Plateau(monitor: .loss, patience: 1, factor: 0.5, minimum: 0.01)
        func run(epochs: Int, stopAtPoll: Int?) throws -> (Trainer, [EpochRecord]) {
            let (network, data) = try setup()
            let trainer = Trainer(network: network, loss: .mse, optimizer: Optimizer(.sgd(momentum: 0.9)))
            var rng = SeededRandom(seed: 42)
            var polls = 0
            let result = try trainer.train(data, options: TrainingOptions(learningRate: 0.8, epochs: epochs, batchSize: 8,
                                                                          schedule: .plateau(rule)), rng: &rng,
                                           shouldStop: { polls += 1; return polls == stopAtPoll })
            return (trainer, result.records)
        }
        // 5 batches an epoch: poll 48 is in epoch 10, so 9 epochs complete.
        let (interrupted, records) = try run(epochs: 100, stopAtPoll: 48)
        let (straight, nine) = try run(epochs: 9, stopAtPoll: nil)
        XCTAssertEqual(records.map(\.loss), nine.map(\.loss))
        XCTAssertEqual(interrupted.learningRateReductions, straight.learningRateReductions)
        XCTAssertEqual(interrupted.network.weights(), straight.network.weights())
    }
}
