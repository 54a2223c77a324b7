import Foundation
import Engine
import XCTest
@testable import Script

/// `conv1d`, `pool1d` and `globalpool` in a session: the FCN of Wang et al. builds and trains,
/// `summary` shows Keras's shapes and counts, bad placements are errors at the layer's line,
/// and a saved model predicts as the session did.
final class Conv1DSessionTests: XCTestCase {
    /// 40 series of `steps` values: class "slow" is one sine period, "fast" three, with a phase
    /// that varies by row, so a convolution has something to find.
    private func wavesCSV(steps: Int = 24) throws -> String {
        let header = (["label"] + (0..<steps).map { "t\($0)" }).joined(separator: ",")
        let rows = (0..<40).map { r -> String in
            let periods = r % 2 == 0 ? 1.0 : 3.0, phase = Double(r) * 0.37
            let values = (0..<steps).map { t in String(format: "%.4f", sin(2 * .pi * periods * Double(t) / Double(steps) + phase)) }
            return ([r % 2 == 0 ? "slow" : "fast"] + values).joined(separator: ",")
        }
        return try writeFile("waves.csv", ([header] + rows).joined(separator: "\n") + "\n", in: makeTemporaryFolder("conv1d"))
    }

    static let fcn = ["conv1d 8 filters=128 pad=same", "batchnorm", "activation relu",
                      "conv1d 5 filters=256 pad=same", "batchnorm", "activation relu",
                      "conv1d 3 filters=128 pad=same", "batchnorm", "activation relu",
                      "globalpool avg", "dense 2 softmax"]

    func testTheFCNShowsKerasShapesAndCounts() throws {
        let path = try wavesCSV()
        assertOutput(["load \"\(path)\" target=label", "input 24x1"] + Self.fcn + ["summary"], [
            "Model: sequential, input (None, 24, 1)",
            "conv1d (Conv1D)", "(None, 24, 128)", "1,152",
            "batch_normalization (BatchNormalization)", "512",
            "conv1d_1 (Conv1D)", "(None, 24, 256)", "164,096",
            "conv1d_2 (Conv1D)", "(None, 24, 128)", "98,432",
            "global_average_pooling1d (GlobalAveragePooling1D)", "(None, 128)",
            "dense (Dense)", "(None, 2)", "258",
            // Keras's model.summary() for the same layers: 265,986 in all, 1,024 of them the moving statistics.
            "Total params: 265,986", "Trainable params: 264,962", "Non-trainable params: 1,024",
        ])
    }

    func testASmallConvolutionalNetworkLearnsTheWaves() throws {
        let path = try wavesCSV()
        let (text, outcomes) = runLines(["load \"\(path)\" target=label", "input 24x1", "split 0.75 seed=1",
                                         "conv1d 5 filters=8 pad=same", "batchnorm", "activation relu", "pool1d 2",
                                         "conv1d 3 relu filters=8 dilation=2", "globalpool max", "dense 2 softmax",
                                         "optimizer adam", "train lr=0.01 epochs=40 batch=8", "evaluate"])
        XCTAssertEqual(outcomes.last, .ok, text)
        // The line after "evaluate on 10 test rows": "loss 0.1234  accuracy 0.9000 (9/10 correct)".
        let evaluation = text.components(separatedBy: "\n").first { $0.hasPrefix("loss ") && $0.contains("correct)") }
        let accuracy = evaluation?.components(separatedBy: "accuracy ").last.flatMap { Double($0.prefix(6)) }
        XCTAssertNotNil(accuracy, text)
        XCTAssertGreaterThanOrEqual(accuracy ?? 0, 0.8, text)
    }

    func testConv1DAfterFlattenSaysToMoveItAndTheSessionGoesOn() throws {
        let path = try wavesCSV()
        let (text, outcomes) = runLines(["load \"\(path)\" target=label", "input 24x1", "flatten", "conv1d 3 filters=4",
                                         "globalpool avg", "dense 2 softmax", "train epochs=1",
                                         "reset model", "conv1d 3 filters=4", "globalpool avg", "dense 2 softmax", "train epochs=1"])
        XCTAssertTrue(text.contains("<stdin>:4:1: error: conv1d needs series [steps, channels]; it gets 24 flat features"), text)
        XCTAssertTrue(text.contains("hint: `flatten` before it made one row of 24 features: put `conv1d` before `flatten`"), text)
        XCTAssertEqual(outcomes[6], .runtimeError, text)
        XCTAssertEqual(outcomes.last, .ok, text)
        XCTAssertTrue(text.contains("trained 1 epoch on 40 rows"), text)
    }

    func testConv1DOnFlatFeaturesWithoutInputSaysHowToDeclareThem() {
        let (text, outcomes) = runLines(["load iris", "conv1d 3 filters=4", "globalpool avg", "dense 3 softmax", "train epochs=1",
                                         "input 4x1", "train epochs=1"])
        XCTAssertTrue(text.contains("<stdin>:2:1: error: conv1d needs series [steps, channels]; it gets 4 flat features"), text)
        XCTAssertTrue(text.contains("hint: declare `input 4x1` (steps x channels)"), text)
        XCTAssertEqual(outcomes[4], .runtimeError, text)
        XCTAssertEqual(outcomes.last, .ok, text)
    }

    func testBadSettingsAreRefusedWithWhatWasReceived() throws {
        let path = try wavesCSV()
        let (text, outcomes) = runLines(["load \"\(path)\" target=label", "input 24x1", "conv1d 3 filters=4 stride=2 dilation=2",
                                         "conv1d 30 filters=4", "globalpool avg", "dense 2 softmax", "train epochs=1",
                                         "pool1d 0", "globalpool mean"])
        XCTAssertTrue(text.contains("error: conv1d takes a stride or a dilation, but got stride=2 with dilation=2"), text)
        XCTAssertTrue(text.contains("error: the 30 kernel does not fit the 24x1 input"), text)
        XCTAssertTrue(text.contains("hint: use a smaller kernel or dilation, pad=same"), text)
        XCTAssertEqual(outcomes, [.ok, .ok, .badScript, .ok, .ok, .ok, .runtimeError, .badScript, .badScript], text)
    }

    func testASavedFCNPredictsAsTheSessionDid() throws {
        let path = try wavesCSV(steps: 12)
        let model = try makeTemporaryFolder("conv1d-model") + "/fcn.safetensors"
        let values = (0..<12).map { String(format: "%.3f", sin(Double($0))) }.joined(separator: ",")
        let (text, outcomes) = runLines(["load \"\(path)\" target=label", "input 12x1",
                                         "conv1d 4 filters=6 pad=same", "batchnorm", "activation relu", "pool1d 2 avg",
                                         "conv1d 3 filters=4 stride=2 relu", "globalpool avg", "dense 2 softmax",
                                         "train lr=0.05 epochs=3", "predict \(values)", "save model \"\(model)\"",
                                         "reset model", "load model \"\(model)\"", "show", "predict \(values)"])
        XCTAssertEqual(outcomes.filter { $0 != .ok }, [], text)
        // "predicted: fast" and a line per class with its probability, the same after `load model`.
        let lines = text.components(separatedBy: "\n")
        let predictions = lines.indices.filter { lines[$0].hasPrefix("predicted:") }.map { lines[$0...($0 + 2)].joined(separator: "\n") }
        XCTAssertEqual(predictions.count, 2, text)
        XCTAssertEqual(Set(predictions).count, 1, "the loaded model predicts the same:\n\(text)")
        XCTAssertTrue(text.contains("conv1d 3 filters=4 stride=2 relu"), text)
        XCTAssertTrue(text.contains("pool1d 2 avg"), text)
    }

    func testGlobalPoolingOverImagesIsKeras2DPooling() {
        let (text, outcomes) = runLines(["load digits", "split 0.8 seed=1", "conv 3x3 filters=8 pad=same relu", "globalpool max",
                                         "dense 10 softmax", "summary", "train lr=0.1 epochs=1"])
        XCTAssertEqual(outcomes.filter { $0 != .ok }, [], text)
        XCTAssertTrue(text.contains("(GlobalMaxPooling2D)"), text)
        XCTAssertTrue(text.contains("(None, 8)"), text)
    }

    func testExplainCountsTheFiltersWeights() throws {
        let path = try wavesCSV()
        assertOutput(["load \"\(path)\" target=label", "input 24x1", "explain on", "conv1d 8 filters=128 pad=same"], [
            "Each of its 128 filters spans 8 steps × 1 channel of the 24×1 series: 128 × (8 × 1 + 1 bias) = 1,152 weights",
        ])
    }
}
