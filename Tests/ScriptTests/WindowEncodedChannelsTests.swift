import Foundation
import XCTest
@testable import Script

/// Windows whose channels include ones that `encode` made (a text column one-hot encoded, a
/// date's parts): the model takes the column as loaded, as a table model does, in a file of
/// recent rows, after `load model`, and in the ONNX graph (which encodes it itself; ONNX
/// Runtime's agreement is checked by Tests/Interop/check_onnx.py).
final class WindowEncodedChannelsTests: XCTestCase {
    /// 90 days: `day` a date, `kind` a category with a gap, `a`, `y`; and its last 10 days.
    private func series() throws -> (all: String, recent: String) {
        let folder = try makeTemporaryFolder("window-encoded")
        let rows = (0..<90).map { t -> String in
            let kind = t % 13 == 7 ? "" : ["lo", "mid", "hi"][t % 3]
            return "2023-\(String(format: "%02d", 1 + t / 28))-\(String(format: "%02d", 1 + t % 28)),\(kind),\((10 * sin(Double(t) / 4) * 1000).rounded() / 1000),\(3 * t % 50 + (t % 3) * 5)"
        }
        return (try writeFile("shop.csv", "day,kind,a,y\n" + rows.joined(separator: "\n") + "\n", in: folder),
                try writeFile("recent.csv", "day,kind,a,y\n" + rows.suffix(10).joined(separator: "\n") + "\n", in: folder))
    }

    private let training = ["impute mode kind", "encode onehot kind", "encode date day", "window 6 horizon=2 target=y", "split 0.8",
                            "scale standard", "dense 8 relu", "dense 1", "optimizer adam", "train lr=0.01 epochs=5 verbose=0"]

    private func forecast(_ text: String, _ prefix: String) throws -> Double {
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix(prefix) }, text)
        return try XCTUnwrap(Double(line.split(separator: " ").last!), text)
    }

    func testRecentRowsGiveTheEncodedColumnAsLoaded() throws {
        let (all, recent) = try series()
        let model = try makeTemporaryFolder("window-encoded-model") + "/shop.dlm"
        let (trained, outcomes) = runLines(["load \"\(all)\""] + training + ["predict", "predict \"\(recent)\"", "save model \"\(model)\""])
        XCTAssertEqual(Set(outcomes), [.ok], trained)
        let expected = try forecast(trained, "forecast y at row 91 (2 steps after the last row, from rows 84–89): ")
        XCTAssertEqual(try forecast(trained, "forecast y 2 steps after the last row of 'recent.csv' (from its last 6 rows, lines 6–11): "), expected, accuracy: 1e-4)

        let (loaded, loadedOutcomes) = runLines(["load model \"\(model)\"", "predict \"\(recent)\"", "predict", "load \"\(all)\"", "predict"])
        XCTAssertEqual(loadedOutcomes, [.ok, .ok, .runtimeError, .ok, .ok], loaded)
        XCTAssertTrue(loaded.contains("`predict \"recent.csv\"` reads the last 6 rows of a CSV with the columns day, kind, a, y as loaded"), loaded)
        XCTAssertTrue(loaded.contains("hint: give the recent rows: `predict \"recent.csv\"` (a CSV with day, kind, a, y, at least 6 rows)"), loaded)
        XCTAssertTrue(loaded.contains("the loaded model's preprocessing applies: impute kind = "), loaded)
        XCTAssertEqual(try forecast(loaded, "forecast y 2 steps after the last row of 'recent.csv' (from its last 6 rows, lines 6–11): "), expected, accuracy: 1e-4)
        XCTAssertEqual(try forecast(loaded, "forecast y at row 91 (2 steps after the last row, from rows 84–89): "), expected, accuracy: 1e-4)
    }

    func testTheONNXGraphTakesTheEncodedColumnsAsLoaded() throws {
        let (all, _) = try series()
        let folder = try makeTemporaryFolder("window-encoded-onnx")
        let (text, outcomes) = runLines(["load \"\(all)\""] + training + ["export onnx \"\(folder)/shop.onnx\""])
        XCTAssertEqual(Set(outcomes), [.ok], text)
        XCTAssertTrue(text.contains("input window [N, 6, 2] (one window a row, oldest step first, channels a, y as loaded; "
                                    + "day [N, 6] (seconds since 1970-01-01, double), kind [N, 6] (text), the encoding and scaling are inside the graph)"), text)
        let bytes = try String(decoding: Data(contentsOf: URL(fileURLWithPath: folder + "/shop.onnx")), as: UTF8.self)
        XCTAssertTrue(bytes.contains("OneHotEncoder"), "the graph encodes kind itself")
        XCTAssertTrue(bytes.contains("model_channels"), "the metadata names the model's channels")
    }

    /// Without an encoded column the graph keeps its one input of every channel.
    func testPlainWindowsKeepOneInput() throws {
        let (all, _) = try series()
        let folder = try makeTemporaryFolder("window-plain-onnx")
        let (text, outcomes) = runLines(["load \"\(all)\"", "drop kind", "window 6 target=y", "dense 1", "train lr=0.01 epochs=1 verbose=0",
                                         "export onnx \"\(folder)/plain.onnx\""])
        XCTAssertEqual(Set(outcomes), [.ok], text)
        XCTAssertTrue(text.contains("input window [N, 6, 2] (one window a row, oldest step first, channels a, y as loaded; the scaling is inside the graph)"), text)
    }
}
