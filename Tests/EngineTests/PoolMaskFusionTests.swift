import XCTest
import DLCore
@testable import Engine

/// The trainer lets max pooling apply the relu/leaky-relu derivative of the conv before it;
/// the gradients must be bit-identical to each layer doing its own part.
final class PoolMaskFusionTests: XCTestCase {
    private func network(seed: UInt64) throws -> Network {
        var rng = SeededRandom(seed: seed)
        return try Network(inputShape: [12, 12, 2], layers: [
            Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 6, padding: .same, activation: .relu),
            Pool2D(size: 2),
            Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 5, activation: .leakyRelu),
            Pool2D(size: 2, stride: 3),
            Flatten(),
            Dense(units: 4, activation: .softmax)], rng: &rng)
    }

    func testMaskedPoolingGradientsMatchTheUnfusedPass() throws {
        let fusedNetwork = try network(seed: 5), plainNetwork = try network(seed: 5)
        var rng = SeededRandom(seed: 6)
        let x = rng.uniformTensor(shape: [7, 12, 12, 2], -1, 1)
        let (y, _) = rng.oneHot(rows: 7, classes: 4)
        let trainer = Trainer(network: fusedNetwork, loss: .crossentropy, optimizer: Optimizer(.sgd(momentum: 0)))
        _ = trainer.forwardBackward(x: x, y: y)

        // The same pass by hand, with every layer applying its own activation derivative.
        let predictions = plainNetwork.forward(x, training: true)
        var gradient = Tensor(shape: [0])
        Loss.crossentropy.gradient(predictions: predictions, targets: y, into: &gradient, fusedWithActivation: true)
        let dense = try XCTUnwrap(plainNetwork.layers.last as? Dense)
        dense.gradientIsPreActivation = true
        plainNetwork.backward(gradient)
        dense.gradientIsPreActivation = false

        for (fused, plain) in zip(fusedNetwork.parameters, plainNetwork.parameters) {
            XCTAssertEqual(fused.gradient.data.map(\.bitPattern), plain.gradient.data.map(\.bitPattern), fused.name)
            XCTAssertGreaterThan(plain.gradient.data.map(abs).max()!, 0, plain.name)
        }
        // The flags are cleared after the pass.
        XCTAssertFalse(fusedNetwork.layers.compactMap { $0 as? Conv2D }.contains { $0.gradientIsPreActivation })
        XCTAssertTrue(fusedNetwork.layers.compactMap { $0 as? Pool2D }.allSatisfy { $0.reluSlopeForPrevious == nil })
    }
}
