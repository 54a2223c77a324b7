import XCTest
import DLCore
@testable import Engine

/// Conv1D, Pool1D, GlobalPool and batch norm over series: shapes, Keras's counts, forward values
/// against a direct sum, and gradients by central differences.
final class Conv1DTests: XCTestCase {
    /// A built conv1d with a random non-zero bias, a batch of 2 series and loss weights; for relu
    /// the pre-activations all sit at least 0.05 from 0, so no ±1e-2 step crosses the kink.
    private func conv1DAwayFromKinks(_ activation: Activation, inputShape: [Int], kernel: Int, filters: Int,
                                     stride: Int, padding: Padding, dilation: Int) throws -> (Conv1D, Tensor, Tensor) {
        for seed in UInt64(1)...300 {
            var rng = SeededRandom(seed: seed)
            let conv = Conv1D(kernelSize: kernel, filters: filters, stride: stride, padding: padding,
                              dilation: dilation, activation: activation)
            try conv.build(inputShape: inputShape, rng: &rng)
            for j in 0..<filters { conv.parameters[1].value.data[j] = Float(rng.uniform(-0.5, 0.5)) }
            let x = rng.tensorAwayFromZero(shape: [2] + inputShape)
            let weights = rng.uniformTensor(shape: [2] + conv.outputShape, -1, 1)
            guard activation == .relu else { return (conv, x, weights) }
            let linear = Conv1D(kernelSize: kernel, filters: filters, stride: stride, padding: padding, dilation: dilation)
            try linear.build(inputShape: inputShape, rng: &rng)
            linear.parameters[0].value = conv.parameters[0].value
            linear.parameters[1].value = conv.parameters[1].value
            if linear.forward(x, training: false).data.allSatisfy({ abs($0) > 0.05 }) { return (conv, x, weights) }
        }
        throw XCTSkip("no seed keeps the pre-activations away from 0")
    }

    private func checkConv1D(_ activation: Activation, inputShape: [Int] = [9, 2], kernel: Int = 3, filters: Int = 3,
                             stride: Int = 1, padding: Padding, dilation: Int = 1,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let (conv, x, weights) = try conv1DAwayFromKinks(activation, inputShape: inputShape, kernel: kernel, filters: filters,
                                                         stride: stride, padding: padding, dilation: dilation)
        let gradInput = GradientCheck.assertGradients(of: conv, x: x, weights: weights,
                                                      context: "\(activation) k\(kernel) s\(stride) d\(dilation) \(padding)",
                                                      file: file, line: line)
        XCTAssertGreaterThan(gradInput.data.map(abs).max()!, 1e-3, file: file, line: line)
        XCTAssertGreaterThan(conv.parameters[0].gradient.data.map(abs).max()!, 1e-3, file: file, line: line)
    }

    func testConv1DGradients() throws {
        try checkConv1D(.linear, padding: .valid)
        try checkConv1D(.relu, padding: .same)
        try checkConv1D(.tanh, kernel: 4, padding: .same)              // even kernel: the extra step at the end
        try checkConv1D(.sigmoid, inputShape: [10, 3], stride: 2, padding: .same)
        try checkConv1D(.linear, inputShape: [11, 1], kernel: 2, stride: 3, padding: .valid)
        try checkConv1D(.tanh, inputShape: [12, 2], kernel: 3, padding: .same, dilation: 2)
        try checkConv1D(.linear, inputShape: [12, 2], kernel: 3, padding: .valid, dilation: 3)
    }

    /// y[n, o, f] = b[f] + sum over taps t and channels c of x[n, o*s - pad + t*d, c] * K[t, c, f].
    func testConv1DForwardMatchesTheDefinition() throws {
        for (padding, stride, dilation, kernel) in [(Padding.same, 1, 1, 8), (.valid, 2, 1, 3), (.same, 1, 2, 3), (.same, 3, 1, 4)] {
            var rng = SeededRandom(seed: 7)
            let (steps, channels, filters) = (13, 3, 5)
            let conv = Conv1D(kernelSize: kernel, filters: filters, stride: stride, padding: padding, dilation: dilation)
            try conv.build(inputShape: [steps, channels], rng: &rng)
            for j in 0..<filters { conv.parameters[1].value.data[j] = Float(j) * 0.1 }
            let x = rng.uniformTensor(shape: [2, steps, channels], -1, 1)
            let y = conv.forward(x, training: false)
            let span = (kernel - 1) * dilation + 1
            let out = padding == .same ? (steps + stride - 1) / stride : (steps - span) / stride + 1
            XCTAssertEqual(y.shape, [2, out, filters])
            let pad = padding.seriesPads(steps: steps, span: span, stride: stride).start
            let k = conv.parameters[0].value.data
            for n in 0..<2 { for o in 0..<out { for f in 0..<filters {
                var sum = Double(f) * 0.1
                for t in 0..<kernel {
                    let i = o * stride - pad + t * dilation
                    guard i >= 0 && i < steps else { continue }
                    for c in 0..<channels { sum += Double(x.data[(n * steps + i) * channels + c]) * Double(k[(t * channels + c) * filters + f]) }
                }
                XCTAssertEqual(Double(y.data[(n * out + o) * filters + f]), sum, accuracy: 1e-5, "\(padding) s\(stride) d\(dilation)")
            } } }
        }
    }

    /// Keras: Conv1D(128, 8, padding="same") on (150, 1) -> (150, 128), 1,152 parameters;
    /// Conv1D(256, 5) on (150, 128) -> (146, 256), 164,096; MaxPooling1D(2) on (146, 256) -> (73, 256).
    func testShapesAndCountsMatchKeras() throws {
        var rng = SeededRandom(seed: 1)
        let network = try Network(inputShape: [150, 1], layers: [
            Conv1D(kernelSize: 8, filters: 128, padding: .same), BatchNorm(), ActivationLayer(.relu),
            Conv1D(kernelSize: 5, filters: 256), Pool1D(size: 2), GlobalPool(mode: .avg), Dense(units: 3, activation: .softmax),
        ], rng: &rng)
        XCTAssertEqual(network.layers.map(\.outputShape), [[150, 128], [150, 128], [150, 128], [146, 256], [73, 256], [256], [3]])
        XCTAssertEqual(network.layers.map(\.parameterCount), [1_152, 256, 0, 164_096, 0, 0, 771])
        XCTAssertEqual(network.layers[1].nonTrainableCount, 256)
        XCTAssertEqual(network.layers.map(\.kind), ["Conv1D", "BatchNormalization", "Activation", "Conv1D",
                                                    "MaxPooling1D", "GlobalAveragePooling1D", "Dense"])
        XCTAssertEqual(try Conv1D(kernelSize: 3, filters: 4, stride: 2, padding: .same).footprint(inputShape: [7, 2]).outputShape, [4, 4])
    }

    func testWrongInputsAreProblemsNotCrashes() {
        var rng = SeededRandom(seed: 1)
        XCTAssertThrowsError(try Conv1D(kernelSize: 3, filters: 4).build(inputShape: [64], rng: &rng)) { error in
            XCTAssertEqual((error as? LayerError)?.problem, .expectedSeries(layer: "conv1d", received: [64]))
        }
        XCTAssertThrowsError(try Conv1D(kernelSize: 9, filters: 4).build(inputShape: [8, 1], rng: &rng)) { error in
            XCTAssertEqual((error as? LayerError)?.message, "the 9 kernel does not fit the 8x1 input")
        }
        XCTAssertThrowsError(try Conv1D(kernelSize: 3, filters: 4, dilation: 4).build(inputShape: [8, 1], rng: &rng))
        XCTAssertThrowsError(try Conv1D(kernelSize: 3, filters: 4, stride: 2, dilation: 2).build(inputShape: [20, 1], rng: &rng))
        XCTAssertThrowsError(try Pool1D(size: 2).build(inputShape: [4, 4, 1], rng: &rng))
        XCTAssertThrowsError(try GlobalPool().build(inputShape: [12], rng: &rng)) { error in
            XCTAssertEqual((error as? LayerError)?.message, "globalpool needs series [steps, channels] or images [height, width, channels] but got 12 flat features")
        }
    }

    /// Distinct inputs 0.05 apart, so no ±1e-2 step changes which step is a window's maximum.
    private func tieFreeInput(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = SeededRandom(seed: seed)
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, data: rng.permutation(count).map { Float($0) * 0.05 - Float(count) * 0.025 })
    }

    private func checkPooling(_ layer: Layer, inputShape: [Int], expectedOutput: [Int],
                              file: StaticString = #filePath, line: UInt = #line) throws {
        var rng = SeededRandom(seed: 5)
        try layer.build(inputShape: inputShape, rng: &rng)
        XCTAssertEqual(layer.outputShape, expectedOutput, file: file, line: line)
        let x = tieFreeInput([2] + inputShape, seed: 6)
        let weights = rng.uniformTensor(shape: [2] + expectedOutput, -1, 1)
        let gradInput = GradientCheck.assertGradients(of: layer, x: x, weights: weights, context: layer.kind, file: file, line: line)
        XCTAssertGreaterThan(gradInput.data.map(abs).max()!, 1e-2, file: file, line: line)
    }

    func testPoolingGradients() throws {
        try checkPooling(Pool1D(size: 2), inputShape: [9, 3], expectedOutput: [4, 3])
        try checkPooling(Pool1D(size: 3, stride: 2), inputShape: [9, 2], expectedOutput: [4, 2])
        try checkPooling(Pool1D(size: 2, mode: .avg), inputShape: [9, 3], expectedOutput: [4, 3])
        try checkPooling(Pool1D(size: 3, stride: 1, mode: .avg), inputShape: [6, 2], expectedOutput: [4, 2])
        try checkPooling(GlobalPool(mode: .avg), inputShape: [7, 3], expectedOutput: [3])
        try checkPooling(GlobalPool(mode: .max), inputShape: [7, 3], expectedOutput: [3])
        try checkPooling(GlobalPool(mode: .avg), inputShape: [3, 4, 2], expectedOutput: [2])
        try checkPooling(GlobalPool(mode: .max), inputShape: [3, 4, 2], expectedOutput: [2])
    }

    func testPoolingForwardValues() throws {
        var rng = SeededRandom(seed: 1)
        // One series of 4 steps x 2 channels; channel 0 counts up, channel 1 down.
        let x = Tensor(shape: [1, 4, 2], data: [0, 0, 1, -1, 2, -2, 3, -3])
        let maxPool = Pool1D(size: 2), avgPool = Pool1D(size: 2, mode: .avg)
        let globalMax = GlobalPool(mode: .max), globalAvg = GlobalPool(mode: .avg)
        for layer in [maxPool, avgPool, globalMax, globalAvg] as [Layer] { try layer.build(inputShape: [4, 2], rng: &rng) }
        XCTAssertEqual(maxPool.forward(x, training: false).data, [1, 0, 3, -2])
        XCTAssertEqual(avgPool.forward(x, training: false).data, [0.5, -0.5, 2.5, -2.5])
        XCTAssertEqual(globalMax.forward(x, training: false).data, [3, 0])
        XCTAssertEqual(globalAvg.forward(x, training: false).data, [1.5, -1.5])
        XCTAssertEqual(globalAvg.kind, "GlobalAveragePooling1D")
        try globalMax.build(inputShape: [2, 2, 2], rng: &rng)
        XCTAssertEqual(globalMax.kind, "GlobalMaxPooling2D")
    }

    /// The FCN block (conv1d, batchnorm, relu) end to end through a network: the input gradient
    /// and every weight's gradient, batch norm's per-channel statistics included.
    func testFCNBlockGradients() throws {
        var rng = SeededRandom(seed: 11)
        let network = try Network(inputShape: [10, 2], layers: [
            Conv1D(kernelSize: 3, filters: 4, padding: .same), BatchNorm(), ActivationLayer(.tanh),
            Conv1D(kernelSize: 2, filters: 3, padding: .same), GlobalPool(mode: .avg), Dense(units: 2, activation: .tanh),
        ], rng: &rng)
        let x = rng.tensorAwayFromZero(shape: [3, 10, 2])
        let weights = rng.uniformTensor(shape: [3, 2], -1, 1)
        _ = network.forward(x, training: true)
        let gradInput = network.backward(weights)
        let loss = { weightedSum(network.forward(x, training: true), weights) }
        let inputError = GradientCheck.inputError(analytic: gradInput.data, x: x, weights: weights) { network.forward($0, training: true) }
        XCTAssertLessThan(inputError, GradientCheck.tolerance)
        XCTAssertLessThan(network.layers[0].parameters[1].gradient.data.map(abs).max()!, 1e-5)
        for (index, layer) in network.layers.enumerated() {
            // Batch norm subtracts the batch mean, so the first conv's bias has no effect in a
            // training pass: its gradient is 0 and central differences only see round-off.
            for parameter in layer.parameters where !(index == 0 && parameter.name == "bias") {
                XCTAssertLessThan(GradientCheck.relativeError(of: parameter, loss: loss), GradientCheck.tolerance, "layer \(index) \(parameter.name)")
            }
        }
    }
}
