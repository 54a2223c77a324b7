import XCTest
import DLCore
@testable import Engine

/// Convolutional networks end to end: gradients through a small LeNet, learning, determinism,
/// buffer reuse.
final class ConvTrainingTests: XCTestCase {
    private func smallLeNet(seed: UInt64, pool: PoolingMode = .max) throws -> Network {
        var rng = SeededRandom(seed: seed)
        return try Network(inputShape: [8, 8, 1], layers: [
            Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 3, padding: .same, activation: .tanh),
            Pool2D(size: 2, mode: pool),
            Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 4, stride: 1, activation: .sigmoid),
            Flatten(),
            Dense(units: 3, activation: .softmax)], rng: &rng)
    }

    /// Crossentropy in Double from the network's probabilities.
    private func crossentropy(_ network: Network, _ x: Tensor, _ y: Tensor) -> Double {
        let p = network.forward(x, training: false)
        return zip(p.data, y.data).reduce(0) { $0 - Double($1.1) * log(Double($1.0)) } / Double(x.rows)
    }

    func testLeNetGradientsEndToEnd() throws {
        for mode in PoolingMode.allCases {
            let network = try smallLeNet(seed: 1, pool: mode)
            var rng = SeededRandom(seed: 2)
            let x = rng.uniformTensor(shape: [4, 8, 8, 1], -1, 1)
            let (y, _) = rng.oneHot(rows: 4, classes: 3)
            // The trainer's pass: softmax + crossentropy fused into p - y at the last Dense.
            let trainer = Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(.sgd(momentum: 0)))
            _ = trainer.forwardBackward(x: x, y: y)
            for (index, parameter) in network.parameters.enumerated() {
                // A ±1e-2 kernel step can change which pixel wins a max window (a kink);
                // 1e-3 stays clear of them here and Double loss keeps the quotient accurate.
                let error = GradientCheck.relativeError(of: parameter, loss: { self.crossentropy(network, x, y) },
                                                        step: mode == .max ? 1e-3 : 1e-2)
                XCTAssertLessThan(error, GradientCheck.tolerance, "\(mode) parameter \(index) \(parameter.name)")
                XCTAssertGreaterThan(parameter.gradient.data.map(abs).max()!, 1e-4, "\(mode) parameter \(index)")
            }
        }
    }

    /// 8x8 images holding one bright bar over faint noise: class 0 vertical, class 1 horizontal.
    private func bars(rows: Int, seed: UInt64) -> TrainingData {
        var rng = SeededRandom(seed: seed)
        var x = Tensor(shape: [rows, 8, 8, 1]), y = Tensor(shape: [rows, 2]), labels: [Int] = []
        for r in 0..<rows {
            let label = r % 2, line = rng.integer(below: 8)
            for i in 0..<64 { x.data[r * 64 + i] = Float(rng.uniform(0, 0.3)) }
            for i in 0..<8 { x.data[r * 64 + (label == 0 ? i * 8 + line : line * 8 + i)] = 1 }
            y.data[r * 2 + label] = 1
            labels.append(label)
        }
        return TrainingData(x: x, y: y, labels: labels)
    }

    private func barsNetwork(seed: UInt64) throws -> Network {
        var rng = SeededRandom(seed: seed)
        return try Network(inputShape: [8, 8, 1], layers: [
            Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 4, activation: .relu),
            Pool2D(size: 2),
            Flatten(),
            Dropout(rate: 0.1),
            Dense(units: 2, activation: .softmax)], rng: &rng)
    }

    private func trainBars(seed: UInt64 = 4) throws -> (TrainingResult, Network, TrainingData) {
        let data = bars(rows: 200, seed: 3)
        let network = try barsNetwork(seed: seed)
        var rng = SeededRandom(seed: 5)
        let result = try Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(.defaultAdam))
            .train(data, options: TrainingOptions(learningRate: 0.01, epochs: 15, batchSize: 16), rng: &rng)
        return (result, network, data)
    }

    func testTinyCNNLearnsBarOrientation() throws {
        let (result, network, data) = try trainBars()
        XCTAssertLessThan(result.records.first!.accuracy!, 0.9, "it has to be learned")
        XCTAssertGreaterThanOrEqual(result.records.last!.accuracy!, 0.95)
        XCTAssertGreaterThanOrEqual(network.evaluate(data, loss: .crossentropy).accuracy!, 0.95)
        XCTAssertTrue((network.layers[0] as! Conv2D).computesInputGradient, "restored after training")
    }

    func testSameSeedSameLosses() throws {
        let (a, networkA, _) = try trainBars(), (b, networkB, _) = try trainBars()
        XCTAssertEqual(a.records.map(\.loss), b.records.map(\.loss))
        XCTAssertEqual(networkA.weights(), networkB.weights())
        let (other, _, _) = try trainBars(seed: 40)
        XCTAssertNotEqual(other.records.map(\.loss), a.records.map(\.loss))
    }

    func testTrainingReusesConvBuffers() throws {
        var rng = SeededRandom(seed: 1)
        let conv1 = Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 4, padding: .same, activation: .relu)
        let pool1 = Pool2D(size: 2)
        let conv2 = Conv2D(kernelHeight: 2, kernelWidth: 2, filters: 5, stride: 2, activation: .tanh)
        let pool2 = Pool2D(size: 1, mode: .avg)
        let dropout = Dropout(rate: 0.2)
        let network = try Network(inputShape: [8, 8, 2], layers: [conv1, pool1, conv2, pool2, Flatten(), dropout,
                                                                  Dense(units: 3, activation: .softmax)], rng: &rng)
        let x = rng.uniformTensor(shape: [100, 8, 8, 2], -1, 1)   // batches of 32, 32, 32, 4
        let (y, labels) = rng.oneHot(rows: 100, classes: 3)
        let trainer = Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(.defaultAdam))

        func address(_ t: Tensor) -> Int { t.data.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) } }
        var snapshots: [[Int]] = []
        _ = try trainer.train(TrainingData(x: x, y: y, labels: labels),
                              options: TrainingOptions(learningRate: 0.01, epochs: 3, batchSize: 32), rng: &rng, shouldStop: {
            XCTAssertEqual(conv1.gradInput.count, 0, "the first layer's input gradient is skipped")
            var row: [Int] = []
            for conv in [conv1, conv2] {
                row += [address(conv.columns), address(conv.output), address(conv.gradPreActivation)]
            }
            row += [address(conv2.gradColumns), address(conv2.gradInput)]
            for pool in [pool1, pool2] { row += [address(pool.output), address(pool.gradInput)] }
            row.append(pool1.argmax.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) })
            row += [address(dropout.mask), address(dropout.output), address(dropout.gradInput)]
            for parameter in network.parameters { row += [address(parameter.value), address(parameter.gradient)] }
            snapshots.append(row)
            return false
        })
        XCTAssertEqual(snapshots.count, 12)
        XCTAssertEqual(Set(snapshots).count, 1, "a buffer moved between batches")
    }
}
