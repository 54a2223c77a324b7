import XCTest
import CKernels
import DLCore
@testable import Engine

/// The Winograd path of Conv1D (stride 1, kernels 2 to 7, at least 8 channels and filters; 8-point
/// tiles up to a kernel of 3, 10-point ones above)
/// against the im2col path on the same weights, by central differences, threaded against one
/// thread, and the AVX2 build against the portable one.
final class Conv1DWinogradTests: XCTestCase {
    private struct Case { let input: [Int]; let kernel: Int; let filters: Int; let padding: Padding; let activation: Activation }

    /// Every kernel size; lengths that are and are not multiples of the tile's outputs; channel
    /// and filter counts that are and are not multiples of the 8-lane blocks; both paddings; down
    /// to one output step. The first two are the FCN's second and third layers.
    private let cases = [
        Case(input: [150, 128], kernel: 5, filters: 256, padding: .same, activation: .linear),
        Case(input: [150, 256], kernel: 3, filters: 128, padding: .same, activation: .linear),
        Case(input: [23, 8], kernel: 3, filters: 11, padding: .valid, activation: .relu),
        Case(input: [17, 13], kernel: 5, filters: 8, padding: .same, activation: .tanh),
        Case(input: [40, 16], kernel: 2, filters: 24, padding: .same, activation: .sigmoid),
        Case(input: [31, 9], kernel: 4, filters: 16, padding: .same, activation: .relu),
        Case(input: [12, 10], kernel: 6, filters: 9, padding: .valid, activation: .linear),
        Case(input: [7, 8], kernel: 7, filters: 8, padding: .valid, activation: .tanh),
        Case(input: [5, 12], kernel: 7, filters: 10, padding: .same, activation: .linear),
    ]

    private func pair(_ c: Case, seed: UInt64) throws -> (winograd: Conv1D, im2col: Conv1D) {
        var rng = SeededRandom(seed: seed)
        let make = { Conv1D(kernelSize: c.kernel, filters: c.filters, padding: c.padding, activation: c.activation) }
        let winograd = make(), im2col = make()
        im2col.prefersWinograd = false
        try winograd.build(inputShape: c.input, rng: &rng)
        try im2col.build(inputShape: c.input, rng: &rng)
        for j in 0..<c.filters { winograd.parameters[1].value.data[j] = Float(rng.uniform(-0.5, 0.5)) }
        im2col.parameters[0].value = winograd.parameters[0].value
        im2col.parameters[1].value = winograd.parameters[1].value
        XCTAssertNotNil(winograd.winograd, "\(c.input) kernel \(c.kernel)")
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
            // Ten-point tiles (kernels 4 to 7) round about three times as coarsely as eight.
            let tolerance: Float = winograd.winograd!.points == 10 ? 3e-5 : 1e-5
            XCTAssertEqual(y.shape, expected.shape)
            XCTAssertLessThan(gap(y, expected), tolerance * max(largest(expected), 1), "case \(index) output")
            let g = rng.uniformTensor(shape: y.shape, -1, 1)
            let dx = winograd.backward(g), expectedDx = im2col.backward(g)
            XCTAssertEqual(dx.shape, expectedDx.shape)
            XCTAssertLessThan(gap(dx, expectedDx), tolerance * max(largest(expectedDx), 1), "case \(index) input gradient")
            for (a, b) in zip(winograd.parameters, im2col.parameters) {
                XCTAssertLessThan(gap(a.gradient, b.gradient), 2 * tolerance * max(largest(b.gradient), 1), "case \(index) \(a.name)")
            }
        }
    }

    func testGradientsByCentralDifferences() throws {
        for (index, c) in cases.enumerated().dropFirst(2) where c.activation != .relu {
            let (conv, _) = try pair(c, seed: UInt64(index + 10))
            var rng = SeededRandom(seed: 5)
            let x = rng.tensorAwayFromZero(shape: [2] + c.input)
            let weights = rng.uniformTensor(shape: [2] + conv.outputShape, -1, 1)
            let gradInput = GradientCheck.assertGradients(of: conv, x: x, weights: weights, context: "conv1d winograd case \(index)")
            XCTAssertGreaterThan(largest(gradInput), 1e-3)
        }
    }

    private func step(_ conv: Conv1D, _ x: Tensor, _ g: Tensor) -> [Tensor] {
        let y = conv.forward(x, training: true)
        return [y, conv.backward(g)] + conv.parameters.map(\.gradient)
    }

    /// The products are shared out whole and each series' tiles stay on one thread, so threads
    /// change nothing, bit for bit.
    func testThreadedMatchesOneThread() throws {
        for batch in [1, 3, 16] {
            let (conv, _) = try pair(cases[0], seed: 3)
            var rng = SeededRandom(seed: 4)
            let x = rng.uniformTensor(shape: [batch] + cases[0].input, -1, 1)
            let g = rng.uniformTensor(shape: [batch] + conv.outputShape, -1, 1)
            let threaded = step(conv, x, g)
            Trainer.setSingleThreaded(true)
            let single = step(conv, x, g)
            Trainer.setSingleThreaded(false)
            for (a, b) in zip(threaded, single) { XCTAssertEqual(a.data, b.data, "batch \(batch)") }
        }
    }

    /// The transforms sum in the same order in both C builds (-ffp-contract=off).
    func testPortableBuildMatchesVectorBuild() throws {
        for c in [cases[2], cases[3]] {
            let (conv, _) = try pair(c, seed: 6)
            var rng = SeededRandom(seed: 7)
            let x = rng.uniformTensor(shape: [4] + c.input, -1, 1)
            let g = rng.uniformTensor(shape: [4] + conv.outputShape, -1, 1)
            let chosen = step(conv, x, g)
            dl_direct_conv_use_portable(1)
            let portable = step(conv, x, g)
            dl_direct_conv_use_portable(0)
            for (a, b) in zip(chosen, portable) { XCTAssertEqual(a.data, b.data, "\(c.input) kernel \(c.kernel)") }
        }
    }

    /// A first layer computes no input gradient; its kernel gradient is the same without it.
    func testFirstLayerSkipsTheInputGradient() throws {
        let c = cases[3]
        let (first, _) = try pair(c, seed: 12)
        let inner = Conv1D(kernelSize: c.kernel, filters: c.filters, padding: c.padding, activation: c.activation)
        var rebuild = SeededRandom(seed: 99)
        try inner.build(inputShape: c.input, rng: &rebuild)
        inner.parameters[0].value = first.parameters[0].value
        inner.parameters[1].value = first.parameters[1].value
        first.computesInputGradient = false
        var rng = SeededRandom(seed: 13)
        let x = rng.uniformTensor(shape: [6] + c.input, -1, 1)
        let g = rng.uniformTensor(shape: [6] + first.outputShape, -1, 1)
        _ = first.forward(x, training: true); _ = inner.forward(x, training: true)
        XCTAssertEqual(first.backward(g).count, 0)
        XCTAssertEqual(inner.backward(g).shape, x.shape)
        XCTAssertEqual(first.parameters[0].gradient.data, inner.parameters[0].gradient.data)
    }

    /// Inference cuts a large batch into passes of bounded size; they give what one pass gives.
    func testInferenceInPassesMatchesOnePass() throws {
        let (conv, _) = try pair(cases[0], seed: 8)
        let plan = conv.winograd!
        let perPass = Conv1D.winogradInferenceLimit / plan.productFloatsPerSeries
        XCTAssertLessThan(perPass, 100)
        var rng = SeededRandom(seed: 9)
        let x = rng.uniformTensor(shape: [perPass * 2 + 3] + cases[0].input, -1, 1)
        let passes = conv.forward(x, training: false)
        XCTAssertLessThanOrEqual(conv.winogradProducts.count, plan.points * plan.plane(series: perPass, width: 256))
        let whole = conv.forward(x, training: true)
        XCTAssertLessThan(gap(passes, whole), 3e-5 * largest(whole))
    }

    /// Strides, dilation, kernels of 1 or 8 and more, and few channels or filters keep im2col.
    func testOnlyStrideOneUndilatedKernelsTwoToSevenOverEightChannels() throws {
        var rng = SeededRandom(seed: 1)
        let layers: [(Conv1D, [Int], Bool)] = [
            (Conv1D(kernelSize: 8, filters: 128, padding: .same), [150, 1], false),   // the FCN's first layer
            (Conv1D(kernelSize: 5, filters: 256, padding: .same), [150, 128], true),
            (Conv1D(kernelSize: 3, filters: 128, padding: .same), [150, 256], true),
            (Conv1D(kernelSize: 3, filters: 32, padding: .same), [50, 7], false),
            (Conv1D(kernelSize: 3, filters: 7, padding: .same), [50, 16], false),
            (Conv1D(kernelSize: 3, filters: 32, stride: 2, padding: .same), [50, 16], false),
            (Conv1D(kernelSize: 3, filters: 32, padding: .same, dilation: 2), [50, 16], false),
            (Conv1D(kernelSize: 1, filters: 32), [50, 16], false),
            (Conv1D(kernelSize: 8, filters: 32), [50, 16], false),
            (Conv1D(kernelSize: 2, filters: 8), [50, 8], true),
            (Conv1D(kernelSize: 7, filters: 8), [50, 8], true),
        ]
        for (conv, input, expected) in layers {
            try conv.build(inputShape: input, rng: &rng)
            XCTAssertEqual(conv.winograd != nil, expected, "kernel \(conv.kernelSize) s\(conv.stride) d\(conv.dilation) f\(conv.filters) on \(input)")
            if let plan = conv.winograd { XCTAssertEqual(plan.points, conv.kernelSize <= 3 ? 8 : 10, "kernel \(conv.kernelSize)") }
        }
    }
}
