import XCTest
import Engine
@testable import Script

/// `findlr`: the range test from fresh weights, its stopping rule, its suggestion, and `train lr=suggested`.
final class FindLRTests: XCTestCase {
    let iris = ["load iris", "split 0.8", "scale minmax", "dense 64 relu", "dense 64 relu", "dense 3 softmax"]

    func run(_ interpreter: Interpreter, _ lines: [String]) -> [RunOutcome] {
        lines.map { interpreter.runInteractive($0) }
    }

    /// The rate rises by a constant factor per batch from min=, the session's trained weights stay as
    /// they were, and the suggestion trains iris well in 20 epochs.
    func testRangeTestLeavesTheModelAndItsSuggestionTrains() throws {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        XCTAssertEqual(run(interpreter, iris + ["train lr=0.1 epochs=3 verbose=0"]), Array(repeating: .ok, count: 7), output.text)
        let before = interpreter.session.network!.weights()
        let history = interpreter.session.history.count
        XCTAssertEqual(run(interpreter, ["findlr"]), [.ok], output.text)
        XCTAssertEqual(interpreter.session.network!.weights(), before, "findlr works on a copy")
        XCTAssertEqual(interpreter.session.history.count, history)
        let test = try XCTUnwrap(interpreter.session.lastRangeTest)
        let rates = test.points.map(\.learningRate)
        XCTAssertEqual(rates[0], 1e-6, accuracy: 1e-12)
        for i in 1..<rates.count { XCTAssertEqual(rates[i] / rates[i - 1], pow(1e6, 1.0 / 100), accuracy: 1e-9) }
        XCTAssertTrue(test.suggested > 1e-4 && test.suggested < 1, "suggested \(test.suggested)")
        XCTAssertTrue(output.text.contains("suggested lr=\(Session.rate(test.suggested)) (the steepest descent of the smoothed loss)"), output.text)
        XCTAssertTrue(output.text.contains("Learning rate finder"), output.text)

        XCTAssertEqual(run(interpreter, ["reset weights", "train lr=suggested epochs=20 verbose=0", "evaluate"]), [.ok, .ok, .ok], output.text)
        XCTAssertTrue(output.text.contains("lr=suggested: \(Session.rate(test.suggested)) from the last findlr"), output.text)
        let found = try XCTUnwrap(output.text.range(of: #"accuracy [0-9.]+ \(\d+/30 correct\)"#, options: .regularExpression), output.text)
        let accuracy = try XCTUnwrap(Double(output.text[found].split(separator: " ")[1]))
        XCTAssertGreaterThanOrEqual(accuracy, 0.9, "the suggested rate trains iris in 20 epochs")
        // `show state` replays the number, not the word: a replay has no findlr to ask.
        XCTAssertTrue(interpreter.session.stateLine().contains("train lr=\(Session.rate(test.suggested)) epochs=20"), interpreter.session.stateLine())
    }

    /// A rate range that reaches far too high stops once the smoothed loss passes 4x its minimum.
    func testStopsWhenTheLossPassesFourTimesItsMinimum() throws {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        XCTAssertEqual(run(interpreter, iris + ["findlr min=1e-4 max=1000 steps=200"]), Array(repeating: .ok, count: 7), output.text)
        let test = try XCTUnwrap(interpreter.session.lastRangeTest)
        XCTAssertTrue(test.diverged, output.text)
        XCTAssertLessThan(test.points.count, 200)
        let last = try XCTUnwrap(test.points.last)
        XCTAssertGreaterThan(last.smoothedLoss, 4 * test.minimumLoss)
        XCTAssertTrue(test.points.dropLast().allSatisfy { $0.smoothedLoss <= 4 * test.minimumLoss })
        XCTAssertTrue(output.text.contains("stopped when the smoothed loss passed 4x its minimum"), output.text)
    }

    func testWithoutLayersSaysSoAndTheSessionGoesOn() {
        let (text, outcomes) = runLines(["load iris", "findlr", "dense 3 softmax", "findlr steps=20"])
        XCTAssertEqual(outcomes, [.ok, .runtimeError, .ok, .ok], text)
        XCTAssertTrue(text.contains("findlr tries learning rates on the model, but there are no layers yet"), text)
        XCTAssertTrue(text.contains("add layers first, e.g. `dense 64 relu` then `dense 3 softmax`"), text)
    }

    func testSuggestedBeforeAnyFindLRIsAnError() {
        let (text, outcomes) = runLines(iris + ["train lr=suggested", "train lr=0.1 epochs=1"])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: 6) + [.runtimeError, .ok], text)
        XCTAssertTrue(text.contains("lr=suggested takes the rate the last `findlr` suggested, but findlr has not run in this session"), text)
        XCTAssertTrue(text.contains("run `findlr` first, or give a rate"), text)
    }

    func testBadRangeAndUnknownWord() {
        let (text, outcomes) = runLines(iris + ["findlr min=0.1 max=0.01", "train lr=suggestd"])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: 6) + [.runtimeError, .badScript], text)
        XCTAssertTrue(text.contains("min=0.1 is not below max=0.01"), text)
        XCTAssertTrue(text.contains("did you mean 'suggested'"), text)
    }

    /// On a regression the per-batch losses are noisy: between neighbouring points the first
    /// batches' noise would win (5e-06 on diabetes); over 5 steps the suggestion is inside the descent.
    func testRegressionSuggestionIsInsideTheDescent() throws {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        XCTAssertEqual(run(interpreter, ["load diabetes", "split 0.8", "scale standard", "scale target standard", "dense 16 relu", "dense 1", "findlr"]),
                       Array(repeating: .ok, count: 7), output.text)
        let test = try XCTUnwrap(interpreter.session.lastRangeTest)
        XCTAssertTrue(test.suggested > 1e-3 && test.suggested < 0.1, "suggested \(test.suggested)")
    }

    /// fastai's suggestion functions on a made-up curve: steep at the steepest pair's left point,
    /// valley 1/2 of the way along the longest descent.
    func testSuggestionFunctionsAsFastai() {
        let losses: [Double] = [2, 2, 1.95, 1.9, 1.85, 1.0, 0.9, 0.85, 0.8, 3]
        let points = losses.enumerated().map { RangeTestPoint(learningRate: pow(10, Double($0.offset) - 6), loss: $0.element, smoothedLoss: $0.element) }
        XCTAssertEqual(RateSuggestion.steepest(points[...])?.learningRate ?? 0, 1e-2, accuracy: 1e-12)
        // Over 2 steps the steepest fall is 1.85 -> 0.9 (indices 4 to 6), whose middle is index 5.
        XCTAssertEqual(RateSuggestion.steepest(points[...], span: 2)?.learningRate ?? 0, 1e-1, accuracy: 1e-12)
        // Only the descent counts: a fall after the lowest point is not read.
        let late = points + [RangeTestPoint(learningRate: 1e4, loss: 5, smoothedLoss: 5), RangeTestPoint(learningRate: 1e5, loss: 4, smoothedLoss: 4)]
        XCTAssertEqual(RateSuggestion.steepest(late[...])?.learningRate ?? 0, 1e-2, accuracy: 1e-12)
        // The longest descent has 8 points and ends at index 8: start 0, 8/3 sections, index 2 + 1 = 3.
        XCTAssertEqual(RateSuggestion.valley(points[...])?.learningRate ?? 0, 1e-3, accuracy: 1e-12)
    }
}
