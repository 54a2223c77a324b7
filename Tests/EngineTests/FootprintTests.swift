import XCTest
import DLCore
@testable import Engine

/// The footprint counts what building and training allocate without building: its shapes and
/// parameter counts are those of the built network, and its buffer sizes are those the layers
/// hold after a training step and an inference pass.
final class FootprintTests: XCTestCase {
    func makeLayers(direct: Bool) -> [Layer] {
        let first = Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 6, activation: .relu)
        first.prefersDirectKernels = direct
        return [first, Pool2D(size: 2), BatchNorm(),
                Conv2D(kernelHeight: 3, kernelWidth: 3, filters: 16, padding: .same, activation: .relu),
                Flatten(), Dropout(rate: 0.25), Dense(units: 20, activation: .relu), Dense(units: 3), ActivationLayer(.softmax)]
    }

    func testShapesAndParametersMatchTheBuiltNetwork() throws {
        let footprint = try Network.footprint(inputShape: [12, 12, 1], layers: makeLayers(direct: true))
        var rng = SeededRandom(seed: 3)
        let network = try Network(inputShape: [12, 12, 1], layers: makeLayers(direct: true), rng: &rng)
        XCTAssertEqual(footprint.layers.map(\.outputShape), network.layers.map(\.outputShape))
        XCTAssertEqual(footprint.layers.map(\.parameters), network.layers.map(\.parameterCount))
        XCTAssertEqual(footprint.parameterCount, network.parameterCount)
        XCTAssertEqual(footprint.layers.map(\.states), network.layers.map(\.nonTrainableCount))
        XCTAssertEqual(footprint.stateCount, network.nonTrainableParameterCount)
        XCTAssertEqual(footprint.stateCount, 12)
    }

    func testShapeErrorsAreThoseOfBuild() {
        XCTAssertThrowsError(try Network.footprint(inputShape: [4], layers: [Dense(units: 3), Pool2D(size: 2)])) { error in
            XCTAssertEqual((error as? NetworkBuildError)?.layerIndex, 1)
            XCTAssertEqual((error as? NetworkBuildError)?.problem, .expectedImage(layer: "pooling", received: [3]))
        }
    }

    /// After training steps at batch 32 and a prediction of 50 rows, each layer holds what its
    /// footprint says (the kernel-gradient partial sums, a few hundred floats here, are not
    /// visible from outside and are the one allowance, as are the Winograd path's transformed
    /// kernels). Without the direct kernels the first conv (one channel) takes the fused
    /// Winograd passes, the second (6 channels) im2col.
    func testBufferSizesAreWhatTheLayersHold() throws {
        for direct in [true, false] {
            var rng = SeededRandom(seed: 4)
            let layers = makeLayers(direct: direct)
            let network = try Network(inputShape: [12, 12, 1], layers: layers, rng: &rng)
            let footprint = try Network.footprint(inputShape: [12, 12, 1], layers: makeLayers(direct: direct))
            let x = rng.uniformTensor(shape: [64, 12, 12, 1], -1, 1)
            let (y, labels) = rng.oneHot(rows: 64, classes: 3)
            let trainer = Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(.sgd(momentum: 0)))
            _ = try trainer.train(TrainingData(x: x, y: y, labels: labels), options: TrainingOptions(learningRate: 0.01, epochs: 1, batchSize: 32), rng: &rng)
            _ = network.predict(Tensor(shape: [50, 12, 12, 1]))

            func held(_ layer: Layer) -> Int {
                switch layer {
                case let dense as Dense: return dense.output.count + dense.gradPreActivation.count + dense.gradInput.count
                case let conv as Conv2D:
                    return conv.output.count + conv.gradPreActivation.count + conv.columns.count + conv.gradColumns.count + conv.gradInput.count
                        + conv.winogradInput.count + conv.winogradProducts.count
                case let pool as Pool2D: return pool.output.count + pool.gradInput.count + pool.argmax.count
                case let dropout as Dropout: return dropout.mask.count + dropout.output.count + dropout.gradInput.count
                case let norm as BatchNorm: return norm.output.count + norm.normalized.count + norm.gradInput.count
                case let activation as ActivationLayer: return activation.output.count + activation.gradInput.count
                default: return 0
                }
            }
            for (index, layer) in layers.enumerated() {
                let counted = footprint.layers[index].bufferFloats(batch: 32, inferenceRows: 50, isFirst: index == 0)
                var chains = footprint.layers[index]
                chains.buffers = []
                let hidden = chains.bufferFloats(batch: 32, inferenceRows: 50, isFirst: index == 0)
                    + (direct && index == 0 ? 50 * 12 * 12 : 0) // the direct path's padded copy (no padding: the image)
                XCTAssertEqual(counted - hidden, held(layer), "layer \(index) (\(layer.kind)), direct \(direct)")
            }
        }
    }
}
