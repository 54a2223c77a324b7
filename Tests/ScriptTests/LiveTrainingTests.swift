import XCTest
import Script

/// `train … live` away from a terminal: no redrawing, the final picture once, and the
/// epoch lines as usual.
final class LiveTrainingTests: XCTestCase {
    func testTwoFeaturesEndOnTheFinalRegionsAndLoss() {
        let (text, outcomes) = runLines(["load spiral", "split 0.8", "dense 16 relu", "dense 2 softmax",
                                         "train lr=0.1 epochs=50 live"], width: 120)
        XCTAssertEqual(outcomes.last, .ok, text)
        XCTAssertEqual(text.components(separatedBy: "Decision regions, epoch 50/50").count - 1, 1, text)
        XCTAssertTrue(text.contains("Loss "), text)
        XCTAssertFalse(text.contains("\u{1B}["), "no cursor movement in a pipe")
        XCTAssertTrue(text.contains("Epoch 50/50"), "the epoch lines stay in a pipe:\n\(text)")
    }

    func testOtherDataShowLossAndAccuracy() {
        let (text, _) = runLines(["load iris", "split 0.8", "dense 8 relu", "dense 3 softmax", "train epochs=5 live"], width: 120)
        XCTAssertTrue(text.contains("Loss "), text)
        XCTAssertTrue(text.contains("Accuracy"), text)
        XCTAssertFalse(text.contains("Decision regions"), text)
    }
}
