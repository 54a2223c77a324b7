import XCTest
import DLCore
@testable import Engine

/// Backpropagation through time in LSTM, GRU and SimpleRNN against central differences: the
/// input gradient at every step, every weight, both return modes, and a loss on each step alone.
final class RecurrentGradientTests: XCTestCase {
    private static let (steps, channels, units, batch) = (5, 3, 4, 2)

    private func makeLayer(_ cell: String, _ returns: RecurrentReturn) -> RecurrentLayer {
        switch cell {
        case "lstm": return LSTM(units: Self.units, returns: returns)
        case "gru": return GRU(units: Self.units, returns: returns)
        default: return SimpleRNN(units: Self.units, returns: returns)
        }
    }

    /// A built layer with non-zero biases (so their paths carry values), an input and output weights.
    private func fixture(_ cell: String, _ returns: RecurrentReturn, seed: UInt64) throws -> (RecurrentLayer, Tensor, Tensor) {
        var rng = SeededRandom(seed: seed)
        let layer = makeLayer(cell, returns)
        try layer.build(inputShape: [Self.steps, Self.channels], rng: &rng)
        let bias = layer.parameters[2]
        for i in bias.value.data.indices { bias.value.data[i] += Float(rng.uniform(-0.5, 0.5)) }
        let x = rng.uniformTensor(shape: [Self.batch, Self.steps, Self.channels], -1.5, 1.5)
        let weights = rng.uniformTensor(shape: [Self.batch] + layer.outputShape, -1, 1)
        return (layer, x, weights)
    }

    private func check(_ cell: String, _ returns: RecurrentReturn, file: StaticString = #filePath, line: UInt = #line) throws {
        let (layer, x, weights) = try fixture(cell, returns, seed: 7)
        let dx = GradientCheck.assertGradients(of: layer, x: x, weights: weights, context: "\(cell) \(returns)", file: file, line: line)
        // Every step's input gets a gradient, the first one too: the loss reaches it only through
        // the recurrence when just the last state is returned.
        let (steps, channels) = (Self.steps, Self.channels)
        for t in 0..<steps {
            var largest: Float = 0
            for b in 0..<Self.batch {
                let start: Int = (b * steps + t) * channels
                for c in 0..<channels { largest = max(largest, abs(dx.data[start + c])) }
            }
            XCTAssertGreaterThan(largest, 1e-4, "\(cell) \(returns) step \(t)", file: file, line: line)
        }
        for parameter in layer.parameters {
            XCTAssertGreaterThan(parameter.gradient.data.map(abs).max()!, 1e-4, "\(cell) \(parameter.name)", file: file, line: line)
        }
    }

    func testLSTMLast() throws { try check("lstm", .last) }
    func testLSTMSequences() throws { try check("lstm", .sequences) }
    func testGRULast() throws { try check("gru", .last) }
    func testGRUSequences() throws { try check("gru", .sequences) }
    func testSimpleRNNLast() throws { try check("rnn", .last) }
    func testSimpleRNNSequences() throws { try check("rnn", .sequences) }

    /// With `sequences`, a loss on step k alone: the gradient flows back from k through every
    /// earlier step and nothing reaches the steps after k.
    func testALossOnEachStepAlone() throws {
        for cell in ["lstm", "gru", "rnn"] {
            for k in 0..<Self.steps {
                let (layer, x, weights) = try fixture(cell, .sequences, seed: 11)
                var only = Tensor(shape: weights.shape)
                for b in 0..<Self.batch {
                    let start: Int = (b * Self.steps + k) * Self.units
                    for u in start ..< start + Self.units { only.data[u] = weights.data[u] }
                }
                let dx = GradientCheck.assertGradients(of: layer, x: x, weights: only, context: "\(cell) loss on step \(k)")
                let (steps, channels) = (Self.steps, Self.channels)
                for b in 0..<Self.batch {
                    for t in k + 1 ..< steps {
                        let start: Int = (b * steps + t) * channels
                        XCTAssertEqual(dx.data[start ..< start + channels].map(abs).max()!, 0, "\(cell) step \(t) after \(k)")
                    }
                }
            }
        }
    }

    /// Two recurrent layers and a per-step dense, trained through a network: the lower layer's
    /// weights get their gradients through the upper one's input gradient.
    func testStackedLayersAndAPerStepDense() throws {
        var rng = SeededRandom(seed: 5)
        let network = try Network(inputShape: [4, 2], layers: [
            LSTM(units: 3, returns: .sequences), GRU(units: 3, returns: .sequences),
            Dense(units: 2, activation: .tanh), SimpleRNN(units: 3), Dense(units: 2, activation: .linear),
        ], rng: &rng)
        XCTAssertEqual(network.layers.map(\.outputShape), [[4, 3], [4, 3], [4, 2], [3], [2]])
        let x = rng.uniformTensor(shape: [3, 4, 2], -1, 1)
        let weights = rng.uniformTensor(shape: [3, 2], -1, 1)
        _ = network.forward(x, training: true)
        let dx = network.backward(weights)
        let loss = { weightedSum(network.forward(x, training: false), weights) }
        XCTAssertLessThan(GradientCheck.inputError(analytic: dx.data, x: x, weights: weights,
                                                   forward: { network.forward($0, training: false) }), GradientCheck.tolerance)
        for parameter in network.parameters {
            XCTAssertLessThan(GradientCheck.relativeError(of: parameter, loss: loss), GradientCheck.tolerance, parameter.name)
        }
    }

    /// The checker catches a wrong backward pass: an upper layer that scales its input gradient by
    /// 1.1 (the lower LSTM's weight gradients are 10% off), and one that drops the gradient of
    /// the first step only.
    func testCheckerCatchesAWrongGradient() throws {
        for wrong in [ScaledStepGradient(LSTM(units: 3), factor: 1.1, onlyFirstStep: false),
                      ScaledStepGradient(LSTM(units: 3), factor: 0, onlyFirstStep: true)] {
            var rng = SeededRandom(seed: 9)
            let network = try Network(inputShape: [4, 2], layers: [LSTM(units: 3, returns: .sequences), wrong,
                                                                   Dense(units: 2, activation: .linear)], rng: &rng)
            let x = rng.uniformTensor(shape: [3, 4, 2], -1, 1)
            let weights = rng.uniformTensor(shape: [3, 2], -1, 1)
            _ = network.forward(x, training: true)
            _ = network.backward(weights)
            let loss = { weightedSum(network.forward(x, training: false), weights) }
            let worst = network.layers[0].parameters.map { GradientCheck.relativeError(of: $0, loss: loss) }.max()!
            XCTAssertGreaterThan(worst, 10 * GradientCheck.tolerance, "factor \(wrong.factor)")
        }
    }

    func testKerasShapesCountsAndInitialisers() throws {
        var rng = SeededRandom(seed: 1)
        // Keras: LSTM(64) on (100, 1): 4 * (64 * (1 + 64) + 64) = 16,896; GRU(64): 3 * 64 * (1 + 64 + 2) = 12,864;
        // SimpleRNN(64): 64 * (1 + 64 + 1) = 4,224.
        for (layer, count) in [(LSTM(units: 64) as RecurrentLayer, 16_896), (GRU(units: 64), 12_864), (SimpleRNN(units: 64), 4_224)] {
            try layer.build(inputShape: [100, 1], rng: &rng)
            XCTAssertEqual(layer.parameterCount, count, layer.kind)
            XCTAssertEqual(try layer.footprint(inputShape: [100, 1]).parameters, count, layer.kind)
            XCTAssertEqual(layer.outputShape, [64])
            // The recurrent kernel [64, gates*64] has orthonormal rows.
            let r = layer.parameters[1].value, width = r.shape[1]
            for (i, j) in [(0, 0), (0, 1), (5, 63), (63, 63)] {
                var dot: Float = 0
                for k in 0..<width { dot += r.data[i * width + k] * r.data[j * width + k] }
                XCTAssertEqual(dot, i == j ? 1 : 0, accuracy: 1e-5, "\(layer.kind) rows \(i), \(j)")
            }
            let limit = Float((6.0 / Double(1 + width)).squareRoot())
            XCTAssertTrue(layer.parameters[0].value.data.allSatisfy { abs($0) <= limit })
        }
        let lstm = LSTM(units: 3)
        try lstm.build(inputShape: [2, 1], rng: &rng)
        XCTAssertEqual(lstm.parameters[2].value.data, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0], "unit forget bias")
        let gru = GRU(units: 3, returns: .sequences)
        try gru.build(inputShape: [7, 2], rng: &rng)
        XCTAssertEqual(gru.parameters.map(\.value.shape), [[2, 9], [3, 9], [2, 9]])
        XCTAssertEqual(gru.outputShape, [7, 3])
    }

    func testFlatInputIsRefusedWithTheSeriesProblem() {
        var rng = SeededRandom(seed: 1)
        XCTAssertThrowsError(try LSTM(units: 4).build(inputShape: [4], rng: &rng)) { error in
            XCTAssertEqual((error as? LayerError)?.problem, .expectedSeries(layer: "lstm", received: [4]))
            XCTAssertEqual((error as? LayerError)?.message, "lstm needs series [steps, channels]; it gets 4 flat features")
        }
        XCTAssertThrowsError(try GRU(units: 0).footprint(inputShape: [3, 1]))
    }

    /// The vector sigmoid and tanh agree with the C library's to a few ulps over the gates' range.
    func testGateMathMatchesTheLibrary() {
        var worstSigmoid: Float = 0, worstTanh: Float = 0
        for i in -2000...2000 {
            let x = Float(i) / 100
            worstSigmoid = max(worstSigmoid, abs(gateSigmoid(x) - 1 / (1 + expf(-x))))
            worstTanh = max(worstTanh, abs(gateTanh(x) - tanhf(x)))
        }
        XCTAssertLessThan(worstSigmoid, 2e-7)
        XCTAssertLessThan(worstTanh, 4e-7)
        XCTAssertEqual(gateSigmoid(-200), 0, accuracy: 1e-30)
        XCTAssertEqual(gateTanh(200), 1)
        XCTAssertEqual(gateTanh(-200), -1)
    }
}

/// A layer whose backward scales its input gradient by `factor`, at every step or the first only.
final class ScaledStepGradient: Layer {
    let inner: RecurrentLayer
    let factor: Float
    let onlyFirstStep: Bool
    init(_ inner: RecurrentLayer, factor: Float, onlyFirstStep: Bool) {
        self.inner = inner; self.factor = factor; self.onlyFirstStep = onlyFirstStep
    }
    var kind: String { inner.kind }
    var outputShape: [Int] { inner.outputShape }
    var parameters: [Parameter] { inner.parameters }
    func build(inputShape: [Int], rng: inout SeededRandom) throws { try inner.build(inputShape: inputShape, rng: &rng) }
    func footprint(inputShape: [Int]) throws -> LayerFootprint { try inner.footprint(inputShape: inputShape) }
    func forward(_ input: Tensor, training: Bool) -> Tensor { inner.forward(input, training: training) }
    func backward(_ gradOutput: Tensor) -> Tensor {
        var g = inner.backward(gradOutput)
        let perStep = inner.inputSize, steps = inner.steps
        for i in g.data.indices where !onlyFirstStep || (i / perStep) % steps == 0 { g.data[i] *= factor }
        return g
    }
}
