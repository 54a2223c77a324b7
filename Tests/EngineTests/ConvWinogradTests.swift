import XCTest
import DLCore
@testable import Engine

/// The Winograd path of Conv2D (3x3, stride 1, at least 8 channels) against the im2col path on
/// the same weights, by central differences, and threaded against one thread.
final class ConvWinogradTests: XCTestCase {
    private struct Case { let input: [Int]; let filters: Int; let padding: Padding; let activation: Activation }

    /// Sizes that are and are not multiples of the 4x4 output tile, channel and filter counts
    /// that are and are not multiples of the 8-lane blocks, both paddings, down to a 1x1 output.
    private let cases = [
        Case(input: [16, 16, 32], filters: 64, padding: .same, activation: .relu),
        Case(input: [7, 9, 8], filters: 11, padding: .same, activation: .tanh),
        Case(input: [6, 5, 13], filters: 8, padding: .valid, activation: .linear),
        Case(input: [3, 3, 9], filters: 20, padding: .valid, activation: .sigmoid),
        Case(input: [8, 8, 16], filters: 32, padding: .same, activation: .relu),
        // The fused passes (at most 4 channels).
        Case(input: [32, 32, 3], filters: 32, padding: .same, activation: .relu),
        Case(input: [9, 7, 1], filters: 8, padding: .same, activation: .tanh),
        Case(input: [6, 6, 4], filters: 12, padding: .valid, activation: .linear),
        Case(input: [5, 9, 2], filters: 9, padding: .same, activation: .sigmoid),
    ]

    /// A built pair: the same kernel and bias, one layer on each path.
    private func pair(_ c: Case, seed: UInt64) throws -> (winograd: Conv2D, im2col: Conv2D) {
        var rng = SeededRandom(seed: seed)
        let make = { Conv2D(kernelHeight: 3, kernelWidth: 3, filters: c.filters, padding: c.padding, activation: c.activation) }
        let winograd = make(), im2col = make()
        im2col.prefersWinograd = false
        try winograd.build(inputShape: c.input, rng: &rng)
        try im2col.build(inputShape: c.input, rng: &rng)
        for j in 0..<c.filters { winograd.parameters[1].value.data[j] = Float(rng.uniform(-0.5, 0.5)) }
        im2col.parameters[0].value = winograd.parameters[0].value
        im2col.parameters[1].value = winograd.parameters[1].value
        XCTAssertNotNil(winograd.winograd, "\(c.input)")
        XCTAssertNil(im2col.winograd)
        return (winograd, im2col)
    }

    private func largest(_ t: Tensor) -> Float { t.data.map(abs).max() ?? 0 }
    private func gap(_ a: Tensor, _ b: Tensor) -> Float { zip(a.data, b.data).map { abs($0 - $1) }.max() ?? 0 }

    func testForwardAndBackwardAgreeWithIm2col() throws {
        for (index, c) in cases.enumerated() {
            let (winograd, im2col) = try pair(c, seed: UInt64(index + 1))
            var rng = SeededRandom(seed: 77)
            let x = rng.uniformTensor(shape: [5] + c.input, -1, 1)
            let y = winograd.forward(x, training: true), expected = im2col.forward(x, training: true)
            XCTAssertEqual(y.shape, expected.shape)
            XCTAssertLessThan(gap(y, expected), 1e-5 * max(largest(expected), 1), "case \(index) output")
            let g = rng.uniformTensor(shape: y.shape, -1, 1)
            let dx = winograd.backward(g), expectedDx = im2col.backward(g)
            XCTAssertLessThan(gap(dx, expectedDx), 1e-5 * max(largest(expectedDx), 1), "case \(index) input gradient")
            for (a, b) in zip(winograd.parameters, im2col.parameters) {
                XCTAssertLessThan(gap(a.gradient, b.gradient), 2e-5 * max(largest(b.gradient), 1), "case \(index) \(a.name)")
            }
        }
    }

    func testGradientsByCentralDifferences() throws {
        for (index, c) in cases.dropFirst().enumerated() where c.activation != .relu {
            let (conv, _) = try pair(c, seed: UInt64(index + 10))
            var rng = SeededRandom(seed: 5)
            let x = rng.tensorAwayFromZero(shape: [2] + c.input)
            let weights = rng.uniformTensor(shape: [2] + conv.outputShape, -1, 1)
            let gradInput = GradientCheck.assertGradients(of: conv, x: x, weights: weights, context: "winograd case \(index)")
            XCTAssertGreaterThan(largest(gradInput), 1e-3)
        }
    }

    /// The 36 products are shared out whole, and the fused passes' kernel gradient is summed per
    /// fixed chunk of images, so threads change nothing, bit for bit.
    func testThreadedMatchesOneThread() throws {
        for batch in [1, 3, 64] { for c in [cases[0], cases[5]] {
            let (conv, _) = try pair(c, seed: 3)
            var rng = SeededRandom(seed: 4)
            let x = rng.uniformTensor(shape: [batch] + c.input, -1, 1)
            let g = rng.uniformTensor(shape: [batch] + conv.outputShape, -1, 1)
            let step = { () -> [Tensor] in
                let y = conv.forward(x, training: true)
                return [y, conv.backward(g)] + conv.parameters.map(\.gradient)
            }
            let threaded = step()
            Trainer.setSingleThreaded(true)
            let single = step()
            Trainer.setSingleThreaded(false)
            for (a, b) in zip(threaded, single) { XCTAssertEqual(a.data, b.data, "batch \(batch) \(c.input)") }
        } }
    }

    /// A first layer computes no input gradient; its kernel gradient is the same without it.
    func testFirstLayerSkipsTheInputGradient() throws {
        for c in [cases[0], cases[5]] {
            let (first, inner) = try pair(c, seed: 12)
            inner.prefersWinograd = true
            try inner.build(inputShape: c.input, rng: &rngForRebuild)
            inner.parameters[0].value = first.parameters[0].value
            inner.parameters[1].value = first.parameters[1].value
            first.computesInputGradient = false
            var rng = SeededRandom(seed: 13)
            let x = rng.uniformTensor(shape: [10] + c.input, -1, 1)
            let g = rng.uniformTensor(shape: [10] + first.outputShape, -1, 1)
            _ = first.forward(x, training: true); _ = inner.forward(x, training: true)
            XCTAssertEqual(first.backward(g).count, 0)
            XCTAssertEqual(inner.backward(g).shape, x.shape)
            XCTAssertEqual(first.parameters[0].gradient.data, inner.parameters[0].gradient.data)
        }
    }
    private var rngForRebuild = SeededRandom(seed: 99)

    /// Inference cuts a large batch into passes of bounded size; they give what one pass gives.
    func testInferenceInPassesMatchesOnePass() throws {
        let c = Case(input: [32, 32, 16], filters: 64, padding: .same, activation: .relu)
        let (conv, _) = try pair(c, seed: 8)
        let perImage = conv.winograd!.productFloatsPerImage
        let imagesPerPass = Conv2D.winogradInferenceLimit / perImage
        XCTAssertLessThan(imagesPerPass, 40)
        var rng = SeededRandom(seed: 9)
        let x = rng.uniformTensor(shape: [imagesPerPass * 2 + 3] + c.input, -1, 1)
        let passes = conv.forward(x, training: false)
        XCTAssertLessThanOrEqual(conv.winogradProducts.count, 36 * conv.winograd!.plane(images: imagesPerPass, width: 64))
        let whole = conv.forward(x, training: true)
        XCTAssertLessThan(gap(passes, whole), 1e-5 * largest(whole))
    }

    /// 5 to 7 channels, 5x5 kernels, strides and few filters keep the other paths.
    func testOnlyThreeByThreeStrideOneOverFewOrEightChannels() throws {
        var rng = SeededRandom(seed: 1)
        let shapes: [(Conv2D, [Int], Bool)] = [
            (Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 32, padding: .same), [32, 32, 3], true),
            (Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 32, padding: .same), [32, 32, 5], false),
            (Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 32, stride: 2, padding: .same), [32, 32, 16], false),
            (Conv2D(kernelHeight: 5, kernelWidth: 5, filters: 32), [32, 32, 16], false),
            (Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 4, padding: .same), [32, 32, 16], false),
            (Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 32, padding: .same), [32, 32, 8], true),
        ]
        for (conv, input, expected) in shapes {
            try conv.build(inputShape: input, rng: &rng)
            XCTAssertEqual(conv.winograd != nil, expected, "\(conv.kernelHeight)x\(conv.kernelWidth) s\(conv.stride) f\(conv.filters) on \(input)")
        }
    }
}
