import Foundation
import XCTest
@testable import Script

/// `augment`, `show augment`, `show mistakes` and colour images at the prompt: what they print,
/// that training with `augment` replays from the seed, and that each bad input says what was
/// expected and received and leaves the session working.
final class ImageStatementsTests: XCTestCase {
    private let digitsCNN = ["load digits", "split 0.8", "scale minmax", "conv 3x3 filters=4 pad=same relu", "pool 2x2", "flatten",
                             "dense 10 softmax"]

    /// The lines a run printed that hold a training or evaluation figure.
    private func figures(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.contains("correct)") || ($0.hasPrefix("trained ") && $0.contains(" rows in ")) }
            .map { $0.split(separator: ": ", maxSplits: 1).last! }
    }

    func testAugmentIsRecordedShownAndReplaysFromTheSeed() throws {
        let script = digitsCNN + ["augment flip=horizontal rotate=15 shift=0.1 zoom=0.1 brightness=0.1 contrast=0.2", "train lr=0.05 epochs=3", "evaluate"]
        let (first, outcomes) = runLines(script + ["show", "show state"])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), first)
        XCTAssertTrue(first.contains("augment: flip horizontal, rotate up to 15 degrees, shift up to 10%, zoom up to 10%, brightness up to 0.1, contrast up to 0.2"), first)
        XCTAssertTrue(first.contains("augment   flip horizontal, rotate up to 15 degrees"), first)
        let state = try XCTUnwrap(first.split(separator: "\n").last.map(String.init))
        XCTAssertTrue(state.contains("scale minmax; augment flip=horizontal rotate=15 shift=0.1 zoom=0.1 brightness=0.1 contrast=0.2; conv"), state)

        let (second, _) = runLines(script)
        XCTAssertEqual(figures(first), figures(second), "the same script, the same numbers")
        let (replayed, replayOutcomes) = runLines([state, "evaluate"])
        XCTAssertEqual(replayOutcomes, [.ok, .ok], replayed)
        XCTAssertEqual(figures(first).last, figures(replayed).last, replayed)
        let (plain, _) = runLines(digitsCNN + ["train lr=0.05 epochs=3", "evaluate"])
        XCTAssertNotEqual(figures(first), figures(plain), "augment changes what training sees")
        XCTAssertEqual(figures(first).count, 2, first)
    }

    /// A model trained before `augment` is not trained on as if it had been augmented; `evaluate`
    /// never augments (the same figures before and after `augment off`).
    func testAugmentOffAndANewSettingStartAfresh() {
        let (text, outcomes) = runLines(digitsCNN + ["augment rotate=10", "train lr=0.05 epochs=2", "evaluate", "augment rotate=10",
                                                     "evaluate", "augment off", "augment off", "train lr=0.05 epochs=2", "evaluate"])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        XCTAssertTrue(text.contains("augment: unchanged (rotate up to 10 degrees)"), text)
        XCTAssertTrue(text.contains("augment off: training sees the images as they are again"), text)
        XCTAssertTrue(text.contains("augment off: nothing to switch off"), text)
        let evaluations = text.split(separator: "\n").filter { $0.contains("correct)") }
        XCTAssertEqual(evaluations.count, 3, text)
        XCTAssertEqual(evaluations[0], evaluations[1], "an unchanged augment keeps the weights")
        let (plain, _) = runLines(digitsCNN + ["train lr=0.05 epochs=2", "evaluate"])
        XCTAssertEqual(evaluations[2], plain.split(separator: "\n").first { $0.contains("correct)") }, "off trains as never augmented")
    }

    func testAugmentIsSavedWithTheModelAndInertAtPredict() throws {
        let folder = try makeTemporaryFolder("augment-model")
        let path = folder + "/m.safetensors"
        // No split: `evaluate` measures all rows, in the first session and after `load model` alike.
        let script = digitsCNN.filter { $0 != "split 0.8" }
        let (text, outcomes) = runLines(script + ["augment flip=vertical zoom=0.2", "train lr=0.05 epochs=2", "evaluate", "save model \"\(path)\""])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        let (loaded, loadedOutcomes) = runLines(["load model \"\(path)\"", "show", "load digits", "evaluate"])
        XCTAssertEqual(loadedOutcomes, [.ok, .ok, .ok, .ok], loaded)
        XCTAssertTrue(loaded.contains("augment   flip vertical, zoom up to 20%"), loaded)
        let before = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("/1797 correct)") }, text)
        XCTAssertEqual(loaded.split(separator: "\n").first { $0.contains("correct)") }, before, "evaluate and predict never augment")
    }

    func testAugmentRefusesWhatItCannotDo() {
        // Not images: says what it works on and what the rows are, and the session goes on.
        assertOutput(["load iris", "augment flip=horizontal", "split 0.8"],
                     ["error: augment works on images, but the rows of 'iris.csv' are 4 numbers, not images", "`input HxWxC`",
                      "split: 120 training rows"], outcomes: [.ok, .runtimeError, .ok])
        assertOutput(["load digits", "augment"], ["error: augment needs at least one change, but none was given"],
                     outcomes: [.ok, .badScript])
        assertOutput(["load digits", "augment off rotate=5"], ["error: `augment off` removes the augmentation, but rotate= was given too"],
                     outcomes: [.ok, .badScript])
        assertOutput(["load digits", "augment rotate=0"], ["error: augment with every amount 0 changes nothing"], outcomes: [.ok, .badScript])
        assertOutput(["load digits", "augment rotate=400", "augment rotate=10"], ["rotate", "180", "augment: rotate up to 10 degrees"],
                     outcomes: [.ok, .badScript, .ok])
        assertOutput(["load digits", "augment flip=sideways"], ["sideways", "horizontal", "vertical", "both"], outcomes: [.ok, .badScript])
        assertOutput(["load digits", "augment zoom=-0.1"], ["zoom"], outcomes: [.ok, .badScript])
        assertOutput(["augment flip=horizontal"], ["augment needs data, but nothing is loaded"], outcomes: [.runtimeError])
    }

    func testShowAugmentDrawsTheImageAndItsVersions() {
        let (text, outcomes) = runLines(["load digits", "split 0.8", "scale minmax", "augment rotate=20 brightness=0.2", "show augment 3",
                                         "show augment 2 row=5", "show augment 1 row=5000"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok, .ok, .ok, .runtimeError], text)
        XCTAssertTrue(text.contains("Row 1538 and 3 augmented versions: rotate up to 20 degrees, brightness up to 0.2"), text)
        XCTAssertTrue(text.contains("row 1538: 8"), text)
        XCTAssertTrue(text.contains("version 3"), text)
        XCTAssertTrue(text.contains("Row 5 and 2 augmented versions"), text)
        XCTAssertTrue(text.contains("there is no row 5000: the data has rows 0 to 1796"), text)
        // Looking draws its own numbers: training after it is as training without it.
        let (looked, _) = runLines(digitsCNN + ["augment rotate=20", "show augment 3", "train lr=0.05 epochs=2", "evaluate"])
        let (notLooked, _) = runLines(digitsCNN + ["augment rotate=20", "train lr=0.05 epochs=2", "evaluate"])
        XCTAssertEqual(figures(looked).last, figures(notLooked).last)
        assertOutput(["load digits", "show augment"], ["error: show augment draws the changes that `augment` makes, but no augmentation is set"],
                     outcomes: [.ok, .runtimeError])
        assertOutput(["load iris", "show augment"], ["error: show augment works on images"], outcomes: [.ok, .runtimeError])
    }

    func testShowMistakesDrawsWrongTestImagesSurestFirst() throws {
        let (text, outcomes) = runLines(digitsCNN + ["train lr=0.05 epochs=2", "evaluate", "show mistakes 6"], width: 120)
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        let correct = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("correct)") })
        // "loss 0.1234  accuracy 0.9053 (325/359 correct)": the mistakes are the rest.
        let counts = correct.split(separator: "(").last!.split(separator: " ").first!.split(separator: "/")
        let wrong = Int(counts[1])! - Int(counts[0])!
        XCTAssertTrue(text.contains("the model gets \(wrong) of 359 test rows wrong; the 6 it is surest of:"), text)
        XCTAssertTrue(text.contains("6 of the \(wrong) mistakes on 359 test rows, true -> predicted (probability)"), text)
        let captions = text.split(separator: "\n").filter { $0.contains(" -> ") && $0.contains("(0.") }.flatMap {
            $0.split(separator: "  ", omittingEmptySubsequences: true)
        }
        XCTAssertEqual(captions.count, 6, text)
        // Surest first: the probabilities never rise along the grid.
        let probabilities = captions.map { Double($0.split(separator: "(").last!.dropLast())! }
        XCTAssertEqual(probabilities, probabilities.sorted(by: >), text)
        for caption in captions {
            let classes = caption.split(separator: " ")
            XCTAssertNotEqual(classes[0], classes[2], "a mistake's true and predicted classes differ: \(caption)")
        }
        XCTAssertTrue(text.contains("rows: "), text)
    }

    func testShowMistakesRefusesWhatItCannotShow() {
        assertOutput(["load digits", "show mistakes", "split 0.8"],
                     ["error: show mistakes needs a trained model", "run `train` first", "split: 1438 training rows"],
                     outcomes: [.ok, .runtimeError, .ok])
        assertOutput(["load iris", "dense 3 softmax", "train epochs=1", "show mistakes"],
                     ["error: show mistakes works on images, but the rows of 'iris.csv' are 4 numbers, not images"],
                     outcomes: [.ok, .ok, .ok, .runtimeError])
        assertOutput(["load digits", "task regression", "show mistakes"],
                     ["error: show mistakes shows the images whose class the model got wrong, but 'digit' holds numbers (regression)"],
                     outcomes: [.ok, .ok, .runtimeError])
        assertOutput(["load digits", "show mistakes 0"], ["N"], outcomes: [.ok, .badScript])
    }

    /// A colour table of pixels (`input 32x32x3`): `show image` draws it, a CNN trains with
    /// `augment`, `plot filters` draws colour kernels, `show mistakes` draws wrong ones.
    func testColourImagesFromATableOfPixels() throws {
        let folder = try makeTemporaryFolder("colour")
        var csv = (0..<(32 * 32 * 3)).map { "p\($0)" }.joined(separator: ",") + ",colour\n"
        for i in 0..<60 {
            let channel = i % 3
            let pixels = (0..<(32 * 32)).flatMap { p -> [Int] in
                (0..<3).map { k in k == channel ? 150 + (p * 7 + i) % 100 : (p * 13 + i * 5) % 60 }
            }
            csv += pixels.map(String.init).joined(separator: ",") + ",\(["red", "green", "blue"][channel])\n"
        }
        let path = try writeFile("colour.csv", csv, in: folder)
        let svgPath = folder + "/filters.svg"
        let (text, outcomes) = runLines(["load \"\(path)\"", "input 32x32x3", "show image 0", "split 0.8 stratify", "scale minmax",
                                         "augment flip=horizontal brightness=0.1", "conv 3x3 filters=4 pad=same relu", "pool 2x2", "flatten",
                                         "dense 3 softmax", "train lr=0.05 epochs=2", "plot filters to \"\(svgPath)\"", "show mistakes 4"],
                                        width: 120)
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        XCTAssertTrue(text.contains("row 0: red"), text)
        let svg = try String(contentsOfFile: svgPath, encoding: .utf8)
        // Colour kernels: some pixel's red, green and blue differ (a grey one has all three equal).
        let fills = svg.components(separatedBy: "fill=\"#").dropFirst().map { String($0.prefix(6)) }
        XCTAssertTrue(fills.contains { $0.prefix(2) != $0.dropFirst(2).prefix(2) || $0.prefix(2) != $0.suffix(2) }, svg)
        XCTAssertTrue(text.contains("test rows") || text.contains("no mistakes"), text)
    }

    /// An image model's ONNX graph takes the images whole, as loaded, and scales them itself.
    func testONNXOfAnImageModelTakesImages() throws {
        let folder = try makeTemporaryFolder("image-onnx")
        let (text, outcomes) = runLines(digitsCNN + ["train lr=0.05 epochs=1", "export onnx \"\(folder)/m.onnx\""])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        XCTAssertTrue(text.contains("input images [N, 8, 8, 1] (NHWC float pixels as loaded, 0-255 for photos; the scaling is inside the graph)"), text)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/m.onnx"))
        XCTAssertNotNil(bytes.range(of: Data("scale_offsets".utf8)), "the scaling is in the graph")
        XCTAssertFalse(text.contains("inputs px0"), "no input per pixel column")
        XCTAssertNotNil(bytes.range(of: Data("images".utf8)))
    }
}
