import XCTest
import DLCore
@testable import Engine

/// Output shapes and parameter counts as Keras reports them, the forward pass against a naive
/// loop, and the build errors.
final class ConvShapeTests: XCTestCase {
    static func leNet5() -> [Layer] {
        [Conv2D(kernelHeight: 5, kernelWidth: 5, filters: 6, padding: .same, activation: .relu),
         Pool2D(size: 2),
         Conv2D(kernelHeight: 5, kernelWidth: 5, filters: 16, padding: .valid, activation: .relu),
         Pool2D(size: 2),
         Flatten(),
         Dense(units: 120, activation: .relu),
         Dense(units: 84, activation: .relu),
         Dense(units: 10, activation: .softmax)]
    }

    func testLeNet5MatchesKerasSummary() throws {
        var rng = SeededRandom(seed: 1)
        let network = try Network(inputShape: [28, 28, 1], layers: Self.leNet5(), rng: &rng)
        XCTAssertEqual(network.layers.map(\.outputShape),
                       [[28, 28, 6], [14, 14, 6], [10, 10, 16], [5, 5, 16], [400], [120], [84], [10]])
        XCTAssertEqual(network.layers.map(\.parameterCount), [156, 0, 2416, 0, 0, 48120, 10164, 850])
        XCTAssertEqual(network.parameterCount, 61_706)
        XCTAssertEqual(network.layers.map(\.kind),
                       ["Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense", "Dense"])
        XCTAssertEqual(network.layers[0].parameters.map(\.name), ["kernel", "bias"])
        XCTAssertEqual(network.layers[2].parameters.map(\.value.shape), [[5, 5, 6, 16], [16]])
        let y = network.predict(Tensor(shape: [3, 28, 28, 1], repeating: 0.5))
        XCTAssertEqual(y.shape, [3, 10])
    }

    func testStrideAndPaddingShapes() throws {
        func shape(_ input: [Int], k: Int, s: Int, _ padding: Padding) throws -> [Int] {
            var rng = SeededRandom(seed: 1)
            let conv = Conv2D(kernelHeight: k, kernelWidth: k, filters: 4, stride: s, padding: padding)
            try conv.build(inputShape: input, rng: &rng)
            return conv.outputShape
        }
        XCTAssertEqual(try shape([7, 7, 1], k: 3, s: 2, .same), [4, 4, 4])
        XCTAssertEqual(try shape([7, 7, 1], k: 3, s: 2, .valid), [3, 3, 4])
        XCTAssertEqual(try shape([8, 6, 3], k: 3, s: 2, .same), [4, 3, 4])
        XCTAssertEqual(try shape([8, 6, 3], k: 3, s: 2, .valid), [3, 2, 4])
        XCTAssertEqual(try shape([28, 28, 1], k: 5, s: 1, .same), [28, 28, 4])
        XCTAssertEqual(try shape([5, 5, 2], k: 5, s: 3, .same), [2, 2, 4])  // kernel as large as the input
        // TensorFlow's split: 7x7, k3, s2 pads 2 (1 top); 6x6, k3, s2 pads 1 (0 top, 1 bottom).
        var rng = SeededRandom(seed: 1)
        let odd = Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 1, stride: 2, padding: .same)
        try odd.build(inputShape: [7, 6, 1], rng: &rng)
        XCTAssertEqual([odd.geometry.padTop, odd.geometry.padLeft], [1, 0])
        XCTAssertEqual(odd.parameterCount, 3 * 3 * 1 + 1)
    }

    /// The textbook six-loop convolution, with TensorFlow's padding split.
    private func naiveConvolution(_ x: Tensor, kernel: Tensor, bias: Tensor, stride: Int, padding: Padding) -> Tensor {
        let (batch, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (kh, kw, f) = (kernel.shape[0], kernel.shape[1], kernel.shape[3])
        var (outH, outW, top, left) = ((h - kh) / stride + 1, (w - kw) / stride + 1, 0, 0)
        if padding == .same {
            outH = (h + stride - 1) / stride
            outW = (w + stride - 1) / stride
            top = max((outH - 1) * stride + kh - h, 0) / 2
            left = max((outW - 1) * stride + kw - w, 0) / 2
        }
        var y = Tensor(shape: [batch, outH, outW, f])
        for n in 0..<batch { for oy in 0..<outH { for ox in 0..<outW { for o in 0..<f {
            var sum = Double(bias.data[o])
            for ky in 0..<kh { for kx in 0..<kw {
                let iy = oy * stride + ky - top, ix = ox * stride + kx - left
                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                for ch in 0..<c {
                    sum += Double(x.data[((n * h + iy) * w + ix) * c + ch])
                         * Double(kernel.data[((ky * kw + kx) * c + ch) * f + o])
                }
            } }
            y.data[((n * outH + oy) * outW + ox) * f + o] = Float(sum)
        } } } }
        return y
    }

    func testForwardMatchesNaiveLoop() throws {
        let cases: [(input: [Int], kh: Int, kw: Int, filters: Int, stride: Int, padding: Padding)] = [
            ([6, 6, 1], 3, 3, 2, 1, .valid), ([6, 6, 1], 3, 3, 2, 1, .same),
            ([7, 5, 3], 3, 2, 4, 2, .valid), ([7, 5, 3], 3, 2, 4, 2, .same),
            ([8, 8, 2], 5, 5, 3, 3, .same), ([9, 4, 5], 1, 1, 6, 1, .valid),
            ([4, 4, 16], 4, 4, 2, 1, .valid), ([10, 9, 4], 4, 3, 5, 2, .same),
        ]
        for (index, c) in cases.enumerated() {
            var rng = SeededRandom(seed: UInt64(index + 10))
            let conv = Conv2D(kernelHeight: c.kh, kernelWidth: c.kw, filters: c.filters, stride: c.stride,
                              padding: c.padding)
            try conv.build(inputShape: c.input, rng: &rng)
            conv.parameters[1].value = rng.uniformTensor(shape: [c.filters], -1, 1)
            let x = rng.uniformTensor(shape: [3] + c.input, -2, 2)
            let y = conv.forward(x, training: false)
            let expected = naiveConvolution(x, kernel: conv.parameters[0].value, bias: conv.parameters[1].value,
                                            stride: c.stride, padding: c.padding)
            XCTAssertEqual(y.shape, expected.shape, "case \(index)")
            let worst = zip(y.data, expected.data).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(worst, 1e-4, "case \(index)")
        }
    }

    func testInferenceInSlicesMatchesOnePass() throws {
        var rng = SeededRandom(seed: 3)
        let conv = Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 2, padding: .same, activation: .tanh)
        conv.prefersDirectKernels = false // the im2col path is the one that slices (the direct one builds no columns)
        conv.prefersWinograd = false      // nor does the Winograd one (ConvWinogradTests slices it)
        try conv.build(inputShape: [32, 32, 16], rng: &rng)
        // 32*32*144 column floats per image: inference takes 28 images a slice, so 70 is three slices.
        XCTAssertEqual(Conv2D.inferenceColumnLimit / (32 * 32 * 144), 28)
        let x = rng.uniformTensor(shape: [70, 32, 32, 16], -1, 1)
        let sliced = conv.forward(x, training: false)
        XCTAssertEqual(conv.columns.rows, 28 * 32 * 32)
        let whole = conv.forward(x, training: true)
        XCTAssertEqual(conv.columns.rows, 70 * 32 * 32)
        XCTAssertEqual(sliced.shape, [70, 32, 32, 2])
        XCTAssertLessThan(zip(sliced.data, whole.data).map { abs($0 - $1) }.max()!, 1e-5)
    }

    private func buildError(_ layer: Layer, _ input: [Int]) -> String? {
        var rng = SeededRandom(seed: 1)
        do { try layer.build(inputShape: input, rng: &rng) } catch let error as LayerError { return error.message } catch { return "\(error)" }
        return nil
    }

    func testBuildErrors() {
        let conv5 = { Conv2D(kernelHeight: 5, kernelWidth: 5, filters: 8) }
        XCTAssertEqual(buildError(conv5(), [4, 4, 16]),
                       "the 5x5 kernel does not fit the 4x4x16 input")
        XCTAssertEqual(buildError(conv5(), [64]),
                       "conv needs images (height x width x channels) but got 64 features")
        XCTAssertEqual(buildError(conv5(), [28, 28]),
                       "conv needs images (height x width x channels) but got 28x28")
        XCTAssertEqual(buildError(Pool2D(size: 2), [1, 1, 16]),
                       "the 2x2 pooling does not fit the 1x1x16 input")
        XCTAssertEqual(buildError(Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 0), [8, 8, 1]),
                       "conv needs at least one filter but got 0")
        XCTAssertEqual(buildError(Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 2, stride: 0), [8, 8, 1]),
                       "conv needs a stride of at least 1 but got 0")
        XCTAssertEqual(buildError(Dropout(rate: 1), [4]), "dropout needs a rate of at least 0 and below 1 but got 1.0")
        XCTAssertNil(buildError(conv5(), [5, 5, 16]))   // an exact fit is fine
        // Same padding fits any kernel.
        XCTAssertNil(buildError(Conv2D(kernelHeight: 5, kernelWidth: 5, filters: 8, padding: .same), [4, 4, 16]))

        // Dense after a conv keeps its own message, and the network names the layer.
        var rng = SeededRandom(seed: 1)
        XCTAssertThrowsError(try Network(inputShape: [8, 8, 1], layers: [
            Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 4), Dense(units: 2)], rng: &rng)) { error in
            XCTAssertEqual((error as? NetworkBuildError)?.layerIndex, 1)
            XCTAssertEqual((error as? NetworkBuildError)?.message,
                           "dense expects a flat input of shape [features] but got 6x6x4")
        }
    }

    func testInitialisationFollowsKeras() throws {
        var rng = SeededRandom(seed: 2)
        let he = Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 64, activation: .relu)
        try he.build(inputShape: [10, 10, 8], rng: &rng)
        let w = he.parameters[0].value.data.map(Double.init)
        let std = (w.map { $0 * $0 }.reduce(0, +) / Double(w.count)).squareRoot()
        XCTAssertEqual(std, (2.0 / 72).squareRoot(), accuracy: 0.01)   // fan_in = 3*3*8

        let glorot = Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 32, activation: .tanh)
        try glorot.build(inputShape: [10, 10, 8], rng: &rng)
        let limit = Float((6.0 / Double(72 + 288)).squareRoot())      // fan_out = 3*3*32
        let g = glorot.parameters[0].value.data
        XCTAssertLessThanOrEqual(g.map(abs).max()!, limit)
        XCTAssertGreaterThan(g.map(abs).max()!, 0.95 * limit)
        XCTAssertEqual(glorot.parameters[1].value.data, [Float](repeating: 0, count: 32))
    }
}
