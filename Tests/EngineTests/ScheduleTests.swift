import XCTest
import DLCore
@testable import Engine

final class ScheduleTests: XCTestCase {
    func testLearningRateTable() {
        let table: [(Schedule, [Int: Float])] = [
            (.constant, [1: 0.1, 2: 0.1, 50: 0.1]),
            (.step(every: 2, factor: 0.5), [1: 0.1, 2: 0.1, 3: 0.05, 4: 0.05, 5: 0.025, 7: 0.0125]),
            // Epoch 11: 0.1 * 0.9^10 with both factors rounded to Float first (0.9f = 0.89999998).
            (.exponential(rate: 0.9), [1: 0.1, 2: 0.09, 3: 0.081, 11: 0.034867834]),
            (.cosine(epochs: 4, minimum: 0.01),
             [1: 0.1, 2: 0.086819805, 3: 0.055, 4: 0.023180195, 5: 0.01, 9: 0.01]),
        ]
        for (schedule, expected) in table {
            for (epoch, rate) in expected.sorted(by: { $0.key < $1.key }) {
                XCTAssertEqual(schedule.learningRate(base: 0.1, epoch: epoch), rate, accuracy: 1e-8,
                               "\(schedule) at epoch \(epoch)")
            }
        }
        // The constant schedule hands back the base rate bit for bit.
        XCTAssertEqual(Schedule.constant.learningRate(base: 0.0123, epoch: 7), 0.0123)
        XCTAssertEqual(Schedule.step(every: 3, factor: 0.1).learningRate(base: 1, epoch: 0), 1, "epochs below 1 count as 1")
    }

    private func setup() throws -> (Network, TrainingData) {
        var rng = SeededRandom(seed: 31)
        let x = rng.uniformTensor(shape: [40, 2], -1, 1)
        let y = Tensor(shape: [40, 1], data: (0..<40).map { x.data[2 * $0] - x.data[2 * $0 + 1] })
        let network = try Network(inputShape: [2], layers: [Dense(units: 4, activation: .tanh), Dense(units: 1)], rng: &rng)
        return (network, TrainingData(x: x, y: y, labels: nil))
    }

    func testRecordsFollowTheSchedule() throws {
        let (network, data) = try setup()
        let schedule = Schedule.step(every: 2, factor: 0.5)
        var rng = SeededRandom(seed: 32)
        let trainer = Trainer(network: network, loss: .mse, optimizer: Optimizer(.sgd(momentum: 0)))
        let first = try trainer.train(data, options: TrainingOptions(learningRate: 0.2, epochs: 3, batchSize: 8,
                                                                     schedule: schedule), rng: &rng)
        XCTAssertEqual(first.records.map(\.learningRate), [0.2, 0.2, 0.1])
        // A continued call passes the offset: its epochs 1, 2, 3 are epochs 4, 5, 6 of training.
        let second = try trainer.train(data, options: TrainingOptions(learningRate: 0.2, epochs: 3, batchSize: 8,
                                                                      schedule: schedule, firstEpoch: 4), rng: &rng)
        XCTAssertEqual(second.records.map(\.epoch), [1, 2, 3])
        XCTAssertEqual(second.records.map(\.learningRate), [0.1, 0.05, 0.05])
    }

    func testScheduleChangesTheSteps() throws {
        func run(_ schedule: Schedule, epochs: Int = 3) throws -> [Tensor] {
            let (network, data) = try setup()
            var rng = SeededRandom(seed: 33)
            _ = try Trainer(network: network, loss: .mse, optimizer: Optimizer(.sgd(momentum: 0)))
                .train(data, options: TrainingOptions(learningRate: 0.2, epochs: epochs, batchSize: 8, schedule: schedule),
                       rng: &rng)
            return network.weights()
        }
        // A step schedule that has not stepped yet is the constant rate, exactly.
        XCTAssertEqual(try run(.step(every: 5, factor: 0.5)), try run(.constant))
        XCTAssertNotEqual(try run(.step(every: 2, factor: 0.5)), try run(.constant))
    }
}
