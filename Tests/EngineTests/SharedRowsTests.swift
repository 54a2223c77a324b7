import XCTest
import DLCore
@testable import Engine

/// Data given as rows of a shared matrix (`TrainingData.rowsOfX`) trains and evaluates
/// exactly as a copy of those rows does.
final class SharedRowsTests: XCTestCase {
    private let all = TuningFixtures.blobs(rows: 2600, std: 0.8, seed: 61)

    /// Rows `rows` of `all`, copied into a matrix of their own.
    private func copy(_ rows: [Int]) -> TrainingData {
        let x = rows.flatMap { all.x.data[($0 * 2)..<($0 * 2 + 2)] }
        let y = rows.flatMap { all.y.data[($0 * 2)..<($0 * 2 + 2)] }
        return TrainingData(x: Tensor(shape: [rows.count, 2], data: x), y: Tensor(shape: [rows.count, 2], data: y),
                            labels: rows.map { all.labels![$0] })
    }

    /// The same rows, as indices into `all`'s matrix.
    private func shared(_ rows: [Int]) -> TrainingData {
        let picked = copy(rows)
        return TrainingData(x: all.x, rows: rows, y: picked.y, labels: picked.labels)
    }

    func testTrainingOnSharedRowsMatchesTrainingOnACopy() throws {
        var random = SeededRandom(seed: 62)
        let order = random.permutation(all.count)
        let fit = Array(order.prefix(300)), held = Array(order.dropFirst(300))   // held: three predict chunks
        func run(_ data: (([Int]) -> TrainingData)) throws -> (TrainingResult, [[Tensor]]) {
            let options = TrainingOptions(learningRate: 0.01, epochs: 3, batchSize: 16, validation: data(held))
            return try TuningFixtures.train(try TuningFixtures.classifier(seed: 63, width: 16), data(fit),
                                            options: options, seed: 64)
        }
        let (copied, copiedWeights) = try run(copy)
        let (viaRows, viaRowsWeights) = try run(shared)
        XCTAssertEqual(viaRows.records.map(\.figures), copied.records.map(\.figures))
        XCTAssertEqual(viaRowsWeights, copiedWeights)
        XCTAssertGreaterThan(held.count, 2 * Network.predictChunkRows)
    }

    func testEvaluateAndPredictOnSharedRowsMatchACopy() throws {
        let network = try TuningFixtures.classifier(seed: 65, width: 8)
        for rows in [[5, 3, 3, 0], Array((0..<all.count).reversed()), Array(stride(from: 1, to: all.count, by: 2))] {
            let a = network.evaluate(shared(rows), loss: .crossentropy)
            let b = network.evaluate(copy(rows), loss: .crossentropy)
            XCTAssertEqual(a.loss, b.loss)
            XCTAssertEqual(a.accuracy, b.accuracy)
            XCTAssertEqual(a.predictions.data, b.predictions.data)
            XCTAssertEqual(a.predictions.shape, [rows.count, 2])
        }
    }
}
