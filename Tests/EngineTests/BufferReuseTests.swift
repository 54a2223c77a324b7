import XCTest
import DLCore
@testable import Engine

/// The hot-path rule: no buffer is reallocated from batch to batch, not even for the partial
/// last batch of an epoch (tensors shrink and grow back within their capacity), and no
/// copy-on-write is triggered by a reference left behind somewhere.
final class BufferReuseTests: XCTestCase {
    func testTrainingReusesEveryBuffer() throws {
        var rng = SeededRandom(seed: 1)
        let dense = [Dense(units: 16, activation: .relu), Dense(units: 8, activation: .tanh),
                     Dense(units: 3, activation: .softmax)]
        let network = try Network(inputShape: [5], layers: dense, rng: &rng)
        let x = rng.uniformTensor(shape: [100, 5], -1, 1)   // batches of 32, 32, 32, 4
        let (y, labels) = rng.oneHot(rows: 100, classes: 3)
        let trainer = Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(.defaultAdam))

        func address(_ t: Tensor) -> Int { t.data.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) } }
        var snapshots: [[Int]] = []
        _ = try trainer.train(TrainingData(x: x, y: y, labels: labels),
                              options: TrainingOptions(learningRate: 0.01, epochs: 3, batchSize: 32), rng: &rng,
                              shouldStop: {
            // Read between batches: every buffer the next batch will write into.
            snapshots.append(dense.flatMap { [address($0.output), address($0.gradPreActivation)] }
                             + dense.dropFirst().map { address($0.gradInput) }
                             + [address(trainer.batchX), address(trainer.lossGradient)]
                             + network.parameters.flatMap { [address($0.value), address($0.gradient)] })
            return false
        })
        XCTAssertEqual(snapshots.count, 12)
        XCTAssertEqual(Set(snapshots).count, 1, "a buffer moved between batches")
    }
}
