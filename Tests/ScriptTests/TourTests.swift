import XCTest
import Script

/// `tour`: completed by typing what it asks, with variations; `tour 3` and `tour off`.
final class TourTests: XCTestCase {
    /// Every task's own suggestion is accepted: the tour can be finished as written.
    func testTheSuggestionsCompleteTheTour() {
        let typed = ["tour", "load iris", "split 0.8 stratify", "scale minmax", "describe", "outliers", "corr",
                     "dense 16 relu", "dense 3 softmax", "summary", "train lr=0.1 epochs=50", "evaluate",
                     "train epochs=2000 validation=0.2 patience=20", "evaluate"]
        let (text, outcomes) = runLines(typed)
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: typed.count), text)
        XCTAssertTrue(text.contains("tour complete"), text)
        XCTAssertFalse(text.contains("still waiting"), text)
        XCTAssertEqual(text.components(separatedBy: "tour step ").count - 1, 13, "one prompt per task:\n\(text)")
    }

    /// Variations count and are explained with their own numbers; other statements wait.
    func testVariationsAreAcceptedAndExplained() {
        assertOutput(["tour", "load iris", "split 0.7", "head", "scale standard"], [
            "  | The rows were shuffled, then cut: 105 to train on and 45 held back",
            "tour: still waiting for `scale minmax` (or `tour off`)",
            "  | x' = (x − mean) / std",
            "tour step 2 of 4, exploration (task 1 of 3)",
        ])
        // a softmax hidden layer is not what step 3 asks for: not applied, and the tour says why
        assertOutput(["tour 3", "dense 8 softmax"], ["tour: `dense 8 softmax` is not applied: a hidden layer",
                                                     "The task is still `dense 16 relu`"])
    }

    func testStartAtStepThreeAndLeave() {
        let (text, outcomes) = runLines(["tour 3", "dense 16 relu", "tour off", "dense 3 softmax"])
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok], text)
        XCTAssertTrue(text.contains("done for you: load iris\ndone for you: split 0.8 stratify\ndone for you: scale minmax\n"
                                    + "done for you: describe\ndone for you: outliers\ndone for you: corr\n"), text)
        XCTAssertTrue(text.contains("tour step 3 of 4, architecture (task 2 of 3)"), text)
        XCTAssertTrue(text.contains("tour: off. You are back in your own session, empty as you left it"), text)
        XCTAssertFalse(text.contains("task 3 of 3"), "no more tasks after `tour off`:\n\(text)")
    }
}
