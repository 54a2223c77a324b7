import Foundation
import Engine
import XCTest
@testable import Script
@testable import Tabular

/// `input STEPSxCHANNELS`: rows as series, carried by the pipeline, a saved model and the
/// model's input shape (the series contract of issue 26).
final class SeriesInputTests: XCTestCase {
    /// A CSV with a label column then `values` columns of values over time, 6 rows.
    private func seriesCSV(values: Int) throws -> String {
        let header = (["label"] + (0..<values).map { "t\($0)" }).joined(separator: ",")
        let rows = (0..<6).map { r in ([r % 2 == 0 ? "a" : "b"] + (0..<values).map { String(r + $0) }).joined(separator: ",") }
        return try writeFile("series.csv", ([header] + rows).joined(separator: "\n") + "\n", in: makeTemporaryFolder("series-input"))
    }

    func testInputOnA149ColumnTableNamesBothCountsAndTheSessionGoesOn() throws {
        let path = try seriesCSV(values: 149)
        assertOutput(["load \"\(path)\" target=label", "input 150x1", "input 149x1", "dense 2 softmax", "train epochs=1"], [
            "<stdin>:2:7: error: each row of 'series.csv' has 149 features but a 150x1 series (steps x channels) needs 150",
            "hint: 149 features make 149 steps of 1 channel: `input 149x1`",
            "input: each row is a series of 149 steps x 1 channel",
            "trained 1 epoch on 6 rows",
        ], outcomes: [.ok, .runtimeError, .ok, .ok, .ok])
    }

    func testSeveralChannelsSayTheLayoutAndTheStateReplaysIt() throws {
        let path = try seriesCSV(values: 6)
        let (text, outcomes) = runLines(["load \"\(path)\" target=label", "input 3x2", "dense 2 softmax", "show state"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok], text)
        XCTAssertTrue(text.contains("input: each row is a series of 3 steps x 2 channels (the columns run through the channels at each step)"), text)
        XCTAssertTrue(text.contains("input 3x2; dense 2 softmax"), text)
    }

    func testTheShapeMustHaveTwoOrThreeSizes() {
        assertOutput(["load iris", "input 4", "input 1x2x2x1", "input 0x4", "input 4x1"], [
            "<stdin>:2:7: error: shape expects a shape like 150x1 (steps x channels) or 28x28x1 (height x width x channels) but got '4'",
            "<stdin>:3:7: error:", "<stdin>:4:7: error:",
            "input: each row is a series of 4 steps x 1 channel",
        ], outcomes: [.ok, .badScript, .badScript, .badScript, .ok])
    }

    /// Rows stay flat for dense layers; a layer that reads series gets [steps, channels].
    func testTheModelTakesSeriesOnlyWhenALayerNeedsThem() throws {
        let place = SourceRange(line: 1, column: 1, length: 1)
        let dense = LayerEntry(kind: DenseKind(units: 2, activation: .softmax), range: place, fileName: "-", lineText: nil)
        let probe = LayerEntry(kind: SeriesProbeKind(), range: place, fileName: "-", lineText: nil)
        XCTAssertEqual(ModelSpec(layers: [dense]).inputShape(featureCount: 6, imageShape: nil, seriesShape: [3, 2]), [6])
        XCTAssertEqual(ModelSpec(layers: [probe, dense]).inputShape(featureCount: 6, imageShape: nil, seriesShape: [3, 2]), [3, 2])
        XCTAssertEqual(ModelSpec(layers: [probe, dense]).inputShape(featureCount: 6, imageShape: nil, seriesShape: nil), [6],
                       "without a series shape the rows stay flat, and the layer's own shape check reports it")
        XCTAssertFalse(DenseKind(units: 2, activation: .softmax).needsSeries, "no existing layer reads series")

        var data = try CSV.parse(bytes: Array("y,a,b,c,d\n0,1,2,3,4\n1,5,6,7,8\n".utf8), source: "t.csv").dataset(target: "y", task: .classification)
        try data.setSeriesShape([2, 2])
        XCTAssertEqual(ModelSpec(layers: [probe, dense]).inputShape(of: data), [2, 2])
    }

    func testASavedModelRecordsTheSeriesShape() throws {
        var fitted = FittedPipeline(rawColumns: (0..<4).map { RawColumn(name: "t\($0)", isText: false) }, droppedColumns: [],
                                    targetName: "y", steps: [], featureNames: (0..<4).map { "t\($0)" }, scaler: nil,
                                    classNames: ["a", "b"], imageShape: nil)
        fitted.seriesShape = [2, 2]
        var record = PipelineRecord(fitted)
        XCTAssertEqual(record.fitted, fitted)
        XCTAssertEqual(record.fitted?.seriesShape, [2, 2])
        record.seriesShape = [3, 2]
        XCTAssertNil(record.fitted, "a shape that does not fit the features is refused")
        record.seriesShape = [4]
        XCTAssertNil(record.fitted)

        let folder = try makeTemporaryFolder("series-model")
        let path = try seriesCSV(values: 6)
        let model = folder + "/s.safetensors"
        let (text, outcomes) = runLines(["load \"\(path)\" target=label", "input 6x1", "dense 2 softmax", "train epochs=1",
                                         "save model \"\(model)\""])
        XCTAssertEqual(outcomes.last, .ok, text)
        let metadata = try Safetensors.decode(try Array(Data(contentsOf: URL(fileURLWithPath: model)))).metadata
        XCTAssertTrue(metadata["pipeline"]!.contains("\"series_shape\":[6,1]"), metadata["pipeline"]!)
        let (loaded, again) = runLines(["load model \"\(model)\"", "predict 1,2,3,4,5,6"])
        XCTAssertEqual(again, [.ok, .ok], loaded)
    }

    func testALayerThatNeedsSeriesSaysHowToDeclareThem() {
        let flat = LayerProblem.expectedSeries(layer: "lstm", received: [4])
        XCTAssertEqual(flat.message, "lstm needs series [steps, channels]; it gets 4 flat features")
        XCTAssertEqual(LayerProblemText.hint(flat),
                       "declare `input 4x1` (steps x channels) if each row is one series of 4 values, or `input STEPSxCHANNELS` for several channels")
        XCTAssertNotNil(LayerProblemText.hint(.expectedSeries(layer: "conv1d", received: [2, 2, 3])))
    }
}

/// A layer kind that reads series, standing in for lstm and conv1d here: it flattens.
private struct SeriesProbeKind: LayerKind {
    static let statement = FlattenKind.statement
    static let recordName = "series_probe"
    init() {}
    init(_ args: Arguments) {}
    init?(record: LayerRecord) { nil }
    var record: LayerRecord { LayerRecord(Self.recordName) { _ in } }
    var text: String { "series_probe" }
    func makeLayer() -> Layer { Flatten() }
    var kerasName: String { "flatten" }
    var needsSeries: Bool { true }
    func onnx(_ graph: inout ONNXGraph, _ input: inout ONNXLayerInput, _ layer: LayerContext) {}
    func kerasLines(_ layer: LayerContext) -> [String] { [] }
    func torchLines(_ layer: LayerContext) -> [String] { [] }
    func explanation(_ layer: LayerContext?) -> [String] { [] }
}
