import XCTest
import DLCore
@testable import Engine

/// Bit-level fingerprints of the weights after short LeNet-5 and MLP runs, printed by hand only
/// (`DL_FINGERPRINT=1`): comparing them before and after a speed change shows whether the
/// arithmetic moved by even one bit. Not pinned in a test because OpenBLAS's kernels (and so
/// the last bits) depend on the CPU.
final class FingerprintTests: XCTestCase {
    private func fingerprint(_ network: Network) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for tensor in network.weights() {
            for value in tensor.data { hash = (hash ^ UInt64(value.bitPattern)) &* 1_099_511_628_211 }
        }
        return String(hash, radix: 16)
    }

    func testPrintFingerprints() throws {
        guard ProcessInfo.processInfo.environment["DL_FINGERPRINT"] != nil else { throw XCTSkip("set DL_FINGERPRINT=1") }
        var rng = SeededRandom(seed: 5)
        let x = rng.uniformTensor(shape: [1000, 28, 28, 1], 0, 1)
        let (y, labels) = rng.oneHot(rows: 1000, classes: 10)
        let lenet = try Network(inputShape: [28, 28, 1], layers: ConvShapeTests.leNet5(), rng: &rng)
        _ = try Trainer(network: lenet, loss: .crossentropy, optimizer: Optimizer(.sgd(momentum: 0)))
            .train(TrainingData(x: x, y: y, labels: labels),
                   options: TrainingOptions(learningRate: 0.1, epochs: 2, batchSize: 64), rng: &rng)
        let flat = Tensor(shape: [3000, 784], data: x.data + x.data + x.data)
        let (y2, labels2) = rng.oneHot(rows: 3000, classes: 10)
        let mlp = try Network(inputShape: [784], layers: [Dense(units: 128, activation: .relu),
                                                          Dense(units: 64, activation: .relu),
                                                          Dense(units: 10, activation: .softmax)], rng: &rng)
        _ = try Trainer(network: mlp, loss: .crossentropy, optimizer: Optimizer(.sgd(momentum: 0)))
            .train(TrainingData(x: flat, y: y2, labels: labels2),
                   options: TrainingOptions(learningRate: 0.1, epochs: 2, batchSize: 128), rng: &rng)
        let small = try Network(inputShape: [28, 28, 1], layers: [
            Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 8, stride: 2, padding: .same, activation: .tanh),
            Pool2D(size: 2, mode: .avg),
            Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 4, padding: .same, activation: .leakyRelu),
            Pool2D(size: 3, stride: 2),
            Flatten(), Dense(units: 10, activation: .softmax)], rng: &rng)
        _ = try Trainer(network: small, loss: .crossentropy, optimizer: Optimizer(.defaultAdam))
            .train(TrainingData(x: x, y: y, labels: labels),
                   options: TrainingOptions(learningRate: 0.01, epochs: 2, batchSize: 50), rng: &rng)
        print("FINGERPRINT lenet \(fingerprint(lenet)) mlp \(fingerprint(mlp)) small \(fingerprint(small))")
    }
}
