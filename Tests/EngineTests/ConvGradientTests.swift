import XCTest
import DLCore
@testable import Engine

/// Central-difference checks of Conv2D, Pool2D, Flatten and Dropout against `sum(weights * y)`.
final class ConvGradientTests: XCTestCase {
    /// A built conv with a random non-zero bias, a batch of 2 inputs and loss weights; for
    /// activations with a kink the pre-activations all sit at least 0.05 from 0, so no ±1e-2
    /// step crosses it.
    private func convAwayFromKinks(_ activation: Activation, inputShape: [Int], kernel: (Int, Int), filters: Int,
                                   stride: Int, padding: Padding) throws -> (Conv2D, Tensor, Tensor) {
        let kinked = activation == .relu || activation == .leakyRelu
        for seed in UInt64(1)...300 {
            var rng = SeededRandom(seed: seed)
            let conv = Conv2D(kernelHeight: kernel.0, kernelWidth: kernel.1, filters: filters, stride: stride,
                              padding: padding, activation: activation)
            try conv.build(inputShape: inputShape, rng: &rng)
            for j in 0..<filters { conv.parameters[1].value.data[j] = Float(rng.uniform(-0.5, 0.5)) }
            let x = rng.tensorAwayFromZero(shape: [2] + inputShape)
            let weights = rng.uniformTensor(shape: [2] + conv.outputShape, -1, 1)
            guard kinked else { return (conv, x, weights) }
            let linear = Conv2D(kernelHeight: kernel.0, kernelWidth: kernel.1, filters: filters, stride: stride,
                                padding: padding)
            try linear.build(inputShape: inputShape, rng: &rng)
            linear.parameters[0].value = conv.parameters[0].value
            linear.parameters[1].value = conv.parameters[1].value
            if linear.forward(x, training: false).data.allSatisfy({ abs($0) > 0.05 }) { return (conv, x, weights) }
        }
        throw XCTSkip("no seed keeps the pre-activations away from 0")
    }

    private func checkConv(_ activation: Activation, inputShape: [Int] = [5, 6, 2], kernel: (Int, Int) = (3, 3),
                           filters: Int = 3, stride: Int, padding: Padding,
                           file: StaticString = #filePath, line: UInt = #line) throws {
        let (conv, x, weights) = try convAwayFromKinks(activation, inputShape: inputShape, kernel: kernel,
                                                       filters: filters, stride: stride, padding: padding)
        let gradInput = GradientCheck.assertGradients(of: conv, x: x, weights: weights,
                                                      context: "\(activation) s\(stride) \(padding)", file: file, line: line)
        XCTAssertGreaterThan(gradInput.data.map(abs).max()!, 1e-3, file: file, line: line)
        XCTAssertGreaterThan(conv.parameters[0].gradient.data.map(abs).max()!, 1e-3, file: file, line: line)
    }

    func testConvStride1Valid() throws {
        try checkConv(.relu, stride: 1, padding: .valid)
        try checkConv(.tanh, stride: 1, padding: .valid)
        try checkConv(.linear, kernel: (2, 3), stride: 1, padding: .valid)
    }

    func testConvStride1Same() throws {
        try checkConv(.leakyRelu, inputShape: [4, 4, 2], filters: 2, stride: 1, padding: .same)
        try checkConv(.sigmoid, stride: 1, padding: .same)
        try checkConv(.softmax, kernel: (3, 2), stride: 1, padding: .same)
    }

    func testConvStride2Valid() throws {
        try checkConv(.relu, inputShape: [7, 6, 2], stride: 2, padding: .valid)
        try checkConv(.tanh, inputShape: [7, 6, 2], stride: 2, padding: .valid)
    }

    func testConvStride2Same() throws {
        // 7 and 6 rows: odd and even total padding (the extra row goes to the bottom).
        try checkConv(.relu, inputShape: [7, 6, 2], stride: 2, padding: .same)
        try checkConv(.sigmoid, inputShape: [6, 7, 3], kernel: (3, 3), filters: 2, stride: 2, padding: .same)
        try checkConv(.tanh, inputShape: [6, 6, 1], kernel: (4, 4), stride: 2, padding: .same)
    }

    /// Distinct inputs 0.05 apart, so no ±1e-2 step changes which pixel is a window's maximum.
    private func tieFreeInput(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = SeededRandom(seed: seed)
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, data: rng.permutation(count).map { Float($0) * 0.05 - Float(count) * 0.025 })
    }

    private func checkPool(_ pool: Pool2D, inputShape: [Int], expectedOutput: [Int],
                           file: StaticString = #filePath, line: UInt = #line) throws {
        var rng = SeededRandom(seed: 5)
        try pool.build(inputShape: inputShape, rng: &rng)
        XCTAssertEqual(pool.outputShape, expectedOutput, file: file, line: line)
        let x = tieFreeInput([2] + inputShape, seed: 6)
        let weights = rng.uniformTensor(shape: [2] + expectedOutput, -1, 1)
        let gradInput = GradientCheck.assertGradients(of: pool, x: x, weights: weights,
                                                      context: "\(pool.kind) \(pool.size)/\(pool.stride)", file: file, line: line)
        XCTAssertGreaterThan(gradInput.data.map(abs).max()!, 1e-2, file: file, line: line)
    }

    func testMaxPoolGradient() throws {
        try checkPool(Pool2D(size: 2), inputShape: [5, 4, 3], expectedOutput: [2, 2, 3])
        try checkPool(Pool2D(size: 3, stride: 2), inputShape: [7, 7, 2], expectedOutput: [3, 3, 2])
    }

    func testAveragePoolGradient() throws {
        try checkPool(Pool2D(size: 2, mode: .avg), inputShape: [5, 4, 3], expectedOutput: [2, 2, 3])
        try checkPool(Pool2D(size: 3, stride: 2, mode: .avg), inputShape: [7, 7, 2], expectedOutput: [3, 3, 2])
    }

    func testPoolForwardValues() throws {
        var rng = SeededRandom(seed: 1)
        // One 4x4x2 image; channel 0 counts up, channel 1 counts down.
        let x = Tensor(shape: [1, 4, 4, 2], data: (0..<16).flatMap { [Float($0), Float(-$0)] })
        let maxPool = Pool2D(size: 2), avgPool = Pool2D(size: 2, mode: .avg)
        try maxPool.build(inputShape: [4, 4, 2], rng: &rng)
        try avgPool.build(inputShape: [4, 4, 2], rng: &rng)
        // Windows: {0,1,4,5} {2,3,6,7} {8,9,12,13} {10,11,14,15}.
        XCTAssertEqual(maxPool.forward(x, training: false).data, [5, 0, 7, -2, 13, -8, 15, -10])
        XCTAssertEqual(avgPool.forward(x, training: false).data, [2.5, -2.5, 4.5, -4.5, 10.5, -10.5, 12.5, -12.5])
        XCTAssertEqual(maxPool.kind, "MaxPooling2D")
        XCTAssertEqual(avgPool.kind, "AveragePooling2D")
        XCTAssertEqual(maxPool.parameterCount, 0)
    }

    func testFlattenIsAReshape() throws {
        var rng = SeededRandom(seed: 2)
        let flatten = Flatten(), dense = Dense(units: 3, activation: .tanh)
        let network = try Network(inputShape: [3, 2, 2], layers: [flatten, dense], rng: &rng)
        XCTAssertEqual(flatten.outputShape, [12])
        let x = rng.tensorAwayFromZero(shape: [2, 3, 2, 2])
        let flat = flatten.forward(x, training: true)
        XCTAssertEqual(flat.shape, [2, 12])
        XCTAssertEqual(flat.data, x.data, "NHWC order is the flat order")

        let weights = rng.uniformTensor(shape: [2, 3], -1, 1)
        _ = network.forward(x, training: true)
        let gradInput = network.backward(weights)
        XCTAssertEqual(gradInput.shape, [2, 3, 2, 2])
        let error = GradientCheck.inputError(analytic: gradInput.data, x: x, weights: weights) {
            network.forward($0, training: false)
        }
        XCTAssertLessThan(error, GradientCheck.tolerance)

        let flat1D = Flatten()
        try flat1D.build(inputShape: [5], rng: &rng)
        XCTAssertEqual(flat1D.outputShape, [5])
        XCTAssertEqual(flat1D.forward(Tensor(shape: [1, 5], data: [1, 2, 3, 4, 5]), training: false).shape, [1, 5])
    }

    func testDropoutWithFixedMask() throws {
        var rng = SeededRandom(seed: 3)
        let dropout = Dropout(rate: 0.25)
        try dropout.build(inputShape: [2, 2, 1], rng: &rng)
        XCTAssertEqual(dropout.outputShape, [2, 2, 1])
        let x = rng.tensorAwayFromZero(shape: [2, 2, 2, 1])
        dropout.fixedMask = [1, 0, 1, 1, 0, 0, 1, 1]
        let y = dropout.forward(x, training: true)
        let expected = zip(x.data, dropout.fixedMask!).map { $0 * $1 / 0.75 }
        for (a, b) in zip(y.data, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }

        let weights = rng.uniformTensor(shape: [2, 2, 2, 1], -1, 1)
        let gradInput = dropout.backward(weights)
        let error = GradientCheck.inputError(analytic: gradInput.data, x: x, weights: weights) {
            dropout.forward($0, training: true)
        }
        XCTAssertLessThan(error, GradientCheck.tolerance)
        XCTAssertEqual(gradInput.data[1], 0)
        XCTAssertEqual(gradInput.data[0], weights.data[0] / 0.75, accuracy: 1e-6)
        // Inference is the identity.
        XCTAssertEqual(dropout.forward(x, training: false), x)
    }

    func testDropoutDrawsReproducibleMasks() throws {
        func masks(seed: UInt64) throws -> [Float] {
            var rng = SeededRandom(seed: seed)
            let dropout = Dropout(rate: 0.3)
            try dropout.build(inputShape: [1000], rng: &rng)
            let ones = Tensor(shape: [10, 1000], repeating: 1)
            return dropout.forward(ones, training: true).data + dropout.forward(ones, training: true).data
        }
        let a = try masks(seed: 4)
        XCTAssertEqual(a, try masks(seed: 4))
        XCTAssertNotEqual(a, try masks(seed: 5))
        let dropped = Float(a.filter { $0 == 0 }.count) / Float(a.count)
        XCTAssertEqual(dropped, 0.3, accuracy: 0.01)
        XCTAssertTrue(a.allSatisfy { $0 == 0 || abs($0 - 1 / 0.7) < 1e-6 })
        XCTAssertEqual(a.reduce(0, +) / Float(a.count), 1, accuracy: 0.02, "inverted dropout keeps the mean")
    }
}
