import Foundation
import XCTest
@testable import Script

/// Models trained on `window` data: `save model` keeps the windowing, and after `load model`
/// `predict` forecasts from a file of recent rows or one window's values, as the session that
/// trained the model did; bad recent data is refused with the session going on.
final class WindowModelTests: XCTestCase {
    private func file(_ name: String, _ text: String) throws -> String {
        try writeFile(name, text, in: makeTemporaryFolder("window-model"))
    }

    /// 80 days of two channels: `a` a wave, `y` a trend plus a; `day` a date column the windows leave out.
    private func series(rows: Int = 80) throws -> (path: String, rows: [(a: Double, y: Double)]) {
        var values: [(a: Double, y: Double)] = []
        var lines = ["day,a,y"]
        for t in 0..<rows {
            let a: Double = (10 * sin(Double(t) / 4) * 1000).rounded() / 1000
            let y: Double = Double(3 * t) + a
            values.append((a, y))
            lines.append("2024-\(String(format: "%02d", 1 + t / 28))-\(String(format: "%02d", 1 + t % 28)),\(a),\(y)")
        }
        return (try file("days.csv", lines.joined(separator: "\n") + "\n"), values)
    }

    private let training = ["window 6 horizon=2 target=y", "split 0.8", "scale standard", "scale target minmax",
                            "dense 8 relu", "dense 1", "optimizer adam", "train lr=0.01 epochs=30 verbose=0"]

    private func forecast(in text: String, prefix: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.split(separator: " ").last!) }
    }

    func testALoadedWindowModelForecastsWhatTheTrainingSessionForecast() throws {
        let (path, rows) = try series()
        let folder = try makeTemporaryFolder("window-model-saved")
        let model = folder + "/w.dlm", out = folder + "/out.csv"
        let (trained, trainedOutcomes) = runLines(["load \"\(path)\""] + training + ["predict", "save model \"\(model)\""])
        XCTAssertEqual(trainedOutcomes, Array(repeating: .ok, count: 11), trained)
        let expected = try XCTUnwrap(forecast(in: trained, prefix: "forecast y at row 81 (2 steps after the last row, from rows 74–79): "), trained)

        let window = rows.suffix(6).flatMap { ["\($0.a)", "\($0.y)"] }.joined(separator: ",")
        let (text, outcomes) = runLines(["load model \"\(model)\"", "predict \"\(path)\"", "predict \(window)", "predict \"\(path)\" to \"\(out)\""])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok], text)
        XCTAssertTrue(text.contains("it forecasts 'y' 2 steps ahead from windows of 6 steps x 2 channels (a, y): `predict \"recent.csv\"` reads the last 6 rows"), text)
        let fromFile = try XCTUnwrap(forecast(in: text, prefix: "forecast y 2 steps after the last row of 'days.csv' (from its last 6 rows, lines 76–81): "), text)
        let fromValues = try XCTUnwrap(forecast(in: text, prefix: "forecast y 2 steps after the last of the 6 steps given: "), text)
        XCTAssertEqual(fromFile, expected, accuracy: 1e-4 * max(1, abs(expected)), text)
        XCTAssertEqual(fromValues, expected, accuracy: 1e-4 * max(1, abs(expected)), text)

        // `to`: every window's forecast on the row it ends at; the first 5 rows end no window.
        let written = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(written.first, "day,a,y,forecast_y")
        XCTAssertEqual(written.count, 81)
        XCTAssertTrue(written[5].hasSuffix(","), "row 4 ends no window: \(written[5])")
        XCTAssertEqual(try XCTUnwrap(Double(written.last!.split(separator: ",").last!)), expected, accuracy: 1e-4 * max(1, abs(expected)))

        // The file keeps the windowing in format version 4, as JSON other tools can read.
        let bytes = try String(decoding: Data(contentsOf: URL(fileURLWithPath: model)), as: UTF8.self)
        XCTAssertTrue(bytes.contains("\"format_version\":\"4\""), "format version 4")
        XCTAssertTrue(bytes.contains(#"\"window\":{\"channels\":[\"a\",\"y\"],\"horizon\":2,\"steps\":6,\"target\":\"y\"}"#), "the window is in the pipeline's JSON")
    }

    func testTheTrainingSessionPredictsARecentFileAsTheLoadedModelDoes() throws {
        let (path, _) = try series()
        let recent = try file("recent.csv", "a,y,day\n" + (0..<8).map { "\(Double($0) / 2),\(200 + 3 * $0),x" }.joined(separator: "\n") + "\n")
        let folder = try makeTemporaryFolder("window-model-recent")
        let (trained, outcomes) = runLines(["load \"\(path)\""] + training + ["predict \"\(recent)\"", "save model \"\(folder)/w.dlm\""])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: 11), trained)
        let (loaded, loadedOutcomes) = runLines(["load model \"\(folder)/w.dlm\"", "predict \"\(recent)\""])
        XCTAssertEqual(loadedOutcomes, [.ok, .ok], loaded)
        let prefix = "forecast y 2 steps after the last row of 'recent.csv' (from its last 6 rows, lines 4–9): "
        let before = try XCTUnwrap(forecast(in: trained, prefix: prefix), trained)
        let after = try XCTUnwrap(forecast(in: loaded, prefix: prefix), loaded)
        XCTAssertEqual(before, after, accuracy: 1e-4 * max(1, abs(before)))
    }

    func testTheSeriesLoadedAfterAWindowModelBecomesItsWindows() throws {
        let (path, _) = try series()
        let folder = try makeTemporaryFolder("window-model-adopt")
        let (trained, _) = runLines(["load \"\(path)\""] + training + ["predict", "save model \"\(folder)/w.dlm\""])
        let prefix = "forecast y at row 81 (2 steps after the last row, from rows 74–79): "
        let expected = try XCTUnwrap(forecast(in: trained, prefix: prefix), trained)
        let (text, outcomes) = runLines(["load model \"\(folder)/w.dlm\"", "load \"\(path)\"", "evaluate", "predict"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok], text)
        XCTAssertTrue(text.contains("the loaded model's preprocessing applies: window 6 horizon=2 target=y; scale standard (as fitted for the model)"), text)
        XCTAssertTrue(text.contains("evaluate on all 73 rows") && text.contains("naive forecast (the last value of each window)"), text)
        XCTAssertEqual(try XCTUnwrap(forecast(in: text, prefix: prefix), text), expected, accuracy: 1e-4 * max(1, abs(expected)))
    }

    func testTheExportsTakeWindowsAndTheScriptsSplitByTimeAtDlsRow() throws {
        let (path, _) = try series()
        let folder = try makeTemporaryFolder("window-model-export")
        let (text, outcomes) = runLines(["load \"\(path)\""] + training + ["export onnx \"\(folder)/w.onnx\"", "show torch", "show keras"])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: 12), text)
        XCTAssertTrue(text.contains("exported \(folder)/w.onnx: input window [N, 6, 2] (one window a row, oldest step first, channels a, y as loaded; the scaling is inside the graph), output value ('y' 2 steps after each window's last step)"), text)
        // 80 rows cut at row 64: test windows start there; training windows' targets lie before it.
        for line in ["WINDOW = 6  #", "HORIZON = 2  #", "CHANNELS = [\"a\", \"y\"]  #", "SPLIT_ROW = 64  #",
                     "        train, test = first + WINDOW - 1 + HORIZON < SPLIT_ROW, first >= SPLIT_ROW",
                     "the windows (6 steps, horizon 2) are cut by time at the same row as in dl, never shuffled."] {
            XCTAssertEqual(text.components(separatedBy: line).count - 1, 2, "«\(line)» in both scripts:\n\(text)")
        }
        XCTAssertFalse(text.contains("train_test_split(frame"), "windows are never shuffled into a split:\n\(text)")
    }

    func testTheScriptsOfATestFileSessionReadTheTestFile() throws {
        let train = try file("train.csv", "a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n2,2,x\n4,4,y\n")
        let test = try file("test.csv", "label,b,a\nx,1,2\ny,3,4\n")
        let (text, outcomes) = runLines(["load \"\(train)\" test=\"\(test)\" target=label", "dense 2 softmax", "train epochs=2", "show torch", "show keras"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok, .ok], text)
        for line in ["TEST_DATA = \"\(test)\"  # load … test=: the test split",
                     "    frame, test_frame = pd.read_csv(DATA, na_values=[\"NA\"]), pd.read_csv(TEST_DATA, na_values=[\"NA\"])",
                     "    x_train, x_test = frame, test_frame[frame.columns]"] {
            XCTAssertEqual(text.components(separatedBy: line).count - 1, 2, "«\(line)» in both scripts:\n\(text)")
        }
        XCTAssertFalse(text.contains("train_test_split(frame"), "the test file is the split:\n\(text)")
    }

    func testBadRecentDataIsRefusedAndTheSessionGoesOn() throws {
        let (path, _) = try series()
        let folder = try makeTemporaryFolder("window-model-bad")
        _ = runLines(["load \"\(path)\""] + training + ["save model \"\(folder)/w.dlm\""])
        let noY = try file("no_y.csv", "day,a\nd,1\nd,2\nd,3\nd,4\nd,5\nd,6\n")
        let short = try file("short.csv", "a,y\n1,2\n3,4\n5,6\n")
        let text = try file("text.csv", "a,y\n1,2\n3,4\n5,six\n7,8\n9,10\n11,12\n")
        let gap = try file("gap.csv", "a,y\n1,2\n3,4\n5,6\n7,NA\n9,10\n11,12\n13,14\n")
        assertOutput(["load model \"\(folder)/w.dlm\"", "predict \"\(noY)\"", "predict \"\(short)\"", "predict \"\(text)\"", "predict \"\(gap)\"",
                      "predict 1,2,3", "predict 1,2,3,4,5,6,7,8,9,10,11,x", "predict", "predict 1,2,3,4,5,6,7,8,9,10,11,12"], [
            "<stdin>:2:9: error: 'no_y.csv' lacks column y",
            "hint: the model takes a, y (day may be there too, and are passed through)",
            "<stdin>:3:9: error: 'short.csv' has 3 rows but the model forecasts from windows of 6 rows",
            "hint: give at least the last 6 rows of the series (a, y)",
            "<stdin>:4:9: error: line 4 of 'text.csv' has 'six' in numeric column 'y'",
            "<stdin>:5:9: error: the last 6 rows of 'gap.csv' (lines 3–8) hold a missing value that nothing fills: there is no full window to forecast from",
            "<stdin>:6:9: error: predict expects one window of 6 steps x 2 channels (a, y): 12 values (oldest step first, a, y at each step) but got 3",
            "<stdin>:7:33: error: value 12 ('y' at step 6) is 'x', but a window holds numbers",
            "<stdin>:8:1: error: predict alone forecasts from the session's series, but the loaded model brought none",
            "forecast y 2 steps after the last of the 6 steps given: ",
        ], outcomes: [.ok, .runtimeError, .runtimeError, .runtimeError, .runtimeError, .runtimeError, .runtimeError, .runtimeError, .ok])
    }
}
