import Foundation
import XCTest
@testable import Script

/// `save model` keeps how many times a plateau schedule lowered the rate, so a `train` after
/// `load model` goes on at the lowered rate, as a second `train` in the saving session does (and
/// as Keras's saved optimizer keeps its rate). Older files, without the count, load as before.
final class PlateauSavedStateTests: XCTestCase {
    /// Every epoch from the second halves the rate, down to 0.01 (see PlateauScheduleTests).
    private let dropping = "schedule plateau patience=1 factor=0.5 minimum=0.01 min_delta=10"
    private let model = ["load iris", "split 0.8", "scale standard", "dense 8 relu", "dense 3 softmax"]

    private func rates(_ text: String) -> [String] {
        // The `history` table: a header, a rule, then one row per epoch (epoch, loss, accuracy, lr, time).
        let rows = text.split(separator: "\n").drop { !$0.hasPrefix("epoch ") }.dropFirst(2)
        return rows.prefix { $0.trimmingCharacters(in: .whitespaces).first?.isNumber == true }
            .map { String($0.split(separator: " ", omittingEmptySubsequences: true)[3]) }
    }

    func testATrainAfterLoadModelGoesOnAtTheLoweredRate() throws {
        let folder = try makeTemporaryFolder("plateau-saved")
        let path = folder + "/m.dlm"
        let (saved, outcomes) = runLines(model + [dropping, "train lr=0.1 epochs=3", "save model \"\(path)\"", "train lr=0.1 epochs=1", "history"])
        XCTAssertEqual(Set(outcomes), [.ok], saved)
        XCTAssertEqual(rates(saved), ["0.1", "0.1", "0.05", "0.025"], saved)
        let bytes = try String(decoding: Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        XCTAssertTrue(bytes.contains("\"learning_rate_reductions\":\"2\""), "the count is in the metadata")
        XCTAssertTrue(bytes.contains("\"format_version\":\"1\""), "no new format version: a reader that ignores the count predicts the same")

        let (loaded, loadedOutcomes) = runLines(["load model \"\(path)\"", "load iris", "train lr=0.1 epochs=1", "history"])
        XCTAssertEqual(Set(loadedOutcomes), [.ok], loaded)
        XCTAssertTrue(loaded.contains("its plateau schedule lowered the rate 2 times: a `train` goes on lowered, as in the session that saved it "
                                      + "(at the lr given × 0.5^2, at least 0.01)"), loaded)
        XCTAssertEqual(rates(loaded), ["0.1", "0.1", "0.05", "0.025"], loaded)
        XCTAssertTrue(loaded.split(separator: "\n").contains { $0.hasPrefix("Epoch 4/4") && $0.contains("lr 0.025 ") }, loaded)

        // Saved again without training, and after training on: the count carries (2; then 3, as each train's
        // first epoch only sets its best, as Keras's on_train_begin resets it, and its second drops again).
        let again = folder + "/again.dlm", further = folder + "/further.dlm"
        let (resaved, resavedOutcomes) = runLines(["load model \"\(path)\"", "save model \"\(again)\"", "load iris",
                                                   "train lr=0.1 epochs=2", "save model \"\(further)\""])
        XCTAssertEqual(Set(resavedOutcomes), [.ok], resaved)
        XCTAssertTrue(try String(decoding: Data(contentsOf: URL(fileURLWithPath: again)), as: UTF8.self).contains("\"learning_rate_reductions\":\"2\""))
        XCTAssertTrue(try String(decoding: Data(contentsOf: URL(fileURLWithPath: further)), as: UTF8.self).contains("\"learning_rate_reductions\":\"3\""))
    }

    /// A hand-edited count is refused by name, and the session goes on.
    func testABadCountIsRefusedAndTheSessionGoesOn() throws {
        let folder = try makeTemporaryFolder("plateau-bad")
        _ = runLines(model + [dropping, "train lr=0.1 epochs=3", "save model \"\(folder)/m.dlm\""])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/m.dlm"))
        let good = Data("\"learning_rate_reductions\":\"2\"".utf8), bad = Data("\"learning_rate_reductions\":\"-\"".utf8)
        let range = try XCTUnwrap(bytes.range(of: good))
        bytes.replaceSubrange(range, with: bad) // the same length, so the header's size still holds
        try bytes.write(to: URL(fileURLWithPath: folder + "/bad.dlm"))
        assertOutput(["load model \"\(folder)/bad.dlm\"", "load iris", "describe"], [
            "error: cannot load a model from '\(folder)/bad.dlm': its learning_rate_reductions is '-', not a count from 0 to 1000000",
            "hint: save the model again",
            "loaded iris.csv: 150 rows",
        ], outcomes: [.runtimeError, .ok, .ok])
    }

    /// A new optimizer starts at the given rate, after `load model` as within a session.
    func testANewOptimizerAfterLoadModelStartsAtTheGivenRate() throws {
        let path = try makeTemporaryFolder("plateau-saved-optimizer") + "/m.dlm"
        _ = runLines(model + [dropping, "train lr=0.1 epochs=3", "save model \"\(path)\""])
        let (text, outcomes) = runLines(["load model \"\(path)\"", "load iris", "optimizer adam", "train lr=0.1 epochs=1", "history"])
        XCTAssertEqual(Set(outcomes), [.ok], text)
        XCTAssertEqual(rates(text).last, "0.1", text)
    }

    /// Without plateau drops the file has no count and trains on at the given rate, as before.
    func testAModelWithoutDropsHasNoCount() throws {
        let path = try makeTemporaryFolder("no-drops") + "/m.dlm"
        _ = runLines(model + ["train lr=0.1 epochs=2", "save model \"\(path)\""])
        let bytes = try String(decoding: Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        XCTAssertFalse(bytes.contains("learning_rate_reductions"))
        let (text, outcomes) = runLines(["load model \"\(path)\"", "load iris", "train lr=0.1 epochs=1"])
        XCTAssertEqual(Set(outcomes), [.ok], text)
        XCTAssertFalse(text.contains("plateau"), text)
    }
}
