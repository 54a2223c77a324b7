import XCTest
import DLCore
@testable import Engine

/// 8-bit rows converted a batch at a time train exactly as the Float32 rows they stand for.
final class ByteRowsTests: XCTestCase {
    func testTrainingOnBytesEqualsTrainingOnTheirFloatsBitForBit() throws {
        var random = SeededRandom(seed: 7)
        let rows = 40, shape = [4, 3, 2]
        let bytes = (0..<(rows * 24)).map { _ in UInt8(random.next() % 256) }
        let offsets = (0..<24).map { Float($0) }, scales = [Float](repeating: 1 / 255, count: 24)
        let floats = zip(bytes.indices, bytes).map { i, b in (Float(b) - offsets[i % 24]) * scales[i % 24] }
        let labels = (0..<rows).map { $0 % 3 }
        var y = [Float](repeating: 0, count: rows * 3)
        for (i, label) in labels.enumerated() { y[i * 3 + label] = 1 }
        let train = [0, 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37]
        let trainY = Tensor(shape: [train.count, 3], data: train.flatMap { Array(y[($0 * 3)..<($0 * 3 + 3)]) })
        let byteData = TrainingData(inputs: .bytes(ByteRows(bytes: bytes, shape: [rows] + shape, offsets: offsets, scales: scales)),
                                    rows: train, y: trainY, labels: train.map { labels[$0] })
        let floatData = TrainingData(x: Tensor(shape: [rows] + shape, data: floats), rows: train, y: trainY, labels: train.map { labels[$0] })
        XCTAssertEqual(byteData.x, floatData.x)

        func trained(_ data: TrainingData) throws -> ([Tensor], Tensor) {
            var initial = SeededRandom(seed: 1)
            let network = try Network(inputShape: shape, layers: [Flatten(), Dense(units: 3, activation: .softmax)], rng: &initial)
            let trainer = Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(.sgd(momentum: 0)))
            var rng = SeededRandom(seed: 3)
            _ = try trainer.train(data, options: TrainingOptions(learningRate: 0.1, epochs: 3, batchSize: 5), rng: &rng)
            return (network.weights(), network.predict(data.inputs, rows: Array(0..<rows)))
        }
        let (byteWeights, bytePredictions) = try trained(byteData)
        let (floatWeights, floatPredictions) = try trained(floatData)
        XCTAssertEqual(byteWeights, floatWeights)
        XCTAssertEqual(bytePredictions, floatPredictions)
    }
}
