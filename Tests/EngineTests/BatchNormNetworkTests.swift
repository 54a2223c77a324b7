import XCTest
import DLCore
@testable import Engine

/// BatchNorm inside networks: its moving statistics travel with `weights()` and early stopping's
/// snapshot, the optimizer leaves them to the layer, and networks with it train.
final class BatchNormNetworkTests: XCTestCase {
    /// Two blobs whose features sit on very different scales (x1 around ±150, x2 around ±0.015).
    private func blobs(rows: Int, seed: UInt64) -> TrainingData {
        TuningFixtures.blobs(rows: rows, center: (150, 0.015), std: (100, 0.01), seed: seed)
    }

    private func network(seed: UInt64) throws -> Network {
        var rng = SeededRandom(seed: seed)
        return try Network(inputShape: [2], layers: [Dense(units: 8, activation: .relu), BatchNorm(momentum: 0.9),
                                                    Dense(units: 2, activation: .softmax)], rng: &rng)
    }

    private func train(_ network: Network, _ data: TrainingData, optimizer: OptimizerKind = .sgd(momentum: 0),
                       options: TrainingOptions) throws -> TrainingResult {
        var rng = SeededRandom(seed: 3)
        return try Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(optimizer)).train(data, options: options, rng: &rng)
    }

    func testWeightsIncludeTheMovingStatisticsInKerasOrder() throws {
        let network = try network(seed: 1)
        XCTAssertEqual(network.variables.map(\.name),
                       ["kernel", "bias", "gamma", "beta", "moving_mean", "moving_variance", "kernel", "bias"])
        XCTAssertEqual(network.parameters.map(\.name), ["kernel", "bias", "gamma", "beta", "kernel", "bias"])
        XCTAssertEqual(network.states.map(\.name), ["moving_mean", "moving_variance"])
        XCTAssertEqual(network.weights().count, 8)

        let data = blobs(rows: 64, seed: 2)
        _ = try train(network, data, options: TrainingOptions(learningRate: 0.05, epochs: 2, batchSize: 16))
        let saved = network.weights()
        let predictions = network.predict(data.x)
        _ = try train(network, data, options: TrainingOptions(learningRate: 0.05, epochs: 2, batchSize: 16))
        XCTAssertNotEqual(network.states.map(\.value), Array(saved[4...5]))
        network.setWeights(saved)
        XCTAssertEqual(network.weights(), saved)
        XCTAssertEqual(network.predict(data.x), predictions)
    }

    /// One batch of the whole data through a first-layer BatchNorm under Adam: the moving
    /// statistics are exactly the layer's own update from the batch, even with non-zero gradients
    /// planted on them (an optimizer that stepped them would move them by about the learning rate).
    func testTheOptimizerLeavesTheStatesAlone() throws {
        var rng = SeededRandom(seed: 4)
        let batchNorm = BatchNorm()
        let network = try Network(inputShape: [2], layers: [batchNorm, Dense(units: 2, activation: .softmax)], rng: &rng)
        for state in network.states { state.gradient = Tensor(shape: state.value.shape, repeating: 1) }
        let data = blobs(rows: 32, seed: 5)
        _ = try train(network, data, optimizer: .defaultAdam,
                      options: TrainingOptions(learningRate: 0.1, epochs: 1, batchSize: 32))
        for j in 0..<2 {
            let column = (0..<32).map { Double(data.x.data[$0 * 2 + j]) }
            let mean = column.reduce(0, +) / 32
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 32
            XCTAssertEqual(Double(batchNorm.states[0].value.data[j]), 0.01 * mean, accuracy: 1e-5 * max(1, abs(mean)))
            XCTAssertEqual(Double(batchNorm.states[1].value.data[j]), 0.99 + 0.01 * variance, accuracy: 1e-5 * max(1, variance))
        }
        // Gamma and beta did move.
        XCTAssertNotEqual(batchNorm.parameters[0].value.data, [1, 1])
    }

    /// Early stopping's snapshot, taken at each improving epoch (the first by reference, later
    /// ones copied in place), holds the moving statistics of that epoch.
    func testEarlyStoppingSnapshotHoldsTheMovingStatistics() throws {
        let network = try network(seed: 6)
        var tracker = EarlyStoppingTracker(EarlyStopping(monitor: .loss, patience: 2))
        let movingMean = network.states[0]
        for (epoch, loss) in [(1, Float(1)), (2, 0.5), (3, 0.7)] {
            movingMean.value = Tensor(shape: [8], repeating: Float(epoch))
            _ = tracker.update(record: EpochRecord(epoch: epoch, loss: loss, accuracy: nil, seconds: 0), network: network)
        }
        XCTAssertEqual(tracker.bestEpoch, 2)
        XCTAssertEqual(tracker.bestWeights?[4], Tensor(shape: [8], repeating: 2))
        network.setWeights(tracker.bestWeights!)
        XCTAssertEqual(movingMean.value, Tensor(shape: [8], repeating: 2))
    }

    /// Unscaled features (scales 10^4 apart) learn through a BatchNorm; inference, on the moving
    /// statistics, classifies the rows as training did.
    func testADenseNetworkWithBatchNormTrains() throws {
        let data = blobs(rows: 200, seed: 7)
        let network = try network(seed: 8)
        let result = try train(network, data, options: TrainingOptions(learningRate: 0.1, epochs: 15, batchSize: 20))
        XCTAssertLessThan(result.records.last!.loss, result.records.first!.loss * 0.7)
        XCTAssertGreaterThanOrEqual(result.records.last!.accuracy!, 0.9)
        XCTAssertGreaterThanOrEqual(network.evaluate(data, loss: .crossentropy).accuracy!, 0.9)
    }

    /// Small images: a bright square top left (class 0) or bottom right (class 1), on a large offset.
    func testAConvNetworkWithBatchNormTrains() throws {
        var rng = SeededRandom(seed: 9)
        let rows = 64
        var x = rng.uniformTensor(shape: [rows, 6, 6, 1], 50, 51)
        var y = Tensor(shape: [rows, 2]), labels: [Int] = []
        for r in 0..<rows {
            let label = r % 2, corner = label == 0 ? 0 : 3
            for i in corner..<corner + 3 { for j in corner..<corner + 3 { x.data[r * 36 + i * 6 + j] += 2 } }
            y.data[r * 2 + label] = 1
            labels.append(label)
        }
        let network = try Network(inputShape: [6, 6, 1], layers: [
            Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 4), BatchNorm(), ActivationLayer(.relu),
            Flatten(), Dense(units: 2, activation: .softmax)], rng: &rng)
        XCTAssertEqual(network.layers[1].parameterCount + network.layers[1].nonTrainableCount, 16)
        let data = TrainingData(x: x, y: y, labels: labels)
        let result = try train(network, data, options: TrainingOptions(learningRate: 0.05, epochs: 10, batchSize: 16))
        XCTAssertLessThan(result.records.last!.loss, result.records.first!.loss * 0.5)
        XCTAssertGreaterThanOrEqual(result.records.last!.accuracy!, 0.9)
    }
}
