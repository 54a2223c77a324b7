import Foundation
import XCTest
@testable import Script

/// `show state` after `load model` of a windowed model and a series that becomes its windows:
/// the line replays the windows, the kept scalers and the weights (the file's, or fresh ones
/// after `reset weights`), found by `WindowReplayPropertyTests`.
final class WindowStateTests: XCTestCase {
    /// A saved model forecasting `y` 2 steps ahead from 6 days of `a` and `y`, and its series.
    private func savedModel() throws -> (model: String, series: String) {
        let folder = try makeTemporaryFolder("window-state")
        let rows = (0..<80).map { t -> String in
            let a = (10 * sin(Double(t) / 4) * 1000).rounded() / 1000
            return "\(t),\(a),\(Double(3 * t) + a)"
        }
        let series = try writeFile("days.csv", "t,a,y\n" + rows.joined(separator: "\n") + "\n", in: folder)
        let model = folder + "/y.dlm"
        let (text, outcomes) = runLines(["load \"\(series)\"", "window 6 horizon=2 target=y", "split 0.8", "scale standard",
                                         "scale target minmax", "dense 8 relu", "dense 1", "optimizer adam",
                                         "train lr=0.01 epochs=5 verbose=0", "save model \"\(model)\""])
        XCTAssertEqual(Set(outcomes), [.ok], text)
        return (model, series)
    }

    /// Runs `lines`, then `show state`, `evaluate` and `predict`; then the state line in a fresh
    /// session and the same three. Returns the state line and both sessions' answers.
    private func replay(_ lines: [String]) -> (state: String, original: [String], replayed: [String]) {
        let original = ReplaySession()
        for line in lines { original.run(SessionStep(text: line)) }
        let state = original.stateLine()
        let answers = [original.evaluate(), original.predict(), "\(original.weights ?? [])"]
        let replay = ReplaySession()
        XCTAssertEqual(replay.interpreter.runInteractive(state), .ok, replay.output.text)
        return (state, answers, [replay.evaluate(), replay.predict(), "\(replay.weights ?? [])"])
    }

    func testResetWeightsAfterTheSeriesCarriedTheLoadedModelIsReplayed() throws {
        let (model, series) = try savedModel()
        for after in [["reset weights"], ["reset weights", "train lr=0.01 epochs=2 verbose=0"]] {
            let (state, original, replayed) = replay(["load model \"\(model)\"", "load \"\(series)\""] + after)
            XCTAssertTrue(state.hasPrefix("load model \"\(model)\"; load \"\(series)\"; reset weights"), state)
            XCTAssertEqual(original, replayed, state)
        }
        // Without the reset the file's weights carry on, and the line has no reset.
        let (state, original, replayed) = replay(["load model \"\(model)\"", "load \"\(series)\"", "train lr=0.01 epochs=2 verbose=0"])
        XCTAssertEqual(state, "load model \"\(model)\"; load \"\(series)\"; train lr=0.01 epochs=2")
        XCTAssertEqual(original, replayed, state)
        XCTAssertTrue(original[1].hasPrefix("forecast y at row 81 (2 steps after the last row, from rows 74–79): "), original[1])
    }

    func testASeriesLoadedAfterNewLayersStillReplaysTheModelsWindows() throws {
        let (model, series) = try savedModel()
        let (state, original, replayed) = replay(["load model \"\(model)\"", "dense 1", "load \"\(series)\"", "train lr=0.01 epochs=2 verbose=0"])
        XCTAssertEqual(state, "load model \"\(model)\"; load \"\(series)\"; dense 1; train lr=0.01 epochs=2")
        XCTAssertEqual(original, replayed, state)
        XCTAssertTrue(original[0].contains("naive forecast (the last value of each window)"), original[0])
    }
}
