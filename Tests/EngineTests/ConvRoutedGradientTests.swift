import XCTest
import DLCore
@testable import Engine
import CKernels

/// An im2col conv (more filters than the direct kernels take) whose relu/leaky-relu output goes
/// into max pooling computes its backward pass from the entries the pooling routed a gradient
/// to (Conv2D+Routed.swift). Its gradients must agree with each layer doing its own part by
/// sgemm over every position, to rounding, and must not depend on the thread count.
final class ConvRoutedGradientTests: XCTestCase {
    private func network(seed: UInt64) throws -> Network {
        var rng = SeededRandom(seed: seed)
        // Windows of 3x3x24 = 216 floats, over `Conv2D.routedMinimumPatch`; im2col layers (3x3
        // layers over 8 channels would take the Winograd path, which routes nothing).
        let im2col = { (c: Conv2D) -> Conv2D in c.prefersWinograd = false; return c }
        return try Network(inputShape: [12, 12, 24], layers: [
            im2col(Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 24, padding: .same, activation: .relu)),
            Pool2D(size: 2),
            im2col(Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 9, activation: .leakyRelu)),
            Pool2D(size: 2, stride: 3),
            Flatten(),
            Dense(units: 4, activation: .softmax)], rng: &rng)
    }

    /// Gradients of one training step through the trainer (routed) for a batch of `rows`.
    private func routedGradients(rows: Int) throws -> (routed: [Tensor], plain: [Tensor]) {
        let routedNetwork = try network(seed: 5), plainNetwork = try network(seed: 5)
        var rng = SeededRandom(seed: 6)
        let x = rng.uniformTensor(shape: [rows, 12, 12, 24], -1, 1)
        let (y, _) = rng.oneHot(rows: rows, classes: 4)
        let trainer = Trainer(network: routedNetwork, loss: .crossentropy, optimizer: Optimizer(.sgd(momentum: 0)))
        XCTAssertTrue(routedNetwork.layers.compactMap { $0 as? Conv2D }.allSatisfy(\.routesGradient),
                      "both convs take the routed pass")
        _ = trainer.forwardBackward(x: x, y: y)
        XCTAssertTrue(routedNetwork.layers.compactMap { $0 as? Conv2D }.allSatisfy { $0.routingPool == nil },
                      "the routing is cleared after the pass")

        // The same pass by hand: every layer applies its own derivative, the convs by sgemm.
        let predictions = plainNetwork.forward(x, training: true)
        var gradient = Tensor(shape: [0])
        Loss.crossentropy.gradient(predictions: predictions, targets: y, into: &gradient, fusedWithActivation: true)
        let dense = try XCTUnwrap(plainNetwork.layers.last as? Dense)
        dense.gradientIsPreActivation = true
        plainNetwork.backward(gradient)
        dense.gradientIsPreActivation = false
        return (routedNetwork.parameters.map(\.gradient), plainNetwork.parameters.map(\.gradient))
    }

    func testRoutedGradientsMatchSgemmToRounding() throws {
        for rows in [1, 7, 20] { // 20: three chunks of images, the last one short
            let (routed, plain) = try routedGradients(rows: rows)
            for (i, (r, p)) in zip(routed, plain).enumerated() {
                let scale = p.data.map(abs).max()!
                XCTAssertGreaterThan(scale, 0, "parameter \(i)")
                let worst = zip(r.data, p.data).map { abs($0 - $1) }.max()!
                XCTAssertLessThanOrEqual(worst, 1e-5 * scale, "parameter \(i) of \(p.shape), batch \(rows)")
            }
        }
    }

    func testRoutedGradientsDoNotDependOnTheThreadCount() throws {
        let threaded = try routedGradients(rows: 40).routed
        Trainer.setSingleThreaded(true)
        defer { Trainer.setSingleThreaded(false) }
        let single = try routedGradients(rows: 40).routed
        for (a, b) in zip(threaded, single) {
            XCTAssertEqual(a.data.map(\.bitPattern), b.data.map(\.bitPattern))
        }
    }

    /// The portable kernels round exactly as the vector ones (both use fused multiply-adds).
    func testPortableKernelsMatchTheVectorOnes() throws {
        try XCTSkipUnless(dl_direct_conv_vectorized() == 1, "no AVX2 here: only the portable path runs")
        let vector = try routedGradients(rows: 9).routed
        dl_direct_conv_use_portable(1)
        defer { dl_direct_conv_use_portable(0) }
        let portable = try routedGradients(rows: 9).routed
        for (a, b) in zip(vector, portable) {
            XCTAssertEqual(a.data.map(\.bitPattern), b.data.map(\.bitPattern))
        }
    }
}
