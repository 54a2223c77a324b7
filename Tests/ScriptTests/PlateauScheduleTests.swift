import XCTest
@testable import Script

/// `schedule plateau`: Keras's ReduceLROnPlateau in the shell, its state across `train` calls,
/// interrupts and replays, its settings in saved files and its exports.
final class PlateauScheduleTests: XCTestCase {
    /// min_delta=10: no epoch after the first counts as better, so with patience=1 every epoch
    /// from the second drops the rate, whatever the losses (and so on any CPU).
    private let dropping = "schedule plateau patience=1 factor=0.5 minimum=0.01 min_delta=10"
    private let model = ["load iris", "split 0.8", "scale standard", "dense 8 relu", "dense 3 softmax"]

    func testTheStatementSaysWhatItDoesWithTheFCNsDefaults() {
        assertOutput(["schedule plateau"],
                     ["schedule: plateau: times 0.5 after 50 epochs without a lower loss (by more than 0.0001), down to 0.0001"],
                     outcomes: [.ok])
        assertOutput(["schedule plateau patience=5 factor=0.2 minimum=0 monitor=val_loss cooldown=2", "show"],
                     ["schedule: plateau: times 0.2 after 5 epochs without a lower val_loss (by more than 0.0001), down to 0, then 2 epochs of cooldown"],
                     outcomes: [.ok, .ok])
    }

    func testTrainPrintsEachDropAndHistoryShowsTheRates() {
        let (text, outcomes) = runLines(model + [dropping, "train lr=0.1 epochs=5", "history"])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        // Epoch 1 sets the best; 2 waits and drops the rate for 3, and so on down to the minimum.
        for fragment in ["Epoch 3/5", "lr 0.05", "lr 0.025", "lr 0.0125", "lr 0.01"] {
            XCTAssertTrue(text.contains(fragment), "«\(fragment)» in:\n\(text)")
        }
        let epochLines = text.split(separator: "\n").filter { $0.hasPrefix("Epoch ") }
        XCTAssertEqual(epochLines.count, 5, text)
        XCTAssertFalse(epochLines[0].contains("lr ") || epochLines[1].contains("lr "), "the rate is news only when it changes:\n\(text)")
    }

    /// Keras keeps the lowered rate in its optimizer: a second `fit` goes on from it. A new
    /// optimizer starts at the given rate again.
    func testASecondTrainGoesOnFromTheLoweredRate() {
        let (text, outcomes) = runLines(model + [dropping, "train lr=0.1 epochs=3", "train lr=0.1 epochs=1",
                                                 "optimizer adam", "train lr=0.1 epochs=1", "history"])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        let lines = text.split(separator: "\n")
        // Epochs 1 and 2 at 0.1, 3 at 0.05; the second train goes on at 0.025 (and says so).
        XCTAssertTrue(lines.contains { $0.hasPrefix("Epoch 3/3") && $0.contains("lr 0.05 ") }, text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("Epoch 4/4") && $0.contains("lr 0.025 ") }, text)
        // A new optimizer starts at the given rate again.
        XCTAssertTrue(lines.contains { $0.hasPrefix("Epoch 5/5") && $0.contains("lr 0.1 ") }, text)
        let rates = lines.drop { !$0.hasPrefix("epoch ") }.dropFirst(2).prefix(5).map { $0.split(separator: " ", omittingEmptySubsequences: true)[3] }
        XCTAssertEqual(rates, ["0.1", "0.1", "0.05", "0.025", "0.1"], text)
    }

    func testBadValuesAreRefusedByNameAndTheSessionGoesOn() {
        let cases: [(String, String)] = [
            ("schedule plateau factor=1", "factor= must be below 1, but got 1"),
            ("schedule plateau factor=0", "factor"),
            ("schedule plateau patience=0", "patience"),
            ("schedule plateau minimum=-1", "minimum"),
            ("schedule plateau cooldown=-2", "cooldown"),
            ("schedule plateau min_delta=-0.1", "min_delta"),
            ("schedule plateau monitor=val_accuracy", "val_accuracy"),
            ("schedule step patience=5", "'patience=' applies to schedule plateau only"),
            ("schedule exponential factor=0.5", "'factor=' applies to schedule step or schedule plateau only"),
            ("schedule constant minimum=0.1", "'minimum=' applies to schedule cosine or schedule plateau only"),
        ]
        for (line, expected) in cases {
            let (text, outcomes) = runLines([line, "schedule plateau patience=3", "show"])
            XCTAssertNotEqual(outcomes[0], .ok, line)
            XCTAssertTrue(text.contains(expected), "«\(expected)» for `\(line)` in:\n\(text)")
            XCTAssertEqual(Array(outcomes.dropFirst()), [.ok, .ok], text)
            XCTAssertTrue(text.contains("plateau: times 0.5 after 3 epochs"), text)
        }
    }

    func testWatchingValLossNeedsValidationRows() {
        let (text, outcomes) = runLines(model + ["schedule plateau monitor=val_loss patience=1", "train lr=0.1 epochs=2",
                                                 "train lr=0.1 epochs=2 validation=0.2"])
        XCTAssertEqual(outcomes.suffix(2), [.runtimeError, .ok], text)
        XCTAssertTrue(text.contains("the plateau schedule watches val_loss, but this training holds out no validation rows"), text)
        XCTAssertTrue(text.contains("add `validation=0.2`"), text)
        XCTAssertTrue(text.contains("trained 2 epochs"), text)
    }

    /// Ctrl-C in epoch 6 undoes it; the line asks for the 5 that ran, then the second train,
    /// which goes on from the drops of those 5: the replay gives the same weights, bit for bit.
    func testShowStateReplaysDropsInterruptsAndASecondTrain() {
        let session = ReplaySession()
        for line in model + ["optimizer adam", dropping] { session.run(SessionStep(text: line)) }
        // 120 training rows in batches of 32: 4 polls an epoch, so poll 22 falls in epoch 6.
        session.run(SessionStep(text: "train lr=0.05 epochs=100 verbose=0", interruptAfter: 22))
        session.run(SessionStep(text: "train lr=0.05 epochs=3 patience=1 monitor=loss verbose=0"))
        XCTAssertTrue(session.output.text.contains("interrupted at epoch 6 of 100"), session.output.text)
        let state = session.stateLine()
        XCTAssertEqual(state, "load iris; split 0.8; scale standard; dense 8 relu; dense 3 softmax; optimizer adam; "
                            + "schedule plateau patience=1 factor=0.5 minimum=0.01 min_delta=10; "
                            + "train lr=0.05 epochs=5; train lr=0.05 epochs=3 patience=1 monitor=loss")
        let replay = ReplaySession()
        XCTAssertEqual(replay.interpreter.runInteractive(state), .ok, replay.output.text)
        XCTAssertNotNil(session.weights)
        XCTAssertEqual(replay.weights, session.weights)
        XCTAssertEqual(replay.evaluate(), session.evaluate())
    }

    func testSavedScriptsAndModelsKeepTheSchedule() throws {
        let folder = try makeTemporaryFolder("plateau")
        let settings = "schedule plateau patience=7 factor=0.25 minimum=0.0003 monitor=val_loss min_delta=0.002 cooldown=3"
        let (text, outcomes) = runLines(model + [settings, "train lr=0.1 epochs=2 validation=0.2",
                                                 "save script \"\(folder)/s.dl\"", "save model \"\(folder)/m.dlm\""])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        let script = try String(contentsOfFile: folder + "/s.dl", encoding: .utf8)
        XCTAssertTrue(script.contains(settings + "\n"), script)
        let (loaded, loadOutcomes) = runLines(["load model \"\(folder)/m.dlm\"", "show"])
        XCTAssertEqual(loadOutcomes, [.ok, .ok], loaded)
        XCTAssertTrue(loaded.contains("plateau: times 0.25 after 7 epochs without a lower val_loss (by more than 0.002), down to 0.0003, then 3 epochs of cooldown"),
                      loaded)
    }

    /// Keras gets its ReduceLROnPlateau callback instead of a LearningRateScheduler; PyTorch its
    /// ReduceLROnPlateau, one less in patience and cooldown, with Keras's absolute threshold,
    /// stepped with the epoch's loss. Tests/Interop/check_plateau.py runs both frameworks on these settings.
    func testExportsUseEachFrameworksReduceLROnPlateau() throws {
        let folder = try makeTemporaryFolder("plateau-export")
        let (text, outcomes) = runLines(model + ["schedule plateau patience=50 factor=0.5 minimum=0.0001 cooldown=2",
                                                 "train lr=0.1 epochs=2", "export keras \"\(folder)/k.py\"", "export torch \"\(folder)/t.py\""])
        XCTAssertEqual(outcomes, Array(repeating: .ok, count: outcomes.count), text)
        let keras = try String(contentsOfFile: folder + "/k.py", encoding: .utf8)
        XCTAssertTrue(keras.contains("callbacks = [keras.callbacks.ReduceLROnPlateau(monitor=\"loss\", factor=0.5, patience=50, min_lr=0.0001, min_delta=0.0001, cooldown=2)]"),
                      keras)
        XCTAssertFalse(keras.contains("LearningRateScheduler"), keras)
        let torch = try String(contentsOfFile: folder + "/t.py", encoding: .utf8)
        XCTAssertTrue(torch.contains("schedule = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode=\"min\", factor=0.5, patience=49, threshold=0.0001, threshold_mode=\"abs\", cooldown=1, min_lr=0.0001)"),
                      torch)
        XCTAssertTrue(torch.contains("        schedule.step(watched)"), torch)
        XCTAssertFalse(torch.contains("        schedule.step()\n"), torch)

        let (validated, more) = runLines(model + ["schedule plateau monitor=val_loss", "train lr=0.1 epochs=2 validation=0.2",
                                                  "export torch \"\(folder)/v.py\""])
        XCTAssertEqual(more, Array(repeating: .ok, count: more.count), validated)
        let watched = try String(contentsOfFile: folder + "/v.py", encoding: .utf8)
        XCTAssertTrue(watched.contains("        schedule.step(val_loss)"), watched)
    }
}
