import XCTest
import Script

/// `explain on` after a `train` that early stopping ended: the stop, the restored epoch and
/// why, with the run's own numbers (checked against the lines `train` prints itself).
final class ExplainEarlyStopTests: XCTestCase {
    private let iris = ["explain on", "load iris", "split 0.8 stratify", "scale minmax", "dense 16 relu", "dense 3 softmax"]

    /// The numbers `train`'s own line gives: "stopped early at epoch S of T; restored weights from epoch B (val_loss V)".
    private func stopLine(in text: String) throws -> (stopped: Int, planned: Int, best: Int, value: String) {
        let line = try XCTUnwrap(text.components(separatedBy: "\n").first { $0.hasPrefix("stopped early at epoch ") }, text)
        let numbers = line.split(whereSeparator: { !$0.isNumber && $0 != "." }).map(String.init).filter { !$0.isEmpty && $0 != "." }
        return (Int(numbers[0])!, Int(numbers[1])!, Int(numbers[2])!, numbers[3])
    }

    func testAnEarlyStopTellsWhereItStoppedWhatItRestoredAndWhy() throws {
        let (text, outcomes) = runLines(iris + ["train lr=0.5 epochs=500 validation=0.2 patience=10"])
        XCTAssertEqual(outcomes.last, .ok, text)
        let stop = try stopLine(in: text)
        XCTAssertLessThan(stop.stopped, 500, text)
        XCTAssertEqual(stop.stopped - stop.best, 10, "patience=10: it stops 10 epochs after the best")
        XCTAssertTrue(text.contains("  | Early stopping ended training at epoch \(stop.stopped) of 500: val_loss (the loss on the 24 validation rows, which were never trained on) was best at epoch \(stop.best), \(stop.value), and the 10 epochs after it never improved on that by more than min_delta=0 (patience=10)."), text)
        XCTAssertTrue(text.contains("  | The weights of epoch \(stop.best) were restored (restore=best), so the model is the one with the best val_loss, \(stop.value), not the last epoch's ("), text)
        XCTAssertTrue(text.contains("whose weights the model holds)."), text)
        XCTAssertTrue(text.contains("× \(stop.stopped) epochs = \(3 * stop.stopped) steps"), "the steps of the epochs run, not planned:\n\(text)")
        let explanation = text.components(separatedBy: "\n").drop { !$0.hasPrefix("trained ") }.filter { $0.hasPrefix("  | ") }
        XCTAssertTrue((2...5).contains(explanation.count), "\(explanation)")
    }

    /// Numbered as the session numbers epochs: a second `train` goes on from the first, and
    /// with restore=last and min_delta the lines say so.
    func testASecondTrainWithRestoreLastAndMinDelta() throws {
        let (text, outcomes) = runLines(iris + ["train lr=0.3 epochs=50 verbose=0", "explain on",
                                                "train lr=0.3 epochs=2000 validation=0.2 patience=5 min_delta=0.001 restore=last"])
        XCTAssertEqual(outcomes.last, .ok, text)
        let line = try XCTUnwrap(text.components(separatedBy: "\n").first { $0.hasPrefix("stopped early at epoch ") }, text)
        XCTAssertTrue(line.contains("of 2050; kept the last weights (best was epoch "), line)
        let stopped = Int(line.dropFirst("stopped early at epoch ".count).prefix { $0.isNumber })!
        XCTAssertGreaterThan(stopped, 50)
        XCTAssertTrue(text.contains("  | Early stopping ended training at epoch \(stopped) of 2050: val_loss"), text)
        XCTAssertTrue(text.contains("by more than min_delta=0.001 (patience=5)."), text)
        XCTAssertTrue(text.contains("  | restore=last kept the last weights, those of epoch \(stopped) (val_loss "), text)
    }

    /// Early stopping that never fires says so; without patience= nothing is said about it.
    func testNoStopNoStopLines() {
        let (text, _) = runLines(iris + ["train lr=0.1 epochs=20 validation=0.2 patience=100"])
        XCTAssertTrue(text.contains("  | Early stopping (patience=100, min_delta=0) watched val_loss"), text)
        XCTAssertTrue(text.contains("never stopped training: it ran all 20 epochs"), text)
        let (plain, _) = runLines(iris + ["train lr=0.1 epochs=20 validation=0.2"])
        XCTAssertFalse(plain.contains("Early stopping"), plain)
        XCTAssertTrue(plain.contains("  | The 24 validation rows were never trained on"), plain)
    }
}
