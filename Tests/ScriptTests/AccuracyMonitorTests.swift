import XCTest
import Script

/// `monitor=val_accuracy` on a regression target used to stop dl with a failed precondition in
/// the trainer (found by ReplayPropertyTests): now `train`, `sweep` and `crossval` refuse it
/// with an error that names what was asked and what the target holds, and the session goes on.
final class AccuracyMonitorTests: XCTestCase {
    func testValAccuracyOnARegressionIsAnErrorAndTheSessionGoesOn() {
        let setup = ["load diabetes", "split 0.8", "scale standard", "scale target standard", "dense 8 relu", "dense 1"]
        for statement in ["train epochs=3 validation=0.2 patience=2 monitor=val_accuracy",
                          "sweep lr=0.01,0.1 epochs=2 validation=0.2 monitor=val_accuracy",
                          "crossval 3 epochs=2 validation=0.2 patience=1 monitor=val_accuracy"] {
            let (text, outcomes) = runLines(setup + [statement, "train lr=0.01 epochs=2 verbose=0", "evaluate"])
            XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok, .ok, .ok, .runtimeError, .ok, .ok], text)
            XCTAssertTrue(text.contains("error: monitor=val_accuracy watches the accuracy of classes, but 'progression' holds numbers (regression)"), text)
            XCTAssertTrue(text.contains("watch the loss instead: `monitor=val_loss`"), text)
            XCTAssertTrue(text.contains("R² "), "the session trains and evaluates after it:\n\(text)")
        }
    }
}
