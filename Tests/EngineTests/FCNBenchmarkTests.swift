import XCTest
import DLCore
@testable import Engine

/// FCN epoch timing (Wang et al.'s network, 2,000 series x 150 steps, batch 16, Adam), by hand only:
/// `DL_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter FCNBenchmarkTests`
/// (skipped otherwise; debug timings mean nothing). `scripts/bench` times the same through `dl`.
final class FCNBenchmarkTests: XCTestCase {
    static func fcn(classes: Int) -> [Layer] {
        [Conv1D(kernelSize: 8, filters: 128, padding: .same), BatchNorm(), ActivationLayer(.relu),
         Conv1D(kernelSize: 5, filters: 256, padding: .same), BatchNorm(), ActivationLayer(.relu),
         Conv1D(kernelSize: 3, filters: 128, padding: .same), BatchNorm(), ActivationLayer(.relu),
         GlobalPool(mode: .avg), Dense(units: classes, activation: .softmax)]
    }

    func testFCNEpochTime() throws {
        guard ProcessInfo.processInfo.environment["DL_BENCH"] != nil else { throw XCTSkip("set DL_BENCH=1 to time") }
        let rows = 2_000
        var rng = SeededRandom(seed: 1)
        let x = rng.uniformTensor(shape: [rows, 150, 1], -1, 1)
        let (y, labels) = rng.oneHot(rows: rows, classes: 5)
        let network = try Network(inputShape: [150, 1], layers: Self.fcn(classes: 5), rng: &rng)
        let trainer = Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-7)))
        let result = try trainer.train(TrainingData(x: x, y: y, labels: labels),
                                       options: TrainingOptions(learningRate: 0.001, epochs: 2, batchSize: 16), rng: &rng)
        for record in result.records {
            print(String(format: "FCN epoch %d: %.3f s, loss %.4f", record.epoch, record.seconds, record.loss))
        }
        let clock = ContinuousClock()
        var batch = Tensor(shape: [16, 150, 1])
        for i in batch.data.indices { batch.data[i] = x.data[i] }
        var forward = [Duration](repeating: .zero, count: network.layers.count)
        var backward = forward
        (network.layers[0] as? InputGradientOptional)?.computesInputGradient = false
        for _ in 0..<50 {
            var activations = batch
            for (i, layer) in network.layers.enumerated() {
                let start = clock.now
                activations = layer.forward(activations, training: true)
                forward[i] += start.duration(to: clock.now)
            }
            var g = Tensor(shape: [16, 5], repeating: 0.01)
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
