import XCTest
import CKernels
import DLCore
@testable import Engine

/// The paths a batch of at least `recurrenceSplitMinimum` rows and units in multiples of 8 take:
/// the recurrence in two halves of the batch (on two threads) and the LSTM's AVX2 gate passes.
/// The gradient checks in RecurrentGradientTests use 2 rows and 4 units, which take neither.
final class RecurrentSplitTests: XCTestCase {
    private static let (steps, channels, units, batch) = (4, 2, 8, 20)

    private func fixture(_ cell: String, seed: UInt64 = 3) throws -> (RecurrentLayer, Tensor, Tensor) {
        var rng = SeededRandom(seed: seed)
        let layer: RecurrentLayer = cell == "lstm" ? LSTM(units: Self.units, returns: .sequences)
            : cell == "gru" ? GRU(units: Self.units, returns: .sequences) : SimpleRNN(units: Self.units, returns: .sequences)
        try layer.build(inputShape: [Self.steps, Self.channels], rng: &rng)
        for i in layer.parameters[2].value.data.indices { layer.parameters[2].value.data[i] += Float(rng.uniform(-0.5, 0.5)) }
        let x = rng.uniformTensor(shape: [Self.batch, Self.steps, Self.channels], -1.5, 1.5)
        return (layer, x, rng.uniformTensor(shape: [Self.batch] + layer.outputShape, -1, 1))
    }

    func testGradientsWithTheBatchInHalves() throws {
        XCTAssertGreaterThanOrEqual(Self.batch, recurrenceSplitMinimum)
        for cell in ["lstm", "gru", "rnn"] {
            let (layer, x, weights) = try fixture(cell)
            _ = GradientCheck.assertGradients(of: layer, x: x, weights: weights, context: "\(cell) split")
        }
    }

    /// Output and every gradient, bit for bit, from (a) the vector gate passes, (b) the Swift
    /// ones, and (c) one thread instead of two.
    func testVectorPassesAndOneThreadGiveTheSameBits() throws {
        func run(portable: Bool, singleThreaded: Bool) throws -> [[Float]] {
            dl_direct_conv_use_portable(portable ? 1 : 0)
            Trainer.setSingleThreaded(singleThreaded)
            defer { dl_direct_conv_use_portable(0); Trainer.setSingleThreaded(false) }
            let (layer, x, weights) = try fixture("lstm")
            let y = layer.forward(x, training: true)
            let dx = layer.backward(weights)
            return [y.data, dx.data] + layer.parameters.map { $0.gradient.data }
        }
        let vector = try run(portable: false, singleThreaded: false)
        XCTAssertEqual(vector, try run(portable: true, singleThreaded: false))
        XCTAssertEqual(vector, try run(portable: false, singleThreaded: true))
        XCTAssertGreaterThan(vector[1].map(abs).max()!, 1e-4)
    }
}
