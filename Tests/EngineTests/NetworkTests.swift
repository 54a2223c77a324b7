import XCTest
import DLCore
@testable import Engine

final class NetworkTests: XCTestCase {
    func testParameterCountsMatchKeras() throws {
        var rng = SeededRandom(seed: 1)
        let network = try Network(inputShape: [4], layers: [Dense(units: 64, activation: .relu),
                                                           Dense(units: 3, activation: .softmax)], rng: &rng)
        XCTAssertEqual(network.layers.map(\.parameterCount), [320, 195])
        XCTAssertEqual(network.parameterCount, 515)
        XCTAssertEqual(network.outputShape, [3])
        XCTAssertEqual(network.layers[0].kind, "Dense")
        XCTAssertEqual(network.layers[0].parameters.map(\.name), ["kernel", "bias"])
        XCTAssertEqual(network.layers[0].parameters.map(\.value.shape), [[4, 64], [64]])
    }

    func testBuildRejectsMultiDimensionalInput() {
        var rng = SeededRandom(seed: 1)
        XCTAssertThrowsError(try Network(inputShape: [8, 8, 1], layers: [Dense(units: 10)], rng: &rng)) { error in
            let failure = error as? NetworkBuildError
            XCTAssertEqual(failure?.layerIndex, 0)
            XCTAssertEqual(failure?.message,
                           "dense expects a flat input of shape [features] but got 8x8x1")
        }
        // [steps, features] is a series, which dense takes per step (i26-rnn); three sizes are not.
        let dense = Dense(units: 3)
        XCTAssertThrowsError(try dense.build(inputShape: [2, 2, 2], rng: &rng)) { error in
            XCTAssertEqual(error as? LayerError,
                           LayerError(.expectedFlatInput(layer: "dense", received: [2, 2, 2])))
        }
        XCTAssertNoThrow(try dense.build(inputShape: [2, 5], rng: &rng))
        XCTAssertEqual(dense.outputShape, [2, 3])
        XCTAssertEqual(dense.parameterCount, 18)
    }

    func testBuildErrorNamesTheFailingLayer() {
        var rng = SeededRandom(seed: 1)
        XCTAssertThrowsError(try Network(inputShape: [4], layers: [Dense(units: 8), Dense(units: 0)], rng: &rng)) { error in
            XCTAssertEqual((error as? NetworkBuildError)?.layerIndex, 1)
            XCTAssertEqual((error as? NetworkBuildError)?.message, "dense needs at least one unit but got 0")
        }
    }

    func testInitialisationScales() throws {
        var rng = SeededRandom(seed: 2)
        let he = Dense(units: 200, activation: .relu)
        try he.build(inputShape: [50], rng: &rng)
        let w = he.parameters[0].value.data.map(Double.init)
        let std = (w.map { $0 * $0 }.reduce(0, +) / Double(w.count)).squareRoot()
        XCTAssertEqual(std, (2.0 / 50).squareRoot(), accuracy: 0.01)   // He normal: 0.2

        let glorot = Dense(units: 150, activation: .tanh)
        try glorot.build(inputShape: [50], rng: &rng)
        let limit = Float((6.0 / 200).squareRoot())
        let g = glorot.parameters[0].value.data
        XCTAssertLessThanOrEqual(g.map(abs).max()!, limit)
        XCTAssertGreaterThan(g.map(abs).max()!, 0.95 * limit)
        XCTAssertEqual(glorot.parameters[1].value.data, [Float](repeating: 0, count: 150))
    }

    func testSameSeedSameWeights() throws {
        func build(_ seed: UInt64) throws -> [Tensor] {
            var rng = SeededRandom(seed: seed)
            return try Network(inputShape: [3], layers: [Dense(units: 4, activation: .relu), Dense(units: 2)], rng: &rng).weights()
        }
        XCTAssertEqual(try build(7), try build(7))
        XCTAssertNotEqual(try build(7), try build(8))
    }

    func testPredictInChunksMatchesOneBigForward() throws {
        var rng = SeededRandom(seed: 3)
        let network = try Network(inputShape: [3], layers: [Dense(units: 5, activation: .tanh),
                                                           Dense(units: 2, activation: .softmax)], rng: &rng)
        let x = rng.uniformTensor(shape: [2500, 3], -1, 1)   // three chunks, the last partial
        let chunked = network.predict(x)
        let whole = network.forward(x, training: false)
        XCTAssertEqual(chunked.shape, [2500, 2])
        for (a, b) in zip(chunked.data, whole.data) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        // Row 2400 (in the last chunk) against a one-row forward.
        let row = network.forward(Tensor(shape: [1, 3], data: Array(x.data[7200..<7203])), training: false)
        XCTAssertEqual(row.data[0], chunked.data[4800], accuracy: 1e-6)
    }

    /// Ctrl-C during `predict` and `evaluate`: the cancellation is looked at before each chunk
    /// of 1024 rows; unasked, the results are those of the plain calls.
    func testPredictAndEvaluateStopBetweenChunksWhenAsked() throws {
        var rng = SeededRandom(seed: 3)
        let network = try Network(inputShape: [3], layers: [Dense(units: 2, activation: .softmax)], rng: &rng)
        let x = rng.uniformTensor(shape: [5000, 3], -1, 1)
        let rows = Array((0..<5000).reversed())
        let data = TrainingData(x: x, rows: rows, y: Tensor(shape: [5000, 2]), labels: Array(repeating: 1, count: 5000))
        XCTAssertEqual(try network.predict(x, cancel: .never).data, network.predict(x).data)
        XCTAssertEqual(try network.evaluate(data, loss: .crossentropy, cancel: .never).predictions.data,
                       network.evaluate(data, loss: .crossentropy).predictions.data)
        final class Looks: @unchecked Sendable { var count = 0 }
        let looks = Looks()
        // Asked after the second chunk: the third is never computed.
        let stopAfterTwo = Cancellation { looks.count += 1; return looks.count > 2 }
        XCTAssertThrowsError(try network.predict(x, cancel: stopAfterTwo)) { XCTAssertTrue($0 is Interrupted) }
        XCTAssertEqual(looks.count, 3)
        XCTAssertThrowsError(try network.evaluate(data, loss: .crossentropy, cancel: Cancellation { true })) {
            XCTAssertTrue($0 is Interrupted)
        }
    }

    func testSetWeightsRestoresPredictions() throws {
        var rng = SeededRandom(seed: 4)
        let network = try Network(inputShape: [2], layers: [Dense(units: 3, activation: .sigmoid)], rng: &rng)
        let x = Tensor(shape: [2, 2], data: [0.5, -1, 2, 0.25])
        let before = network.predict(x)
        let saved = network.weights()
        network.parameters[0].value.data[0] += 1
        XCTAssertNotEqual(network.predict(x), before)
        network.setWeights(saved)
        XCTAssertEqual(network.predict(x), before)
    }

    func testTensorBasics() {
        var t = Tensor(shape: [4, 2, 3], repeating: 1)
        XCTAssertEqual([t.count, t.rows, t.columns], [24, 4, 6])
        let capacity = t.data.capacity
        t.resize(rows: 1)
        XCTAssertEqual(t.shape, [1, 2, 3])
        XCTAssertEqual(t.count, 6)
        t.resize(rows: 4)
        XCTAssertEqual(t.data.capacity, capacity, "growing back within capacity must not reallocate")
        XCTAssertEqual(Tensor(shape: [0, 5]).columns, 0)
        var other = Tensor(shape: [0])
        other.resize(rows: 3, likeRowsOf: t)
        XCTAssertEqual(other.shape, [3, 2, 3])
        XCTAssertEqual(other.count, 18)
    }
}

/// The engine speaks of shapes and settings, never of the language that declared the layers.
final class LayerProblemTests: XCTestCase {
    func testMessagesSayExpectedAndReceivedWithoutShellSyntax() {
        let problems: [LayerProblem] = [
            .expectedFlatInput(layer: "dense", received: [8, 8, 1]),
            .expectedImage(layer: "conv", received: [64]),
            .windowDoesNotFit(layer: "conv", window: [5, 5], padded: false, input: [4, 4, 16]),
            .invalidSetting(layer: "conv", expected: "at least one filter", received: "0"),
        ]
        for problem in problems {
            XCTAssertFalse(problem.message.contains("`"), problem.message)
            XCTAssertTrue(problem.message.contains("got") || problem.message.contains("does not fit"), problem.message)
        }
    }
}
