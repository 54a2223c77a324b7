import XCTest
import CKernels
import DLCore
@testable import Engine

/// Conv layers with few filters run the direct kernels of CKernels; they must give, bit for bit,
/// what im2col + OpenBLAS gives (CKernels.h: the same chains of fused multiply-adds).
final class DirectConvolutionTests: XCTestCase {
    /// The order the kernels copy is the one of OpenBLAS's Haswell-family kernels (this machine's
    /// and CI's); on another CPU family OpenBLAS rounds its own way and only closeness holds.
    private var openBlasAddsLikeHaswell: Bool { blasAddsLikeHaswell }

    /// Forward output, input gradient and parameter gradients of one training step.
    private func step(_ layer: Conv2D, input: Tensor, gradient: Tensor) -> [Tensor] {
        let output = layer.forward(input, training: true)
        let gradInput = layer.backward(gradient)
        return [output, gradInput] + layer.parameters.map(\.gradient)
    }

    private func assertDirectMatchesIm2col(_ make: () -> Conv2D, inputShape: [Int], batch: Int,
                                           firstLayer: Bool = false,
                                           file: StaticString = #filePath, line: UInt = #line) throws {
        var results: [[Tensor]] = []
        for direct in [true, false] {
            var rng = SeededRandom(seed: 21)
            let layer = make()
            layer.prefersDirectKernels = direct
            layer.computesInputGradient = !firstLayer
            try layer.build(inputShape: inputShape, rng: &rng)
            XCTAssertEqual(layer.direct != nil, direct, "direct kernels chosen", file: file, line: line)
            // Biases start at zero; make them count (half the outputs then land below zero for relu).
            layer.parameters[1].value = rng.uniformTensor(shape: [layer.filters], -0.5, 0.5)
            let x = rng.uniformTensor(shape: [batch] + inputShape, -1, 1)
            // Some zeros in the gradient, as after a relu.
            var g = rng.uniformTensor(shape: [batch] + layer.outputShape, -1, 1)
            for i in stride(from: 0, to: g.count, by: 3) { g.data[i] = 0 }
            results.append(step(layer, input: x, gradient: g))
        }
        for (i, (a, b)) in zip(results[0], results[1]).enumerated() {
            XCTAssertEqual(a.shape, b.shape, file: file, line: line)
            let diff = zip(a.data, b.data).map { abs($0 - $1) }.max() ?? 0
            if openBlasAddsLikeHaswell {
                XCTAssertTrue(a.data == b.data, "tensor \(i) of \(a.shape) differs by up to \(diff)", file: file, line: line)
            } else {
                XCTAssertLessThan(diff, 1e-4, "tensor \(i) of \(a.shape)", file: file, line: line)
            }
        }
    }

    func testLeNetFirstLayerMatchesIm2col() throws {
        for batch in [1, 7, 64] {
            try assertDirectMatchesIm2col({ Conv2D(kernelHeight: 5, kernelWidth: 5, filters: 6, padding: .same,
                                                   activation: .relu) },
                                          inputShape: [28, 28, 1], batch: batch, firstLayer: true)
        }
    }

    /// The portable path (CPUs without AVX2 and FMA) rounds exactly like the vector one.
    func testPortablePathMatchesIm2col() throws {
        dl_direct_conv_use_portable(1)
        defer { dl_direct_conv_use_portable(0) }
        XCTAssertEqual(dl_direct_conv_vectorized(), 0)
        try assertDirectMatchesIm2col({ Conv2D(kernelHeight: 5, kernelWidth: 5, filters: 6, padding: .same,
                                               activation: .relu) },
                                      inputShape: [28, 28, 1], batch: 7, firstLayer: true)
        try assertDirectMatchesIm2col({ Conv2D(kernelHeight: 5, kernelWidth: 5, filters: 7, activation: .tanh) },
                                      inputShape: [14, 14, 16], batch: 3)
    }

    /// Strides, both paddings, several channels, windows longer than one chain (5x5x16 = 400
    /// floats: two chains), one to seven filters, and the input gradient of an inner layer.
    func testOtherShapesMatchIm2col() throws {
        let cases: [(kernel: Int, filters: Int, stride: Int, padding: Padding, input: [Int])] = [
            (3, 1, 1, .valid, [9, 9, 1]), (3, 4, 2, .same, [13, 11, 3]), (5, 7, 1, .valid, [14, 14, 16]),
            (4, 5, 3, .same, [10, 12, 2]), (2, 3, 2, .valid, [8, 8, 5]), (1, 2, 1, .same, [6, 6, 4]),
            // One channel at stride 1 (outputs across the lanes): odd row counts, rows of 8 to 9
            // outputs, 7 filters (one row a block), and rows too short for it (7 outputs).
            (3, 3, 1, .valid, [11, 10, 1]), (5, 7, 1, .same, [9, 9, 1]), (2, 1, 1, .valid, [3, 8, 1]),
            (3, 5, 1, .valid, [9, 9, 1]),
        ]
        let activations: [Activation] = [.relu, .linear, .tanh]
        for (index, c) in cases.enumerated() {
            for batch in [1, 5] {
                let activation = activations[index % activations.count]
                try assertDirectMatchesIm2col({ Conv2D(kernelHeight: c.kernel, kernelWidth: c.kernel, filters: c.filters,
                                                       stride: c.stride, padding: c.padding, activation: activation) },
                                              inputShape: c.input, batch: batch)
            }
        }
    }

    /// Eight or more filters go through im2col (OpenBLAS adds 8-wide products in another order).
    func testEightFiltersUseIm2col() throws {
        var rng = SeededRandom(seed: 1)
        let layer = Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 8)
        try layer.build(inputShape: [8, 8, 1], rng: &rng)
        XCTAssertNil(layer.direct)
        XCTAssertEqual(DirectConvolution.maxFilters, 7)
    }

    /// OpenBLAS's reduction stretches, as measured against its sgemm: 320 steps while 640 or
    /// more remain, then the rest in two halves rounded up to 8.
    func testReductionChains() {
        var bounds: [Int] = []
        reductionChains(700, into: &bounds)
        XCTAssertEqual(bounds, [0, 320, 512, 700])
        reductionChains(320, into: &bounds)
        XCTAssertEqual(bounds, [0, 320])
        reductionChains(0, into: &bounds)
        XCTAssertEqual(bounds, [0])
        reductionChains(50176, into: &bounds)
        XCTAssertEqual(bounds.count, 158)
    }
}
