import Foundation
import Engine
import XCTest
@testable import Script

/// `lstm`, `gru` and `rnn`: Keras's shapes and counts in `summary`, `explain` in the session's
/// numbers, saved and loaded, and the two bad inputs of issue 26 that are theirs.
final class RecurrentLayerTests: XCTestCase {
    /// 60 series of `steps` values x 1 channel, three classes by frequency.
    private func seriesCSV(steps: Int = 12, channels: Int = 1) throws -> String {
        let header = (["label"] + (0..<steps * channels).map { "v\($0)" }).joined(separator: ",")
        let rows = (0..<60).map { r -> String in
            let y = r % 3
            let values = (0..<steps * channels).map { i in String(format: "%.3f", sin(Double((y + 1) * (i / channels)) * 0.5 + Double(r) * 0.1 + Double(i % channels))) }
            return (["c\(y)"] + values).joined(separator: ",")
        }
        return try writeFile("series.csv", ([header] + rows).joined(separator: "\n") + "\n", in: makeTemporaryFolder("recurrent"))
    }

    /// Statement, input, Keras's output shape and parameter count (Keras 3's summary of the same layer).
    func testSummaryShowsKerasShapesAndCounts() throws {
        let path = try seriesCSV(steps: 100)
        let table: [(String, String, String)] = [
            ("lstm 64", "(None, 64)", "16,896"),
            ("lstm 64 return=sequences", "(None, 100, 64)", "16,896"),
            ("gru 64", "(None, 64)", "12,864"),
            ("rnn 64", "(None, 64)", "4,224"),
            ("rnn 8 return=sequences", "(None, 100, 8)", "80"),
        ]
        for (statement, shape, count) in table {
            let (text, outcomes) = runLines(["load \"\(path)\" target=label", "input 100x1", statement, "dense 3 softmax", "summary"])
            XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok, .ok], text)
            let row = text.split(separator: "\n").first { $0.contains("(") && $0.contains(shape) }
            XCTAssertNotNil(row, "\(statement): no row with \(shape) in\n\(text)")
            XCTAssertTrue(row?.hasSuffix(count) ?? false, "\(statement): \(row ?? "")")
        }
        // A dense layer at every step: Keras's Dense on 3-D input, (None, 100, 5) and 8 x 5 + 5 weights.
        assertOutput(["load \"\(path)\" target=label", "input 100x1", "gru 8 return=sequences", "dense 5 tanh", "lstm 4", "dense 3 softmax", "summary"],
                     ["gru (GRU)", "(None, 100, 8)", "dense (Dense)", "(None, 100, 5)", "45", "lstm (LSTM)", "(None, 4)", "dense_1 (Dense)"])
    }

    func testExplainCountsTheGatesInTheSessionsNumbers() throws {
        let path = try seriesCSV(steps: 100)
        assertOutput(["load \"\(path)\" target=label", "input 100x1", "explain on", "lstm 64 return=sequences", "gru 32 return=sequences", "rnn 16"], [
            "4 gates x (64 units x (1 input + 64 recurrent) + 64 biases) = 16,896 weights.",
            "hands on its state after every step: 100×64 per series",
            "3 gates x (32 units x (64 inputs + 32 recurrent) + 2 x 32 biases) = 9,408 weights",
            "16 units x (32 inputs + 16 recurrent) + 16 biases = 784 weights.",
            "hands on its state after the last one: 16 numbers per series",
        ])
    }

    /// `lstm` on flat features with no `input`: the error names what it needs and what it got, and
    /// the session goes on (the fix works right after it).
    func testLSTMOnFlatFeaturesSaysToDeclareTheInput() throws {
        assertOutput(["load iris", "lstm 8", "dense 3 softmax", "train epochs=1", "reset model", "input 4x1", "lstm 8", "dense 3 softmax", "train epochs=1"], [
            "<stdin>:2:1: error: lstm needs series [steps, channels]; it gets 4 flat features",
            "hint: declare `input 4x1` (steps x channels)",
            "trained 1 epoch on 150 rows",
        ], outcomes: [.ok, .ok, .ok, .runtimeError, .ok, .ok, .ok, .ok, .ok])
    }

    /// `return=sequences` into a dense softmax: one prediction per step, but one class per series.
    func testSequencesIntoADenseSoftmaxSaysToReturnTheLastStep() throws {
        let path = try seriesCSV()
        assertOutput(["load \"\(path)\" target=label", "input 12x1", "lstm 8 return=sequences", "dense 3 softmax", "train epochs=1",
                      "reset model", "lstm 8", "dense 3 softmax", "train epochs=1"], [
            "<stdin>:4:1: error: the output layer `dense 3 softmax` gives 12x3 per series, one row per step (`lstm 8 return=sequences`, line 3, hands on every step), but 'label' has one of 3 classes per series",
            "hint: hand on the last step only: `lstm 8` (return=last is the default), or `flatten` before the output layer",
            "trained 1 epoch on 60 rows",
        ], outcomes: [.ok, .ok, .ok, .ok, .runtimeError, .ok, .ok, .ok, .ok])
        // A recurrent layer after a flat one is the same shape error, at its own line.
        assertOutput(["load \"\(path)\" target=label", "input 12x1", "lstm 8", "gru 4", "dense 3 softmax", "train epochs=1"], [
            "<stdin>:4:1: error: gru needs series [steps, channels]; it gets 8 flat features",
            "hint: `lstm 8` (line 3) hands on its last state only; write `lstm 8 return=sequences` so every step reaches `gru 4`",
        ], outcomes: [.ok, .ok, .ok, .ok, .ok, .runtimeError])
    }

    func testTheStatementsCheckTheirArguments() {
        assertOutput(["lstm 0", "gru 8 return=all", "rnn"], ["<stdin>:1:6: error:", "<stdin>:2:14: error:", "<stdin>:3:1: error:"],
                     outcomes: [.badScript, .badScript, .badScript])
    }

    /// Saved with its weights and `return=`, loaded, it predicts what it predicted; `show state` replays the layers.
    func testSavedAndLoadedModelsPredictTheSame() throws {
        let path = try seriesCSV(steps: 6, channels: 2)
        let model = try makeTemporaryFolder("recurrent-model") + "/m.safetensors"
        let row = (0..<12).map { String(Double($0) / 10) }.joined(separator: ",")
        let (text, outcomes) = runLines(["load \"\(path)\" target=label", "input 6x2", "gru 5 return=sequences", "dense 4 tanh", "lstm 3 return=sequences",
                                         "rnn 2 return=sequences", "flatten", "dense 3 softmax", "train epochs=2", "show state",
                                         "save model \"\(model)\"", "predict \(row)"])
        XCTAssertEqual(Set(outcomes), [.ok], text)
        XCTAssertTrue(text.contains("gru 5 return=sequences; dense 4 tanh; lstm 3 return=sequences; rnn 2 return=sequences; flatten; dense 3 softmax") , text)
        let (loaded, again) = runLines(["load model \"\(model)\"", "summary", "predict \(row)"])
        XCTAssertEqual(again, [.ok, .ok, .ok], loaded)
        let probabilities = { (t: String) in t.split(separator: "\n").filter { $0.contains("c0") && $0.contains("0.") }.last.map(String.init) }
        XCTAssertNotNil(probabilities(text))
        XCTAssertEqual(probabilities(text), probabilities(loaded), "\(text)\n---\n\(loaded)")
        XCTAssertTrue(loaded.contains("simple_rnn (SimpleRNN)"), loaded)
    }
}
