import XCTest
import DLCore
@testable import Engine

/// LeNet-5 epoch timing, by hand only: `DL_BENCH=1 swift test -c release -Xswiftc -enable-testing
/// --filter ConvBenchmarkTests` (skipped otherwise; debug timings mean nothing).
final class ConvBenchmarkTests: XCTestCase {
    func testLeNet5EpochTime() throws {
        guard ProcessInfo.processInfo.environment["DL_BENCH"] != nil else { throw XCTSkip("set DL_BENCH=1 to time") }
        let rows = 10_000
        var rng = SeededRandom(seed: 1)
        let x = rng.uniformTensor(shape: [rows, 28, 28, 1], 0, 1)
        let (y, labels) = rng.oneHot(rows: rows, classes: 10)
        let network = try Network(inputShape: [28, 28, 1], layers: ConvShapeTests.leNet5(), rng: &rng)
        let trainer = Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(.sgd(momentum: 0)))
        let result = try trainer.train(TrainingData(x: x, y: y, labels: labels),
                                       options: TrainingOptions(learningRate: 0.1, epochs: 3, batchSize: 64), rng: &rng)
        for record in result.records {
            print(String(format: "LeNet-5 epoch %d: %.3f s, loss %.4f", record.epoch, record.seconds, record.loss))
        }

        // Per-layer split over 50 batches of 64.
        let clock = ContinuousClock()
        var batch = Tensor(shape: [64, 28, 28, 1])
        for i in batch.data.indices { batch.data[i] = x.data[i] }
        var forward = [Duration](repeating: .zero, count: network.layers.count)
        var backward = forward
        var gradient = Tensor(shape: [64, 10], repeating: 0.01)
        (network.layers[0] as? InputGradientOptional)?.computesInputGradient = false   // as in training
        for _ in 0..<50 {
            var activations = batch
            for (i, layer) in network.layers.enumerated() {
                let start = clock.now
                activations = layer.forward(activations, training: true)
                forward[i] += start.duration(to: clock.now)
            }
            gradient = Tensor(shape: [64, 10], repeating: 0.01)
            var g = gradient
            for (i, layer) in network.layers.enumerated().reversed() {
                let start = clock.now
                g = layer.backward(g)
                backward[i] += start.duration(to: clock.now)
            }
        }
        for (i, layer) in network.layers.enumerated() {
            print("\(layer.kind) \(layer.outputShape): forward \(forward[i] / 50), backward \(backward[i] / 50)")
        }
    }
}
