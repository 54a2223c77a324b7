import XCTest
import DLCore
@testable import Engine

/// `augment`'s per-image changes: the geometry's directions and fill, the clipping of light and
/// contrast, the seed's reproducibility, and training that applies them to training batches only.
final class ImageAugmentationTests: XCTestCase {
    /// A 4x4 one-channel image whose pixel (r, c) holds 10r + c.
    private let image: [Float] = (0..<16).map { Float(10 * ($0 / 4) + $0 % 4) }

    private func transformed(_ augmentation: ImageAugmentation, _ draw: ImageAugmenter.Draw, _ input: [Float]? = nil,
                             shape: [Int] = [4, 4, 1], range: ClosedRange<Float> = 0...100) -> [Float] {
        let augmenter = ImageAugmenter(augmentation, shape: shape, valueRange: range)
        var copy = input ?? image
        var scratch = [Float](repeating: 0, count: copy.count)
        copy.withUnsafeMutableBufferPointer { image in
            scratch.withUnsafeMutableBufferPointer { augmenter.transform(image.baseAddress!, draw, scratch: $0.baseAddress!) }
        }
        return copy
    }

    func testHorizontalFlipMirrorsColumns() {
        var draw = ImageAugmenter.Draw()
        draw.flipX = true
        let flipped = transformed(ImageAugmentation(flip: .horizontal), draw)
        XCTAssertEqual(Array(flipped[0..<4]), [3, 2, 1, 0])
        XCTAssertEqual(Array(flipped[12..<16]), [33, 32, 31, 30])
    }

    /// A positive shift moves the content right (and down): Keras's RandomTranslation; the column
    /// that comes in is the edge reflected (d c b a | a b c d).
    func testShiftMovesContentAndReflectsAtTheEdge() {
        var draw = ImageAugmenter.Draw()
        draw.shiftX = 1
        let shifted = transformed(ImageAugmentation(shift: 0.25), draw)
        XCTAssertEqual(Array(shifted[0..<4]), [0, 0, 1, 2])
        XCTAssertEqual(Array(shifted[4..<8]), [10, 10, 11, 12])
    }

    /// A quarter turn of a square image moves every pixel exactly (no blur): the top row becomes a column.
    func testQuarterTurnIsExact() {
        var draw = ImageAugmenter.Draw()
        draw.angle = Double.pi / 2
        let turned = transformed(ImageAugmentation(rotate: 90), draw)
        // Output (r, c) samples the input at (c, 3 - r) for this direction of turn.
        for r in 0..<4 {
            for c in 0..<4 { XCTAssertEqual(turned[r * 4 + c], image[(3 - c) * 4 + r], accuracy: 1e-4, "(\(r), \(c)): \(turned)") }
        }
    }

    /// Zooming out (factor 2) samples twice the area: the centre pixel pairs average, the rim reflects.
    func testZoomOutSamplesAWiderArea() {
        var draw = ImageAugmenter.Draw()
        draw.zoom = 2
        let zoomed = transformed(ImageAugmentation(zoom: 0.9), draw, shape: [4, 4, 1])
        // Output pixel (1, 1), 0.5 left of and above the middle, samples 1.0 from it: halfway between pixels 0 and 1 both ways.
        XCTAssertEqual(zoomed[1 * 4 + 1], (0 + 1 + 10 + 11) / 4, accuracy: 1e-4)
        XCTAssertEqual(zoomed.count, 16)
    }

    func testBrightnessAndContrastClipToTheRange() {
        var draw = ImageAugmenter.Draw()
        draw.brightness = 90
        let brighter = transformed(ImageAugmentation(brightness: 0.9), draw)
        XCTAssertEqual(brighter.max(), 100)
        XCTAssertEqual(brighter[0], 90)
        draw = ImageAugmenter.Draw()
        draw.contrast = 0.5
        let flatter = transformed(ImageAugmentation(contrast: 0.5), draw)
        let mean = image.reduce(0, +) / 16
        XCTAssertEqual(flatter.reduce(0, +) / 16, mean, accuracy: 1e-3, "contrast keeps the mean")
        XCTAssertEqual(flatter[15], (33 - mean) * 0.5 + mean, accuracy: 1e-4)
    }

    /// The same generator gives the same images; a flip draw gives the image or its mirror, both seen.
    func testDrawsComeFromTheSeed() {
        let augmentation = ImageAugmentation(flip: .horizontal, rotate: 20, zoom: 0.2, brightness: 0.1)
        let augmenter = ImageAugmenter(augmentation, shape: [4, 4, 1], valueRange: 0...40)
        func batch(_ seed: UInt64) -> [Float] {
            var tensor = Tensor(shape: [8, 4, 4, 1], data: Array(repeating: image, count: 8).flatMap { $0 })
            var rng = SeededRandom(seed: seed)
            augmenter.apply(to: &tensor, count: 8, rng: &rng)
            return tensor.data
        }
        XCTAssertEqual(batch(1), batch(1))
        XCTAssertNotEqual(batch(1), batch(2))
        XCTAssertTrue(batch(1).allSatisfy { $0 >= 0 && $0 <= 40 })

        let flips = ImageAugmenter(ImageAugmentation(flip: .horizontal), shape: [4, 4, 1], valueRange: 0...40)
        var rng = SeededRandom(seed: 3)
        var kinds = Set<String>()
        for _ in 0..<20 {
            var copy = image
            flips.apply(to: &copy, rng: &rng)
            if copy == image { kinds.insert("same") } else {
                XCTAssertEqual(Array(copy[0..<4]), [3, 2, 1, 0])
                kinds.insert("mirrored")
            }
        }
        XCTAssertEqual(kinds, ["same", "mirrored"])
    }

    /// A batch large enough to be cut across the cores gives the same bits as on one thread.
    func testCutsOfTheBatchDoNotChangeTheImages() {
        let augmenter = ImageAugmenter(ImageAugmentation(flip: .both, rotate: 30, shift: 0.2, zoom: 0.3, brightness: 0.2, contrast: 0.3),
                                       shape: [32, 32, 3], valueRange: 0...1)
        var source = SeededRandom(seed: 11)
        let pixels = (0..<(64 * 32 * 32 * 3)).map { _ in Float(source.uniform()) }
        func run(singleThreaded: Bool) -> [Float] {
            Trainer.setSingleThreaded(singleThreaded)
            defer { Trainer.setSingleThreaded(false) }
            var batch = Tensor(shape: [64, 32, 32, 3], data: pixels)
            var rng = SeededRandom(seed: 4)
            augmenter.apply(to: &batch, count: 64, rng: &rng)
            return batch.data
        }
        let parallel = run(singleThreaded: false)
        XCTAssertEqual(parallel, run(singleThreaded: true))
        XCTAssertNotEqual(parallel, pixels)
    }

    func testLimitsAreChecked() {
        XCTAssertTrue(ImageAugmentation(rotate: 180, shift: 1, zoom: 0.9).isValid)
        XCTAssertFalse(ImageAugmentation(rotate: -1).isValid)
        XCTAssertFalse(ImageAugmentation(zoom: 1).isValid)
        XCTAssertFalse(ImageAugmentation(brightness: .nan).isValid)
        XCTAssertTrue(ImageAugmentation().isIdentity)
    }

    /// Training with an augmenter: reproducible from the seed, different from training without,
    /// and the validation rows are evaluated unchanged (their loss equals an evaluation of the same rows).
    func testTrainingAugmentsTrainingBatchesOnly() throws {
        func run(_ augment: Bool) throws -> (TrainingResult, Network, TrainingData) {
            var rng = SeededRandom(seed: 5)
            let x = (0..<(32 * 16)).map { _ in Float(rng.uniform()) }
            let labels = (0..<32).map { $0 % 2 }
            let y: [Float] = labels.flatMap { $0 == 0 ? [Float(1), 0] : [Float(0), 1] }
            let data = TrainingData(x: Tensor(shape: [32, 4, 4, 1], data: x), y: Tensor(shape: [32, 2], data: y), labels: labels)
            var initRandom = SeededRandom(seed: 9)
            let network = try Network(inputShape: [4, 4, 1], layers: [Flatten(), Dense(units: 2, activation: .softmax)], rng: &initRandom)
            let trainer = Trainer(network: network, loss: .crossentropy, optimizer: Optimizer(.sgd(momentum: 0)))
            var options = TrainingOptions(learningRate: 0.1, epochs: 3, batchSize: 8, validation: data)
            if augment { options.augmenter = ImageAugmenter(ImageAugmentation(flip: .both, rotate: 30), shape: [4, 4, 1], valueRange: 0...1) }
            var shuffle = SeededRandom(seed: 1)
            return (try trainer.train(data, options: options, rng: &shuffle), network, data)
        }
        let (a, network, data) = try run(true)
        let (b, _, _) = try run(true)
        let (plain, _, _) = try run(false)
        XCTAssertEqual(a.records.map(\.loss), b.records.map(\.loss))
        XCTAssertNotEqual(a.records.map(\.loss), plain.records.map(\.loss))
        let evaluation = network.evaluate(data, loss: .crossentropy)
        XCTAssertEqual(a.records.last!.validationLoss!, evaluation.loss, accuracy: 1e-6)
    }
}
