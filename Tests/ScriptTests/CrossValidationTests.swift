import XCTest
import Tabular
@testable import Script

/// `crossval K [stratify]` and `sweep … cv=K`.
final class CrossValidationTests: XCTestCase {
    let iris = ["load iris", "scale standard", "dense 16 relu", "dense 3 softmax"]

    func run(_ interpreter: Interpreter, _ lines: [String]) -> [RunOutcome] {
        lines.map { interpreter.runInteractive($0) }
    }

    /// The numbers of the table row that starts with `label` ("1", "mean", "std").
    func figures(_ label: String, in text: String) -> [Double] {
        guard let line = text.split(separator: "\n").first(where: { $0.split(separator: " ").first.map(String.init) == label }) else { return [] }
        return line.split(separator: " ").dropFirst().compactMap { Double($0) }
    }

    /// Five folds of iris: every fold trains on 120 rows and holds 30 out; the mean and std are
    /// those of the fold figures (std over n, as numpy's); the figures are those of a network that
    /// learned (scikit-learn's cross_val_score with the same network gives 0.95 ± 0.02 over seeds);
    /// the same script prints the same numbers; the session's model is not touched.
    func testFiveFoldsOfIris() throws {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        XCTAssertEqual(run(interpreter, iris + ["train lr=0.1 epochs=3"]), Array(repeating: .ok, count: 5), output.text)
        let weights = try XCTUnwrap(interpreter.session.network).weights()
        let history = interpreter.session.history.map(\.loss)
        XCTAssertEqual(run(interpreter, ["crossval 5 lr=0.1 epochs=50"]), [.ok], output.text)
        let text = output.text
        XCTAssertTrue(text.contains("crossval: 5 folds of all 150 rows (shuffled with seed 42)"), text)
        XCTAssertTrue(text.contains("the standard scaler is refitted on each fold's training rows"), text)
        var accuracies: [Double] = [], losses: [Double] = []
        for fold in 1...5 {
            let row = figures(String(fold), in: text)
            XCTAssertEqual(Array(row.prefix(3)), [120, 30, 50], "fold \(fold): trained on, held out, epochs\n\(text)")
            guard row.count == 5 else { return XCTFail(text) }
            losses.append(row[3])
            accuracies.append(row[4])
        }
        let mean = accuracies.reduce(0, +) / 5
        let std = (accuracies.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 5).squareRoot()
        XCTAssertEqual(figures("mean", in: text)[1], mean, accuracy: 0.0001)
        XCTAssertEqual(figures("std", in: text)[1], std, accuracy: 0.0001)
        XCTAssertEqual(figures("mean", in: text)[0], losses.reduce(0, +) / 5, accuracy: 0.0001)
        XCTAssertGreaterThan(mean, 0.9, text)
        XCTAssertTrue(text.contains("crossval accuracy: \(Format.fixed(figures("mean", in: text)[1], 4)) ± "), text)
        XCTAssertTrue(text.contains("the session's model is unchanged"), text)
        XCTAssertEqual(try XCTUnwrap(interpreter.session.network).weights(), weights, "crossval leaves the session's weights")
        XCTAssertEqual(interpreter.session.history.map(\.loss), history, "and its history")

        let again = runLines(iris + ["crossval 5 lr=0.1 epochs=50"]).text
        XCTAssertEqual(Golden.maskingTimes(again).split(separator: "\n").suffix(12), Golden.maskingTimes(text).split(separator: "\n").suffix(12),
                       "the same script prints the same numbers")
    }

    func testStratifiedFoldsKeepEachClassShare() throws {
        let labels = (0..<150).map { $0 / 50 }
        let folds = CrossValidationFolds(rows: Array(0..<150), k: 5, labels: labels, seed: 42)
        XCTAssertTrue(folds.stratified)
        for part in folds.heldOut {
            XCTAssertEqual((0..<3).map { label in part.filter { labels[$0] == label }.count }, [10, 10, 10])
        }
        XCTAssertEqual(folds.heldOut.flatMap { $0 }.sorted(), Array(0..<150), "every row is held out once")

        // Unstratified, as KFold: sizes differ by at most one, the larger first.
        let plain = CrossValidationFolds(rows: Array(0..<150), k: 4, labels: nil, seed: 42)
        XCTAssertEqual(plain.heldOut.map(\.count), [38, 38, 37, 37])
        XCTAssertEqual(plain.heldOut.flatMap { $0 }.sorted(), Array(0..<150))
        XCTAssertEqual(Set(plain.training(1)).intersection(plain.heldOut[1]), [])
        XCTAssertEqual(plain.training(1).count, 112)
        XCTAssertNotEqual(plain.heldOut[0], Array(0..<38), "the rows are shuffled")

        let output = runLines(iris + ["crossval 5 stratify lr=0.1 epochs=20"]).text
        XCTAssertTrue(output.contains("crossval: 5 stratified folds"), output)
    }

    /// Each fold's pipeline has the fold's training rows as its training rows and the scaler
    /// fitted on them alone, not on all the rows.
    func testTheScalerIsRefittedOnEachFold() throws {
        let interpreter = Interpreter(output: CapturedOutput())
        XCTAssertEqual(run(interpreter, ["load iris", "split 0.8", "scale standard"]), [.ok, .ok, .ok])
        let pipeline = try XCTUnwrap(interpreter.session.data)
        let folds = CrossValidationFolds(rows: pipeline.trainRows, k: 3, labels: nil, seed: 7)
        for index in 0..<3 {
            let fold = try pipeline.fold(index, of: folds)
            XCTAssertEqual(fold.trainRows, folds.training(index))
            XCTAssertEqual(fold.testRows, folds.heldOut[index])
            let expected = Scaler.fit(.standard, features: try XCTUnwrap(pipeline.dataset).featureMatrix, rows: folds.training(index))
            XCTAssertEqual(fold.scaler, expected)
            XCTAssertNotEqual(fold.scaler, pipeline.scaler)
        }
    }

    func testBadInputLeavesTheSessionWorking() {
        let cases: [(lines: [String], expected: String)] = [
            (["crossval 1"], "expects a whole number from 2 to 1000000 but got '1'"),
            (["crossval 1000"], "crossval 1000 needs at least 1000 rows (one held out in each fold), but it has all 150 rows"),
            (["split 0.8", "crossval 200"], "crossval 200 needs at least 200 rows (one held out in each fold), but it has the 120 training rows"),
            (["crossval 5 patience=3"], "early stopping on val_loss needs validation rows"),
            (["sweep lr=0.1 stratify"], "stratify keeps class shares in the folds of cv=, but no cv= was given"),
        ]
        for (lines, expected) in cases {
            let output = CapturedOutput()
            let interpreter = Interpreter(output: output)
            _ = run(interpreter, iris + lines)
            XCTAssertTrue(output.text.contains(expected), "«\(lines.last!)» should say «\(expected)»:\n\(output.text)")
            XCTAssertEqual(run(interpreter, ["train lr=0.1 epochs=2"]), [.ok], "the session goes on after «\(lines.last!)»:\n\(output.text)")
        }
        let regression = CapturedOutput()
        let interpreter = Interpreter(output: regression)
        XCTAssertEqual(run(interpreter, ["load diabetes", "scale standard", "dense 8 relu", "dense 1", "crossval 3 stratify"]),
                       [.ok, .ok, .ok, .ok, .runtimeError])
        XCTAssertTrue(regression.text.contains("stratify keeps each class's share in every fold, but 'progression' holds numbers (regression)"), regression.text)
        XCTAssertEqual(run(interpreter, ["crossval 3 lr=0.001 epochs=5"]), [.ok], regression.text)
        XCTAssertTrue(regression.text.contains("held-out R²"), regression.text)
        XCTAssertTrue(regression.text.contains("crossval R²: "), regression.text)
    }

    /// `sweep … cv=3` ranks by the mean held-out loss over the folds, shows mean ± std, and
    /// `use best` trains the best combination on all the training rows.
    func testSweepWithFoldsRanksByTheMean() throws {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        XCTAssertEqual(run(interpreter, iris + ["split 0.8 stratify", "sweep lr=0.3,0.003 epochs=20 cv=3 stratify"]), Array(repeating: .ok, count: 6), output.text)
        let sweep = try XCTUnwrap(interpreter.session.lastSweep)
        XCTAssertEqual(sweep.crossValidation, 3)
        XCTAssertEqual(sweep.rows.map { $0.folds?.count }, [3, 3])
        let best = sweep.rows[try XCTUnwrap(sweep.best)]
        XCTAssertEqual(best.plan.learningRate, 0.3, output.text)
        let means = sweep.rows.map { $0.folds!.losses.mean }
        XCTAssertLessThan(means[0], means[1])
        XCTAssertTrue(output.text.contains("sweep results, best first by the mean held-out loss over 3 folds:"), output.text)
        XCTAssertTrue(output.text.contains(best.folds!.losses.text) && output.text.contains(best.folds!.scores.text), output.text)
        XCTAssertEqual(run(interpreter, ["use best", "evaluate"]), [.ok, .ok], output.text)
        XCTAssertTrue(output.text.contains("training lr=0.3 on the 120 training rows"), output.text)
        XCTAssertEqual(interpreter.session.history.count, 20)
    }
}
