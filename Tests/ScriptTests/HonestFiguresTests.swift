import XCTest
import Plot
@testable import Script

/// Sweeps that go on past a diverged combination, the restored epoch's figures after early
/// stopping, and row removals that would leave too little to train on.
final class HonestFiguresTests: XCTestCase {
    let setup = ["load breast_cancer", "split 0.8 seed=42 stratify", "scale minmax", "dense 16 relu", "dense 2 softmax"]

    func run(_ interpreter: Interpreter, _ lines: [String]) -> [RunOutcome] {
        lines.map { interpreter.runInteractive($0) }
    }

    /// Diabetes' target runs to 346 without scaling: lr=0.1 makes the loss infinite at once.
    let regression = ["load diabetes", "split 0.8", "scale standard", "dense 8 relu", "dense 1"]

    func testADivergedCombinationIsARowAndTheSweepGoesOn() throws {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        XCTAssertEqual(run(interpreter, regression + ["sweep lr=0.1,0.001,0.0003 epochs=5"]), Array(repeating: .ok, count: 6), output.text)
        let sweep = try XCTUnwrap(interpreter.session.lastSweep)
        XCTAssertEqual(sweep.rows.count, 3)
        let diverged = try XCTUnwrap(sweep.rows.first { $0.plan.learningRate == 0.1 })
        let divergence = try XCTUnwrap(diverged.divergence)
        XCTAssertNil(diverged.network)
        XCTAssertEqual(sweep.ranked.last, 0, "diverged rows rank last")
        XCTAssertTrue(output.text.contains("[1/3] lr=0.1: diverged (\(divergence.description), batch \(divergence.batch))"), output.text)
        XCTAssertTrue(output.text.split(separator: "\n").contains { $0.split(separator: " ").starts(with: ["lr=0.1", "diverged", "(inf"]) }, output.text)
        XCTAssertTrue(output.text.contains("sweep results, best first by loss:"), output.text)
        XCTAssertTrue(output.text.contains("* best: lr=0.001"), output.text)
        XCTAssertTrue(output.text.contains("`use best` and `plot sweep` leave it out"), output.text)

        XCTAssertEqual(run(interpreter, ["use best", "plot sweep"]), [.ok, .ok], output.text)
        XCTAssertTrue(output.text.contains("using the best combination, lr=0.001"), output.text)
        guard case .line(let chart) = try interpreter.session.sweepCurves() else { return XCTFail("plot sweep draws lines") }
        XCTAssertEqual(chart.series.map(\.name), ["lr=0.001", "lr=0.0003"], "the diverged combination is left out of the chart")
    }

    func testWhenEveryCombinationDivergesTheSessionGoesOn() {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        XCTAssertEqual(run(interpreter, regression + ["sweep lr=1,0.5 epochs=3"]), Array(repeating: .ok, count: 6), output.text)
        XCTAssertTrue(output.text.contains("every combination diverged: lr=1 (inf at epoch 1), lr=0.5 (inf at epoch 1)"), output.text)
        XCTAssertEqual(run(interpreter, ["use best"]), [.runtimeError])
        XCTAssertTrue(output.text.contains("use best takes the best combination of a sweep, but every combination of the last sweep diverged"), output.text)
        XCTAssertEqual(run(interpreter, ["plot sweep"]), [.runtimeError])
        XCTAssertTrue(output.text.contains("every combination of the last sweep diverged"), output.text)
        XCTAssertEqual(run(interpreter, ["train lr=0.001 epochs=2"]), [.ok], output.text)
    }

    /// After early stopping restores an earlier epoch, `trained …`, `show` and `history`
    /// give that epoch's figures and name it.
    func testTheRestoredEpochsFiguresAreReported() throws {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        XCTAssertEqual(run(interpreter, setup + ["train lr=0.3 epochs=500 validation=0.2 patience=5", "show", "history"]),
                       Array(repeating: .ok, count: 8), output.text)
        let model = try XCTUnwrap(interpreter.session.model)
        let restored = try XCTUnwrap(model.restoredEpoch, output.text)
        let best = try XCTUnwrap(model.history.first { $0.epoch == restored })
        XCTAssertLessThan(restored, model.history.count)
        XCTAssertNotEqual(best.loss, model.history.last!.loss)
        let trained = try XCTUnwrap(output.text.split(separator: "\n").first { $0.hasPrefix("trained ") }, output.text)
        XCTAssertTrue(trained.hasSuffix(": best epoch \(restored), \(best.summary) (restored)"), String(trained))
        XCTAssertTrue(output.text.contains("trained   \(model.history.count) epochs, weights of epoch \(restored) (restored): loss \(Format.fixed(best.loss, 4))"), output.text)
        XCTAssertTrue(output.text.split(separator: "\n").contains { $0.split(separator: " ").prefix(2) == ["\(restored)*", "\(Format.fixed(best.loss, 4))"] },
                      "history marks the restored epoch:\n\(output.text)")
        XCTAssertTrue(output.text.contains("* the model holds the weights of epoch \(restored), restored by early stopping: \(best.summary)"), output.text)

        // A saved model keeps which epoch its weights are.
        let file = try makeTemporaryFolder("dl-restored") + "/model.safetensors"
        XCTAssertEqual(run(interpreter, ["save model \"\(file)\"", "load model \"\(file)\""]), [.ok, .ok], output.text)
        XCTAssertEqual(interpreter.session.built?.restoredEpoch, restored)
        XCTAssertEqual(interpreter.session.built?.currentFigures?.loss, best.loss)
        XCTAssertEqual(run(interpreter, setup.prefix(3) + ["train lr=0.3 epochs=500 validation=0.2 patience=5"]), [.ok, .ok, .ok, .ok], output.text)

        // Training on from there starts a new run: the weights are no longer a restored epoch's.
        XCTAssertEqual(run(interpreter, ["train lr=0.01 epochs=2"]), [.ok])
        XCTAssertNil(interpreter.session.model?.restoredEpoch)
    }

    /// In a sweep, each run's progress line gives the figures the table gives.
    func testSweepLinesAndTableAgree() throws {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        XCTAssertEqual(run(interpreter, setup + ["sweep lr=0.3,0.1 epochs=300 patience=5 validation=0.2"]), Array(repeating: .ok, count: 6), output.text)
        let sweep = try XCTUnwrap(interpreter.session.lastSweep)
        for row in sweep.rows {
            let final = try XCTUnwrap(row.final)
            let figures = "loss \(Format.fixed(final.loss, 4)), val_loss \(Format.fixed(try XCTUnwrap(final.validationLoss), 4))"
            let line = try XCTUnwrap(output.text.split(separator: "\n").first { $0.contains("] \(row.label):") }, output.text)
            XCTAssertTrue(line.hasSuffix(figures), "«\(line)» should end with «\(figures)»")
            if let best = row.bestEpoch { XCTAssertTrue(line.contains("best epoch \(best) (restored)"), String(line)) }
            let cells = try XCTUnwrap(output.text.split(separator: "\n").first { $0.contains(" \(row.label) ") && !$0.contains("]") })
            let words = cells.split(separator: " ").map(String.init)
            let at = try XCTUnwrap(words.firstIndex(of: Format.fixed(final.loss, 4)), String(cells))
            XCTAssertEqual(words[at + 1], Format.fixed(final.validationLoss!, 4), String(cells))
        }
    }

    /// A removal that would keep 76 of 1000 rows is refused, names what would remain, and
    /// changes nothing; as is one that would leave a class with a single training row.
    func testARemovalThatEmptiesTheTrainingSetIsRefused() throws {
        let folder = try makeTemporaryFolder("dl-rowguard")
        // 12 columns; each of the first 920 rows is far out in one of them.
        var lines = [(0..<12).map { "c\($0)" }.joined(separator: ",") + ",y"]
        for row in 0..<1000 {
            let cells = (0..<12).map { column in row < 920 && row % 12 == column ? "100" : String(Double((row * 7 + column * 3) % 11) / 10) }
            lines.append(cells.joined(separator: ",") + (row % 3 == 0 ? ",q" : ",p"))
        }
        try lines.joined(separator: "\n").write(toFile: folder + "/spread.csv", atomically: true, encoding: .utf8)
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        XCTAssertEqual(run(interpreter, ["load \"\(folder)/spread.csv\"", "outliers", "drop outliers"]), [.ok, .ok, .runtimeError], output.text)
        XCTAssertTrue(output.text.contains("drop outliers would keep 80 of the 1000 rows (8%): too few to train on, so nothing was removed"), output.text)
        XCTAssertTrue(output.text.contains("`clip outliers` caps the values"), output.text)
        XCTAssertEqual(interpreter.session.data?.rowCount, 1000)
        XCTAssertEqual(run(interpreter, ["clip outliers", "dense 2 softmax", "train epochs=1"]), [.ok, .ok, .ok], output.text)

        // Class q loses all but one training row to dropna.
        var gappy = ["a,b,y"]
        for row in 0..<40 { gappy.append(row < 10 ? "\(row),\(row == 0 ? "1" : ""),q" : "\(row),\(row),p") }
        try gappy.joined(separator: "\n").write(toFile: folder + "/gappy.csv", atomically: true, encoding: .utf8)
        let second = CapturedOutput()
        let other = Interpreter(output: second)
        XCTAssertEqual(run(other, ["load \"\(folder)/gappy.csv\"", "dropna"]), [.ok, .runtimeError], second.text)
        XCTAssertTrue(second.text.contains("dropna would leave 1 of the 10 rows of class 'q': a class needs at least 2 to learn from, so nothing was removed"), second.text)
        XCTAssertTrue(second.text.contains("`impute median`"), second.text)
        XCTAssertEqual(other.session.data?.rowCount, 40)
        XCTAssertEqual(run(other, ["impute median", "dense 2 softmax", "train epochs=1"]), [.ok, .ok, .ok], second.text)
    }
}
