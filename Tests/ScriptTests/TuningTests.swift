import XCTest
import Engine
@testable import Script

/// Validation, early stopping and sweeps through the language.
final class TuningTests: XCTestCase {
    let setup = ["load breast_cancer", "split 0.8 seed=42 stratify", "scale minmax", "dense 16 relu", "dense 2 softmax"]

    func run(_ interpreter: Interpreter, _ lines: [String]) -> [RunOutcome] {
        lines.map { interpreter.runInteractive($0) }
    }

    /// After early stopping restores the best epoch, evaluating the validation rows
    /// gives exactly the val_loss recorded at that epoch.
    func testEarlyStoppingRestoresTheBestEpochExactly() throws {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        XCTAssertEqual(run(interpreter, setup + ["train lr=0.3 epochs=500 validation=0.2 patience=5"]), Array(repeating: .ok, count: 6), output.text)
        let session = interpreter.session
        let line = try XCTUnwrap(output.text.split(separator: "\n").first { $0.hasPrefix("stopped early at epoch") }, output.text)
        let match = try XCTUnwrap(line.range(of: #"restored weights from epoch \d+"#, options: .regularExpression), String(line))
        let best = try XCTUnwrap(Int(line[match].split(separator: " ").last!))
        XCTAssertLessThan(session.history.count, 500, "it stopped early")
        let recorded = try XCTUnwrap(session.history.first { $0.epoch == best }?.validationLoss)
        let data = try XCTUnwrap(session.dataset)
        _ = data
        var plan = TrainingPlan(spec: session.spec)
        plan.validation = 0.2
        let (_, validation) = try session.data!.trainingSets(plan: plan, spec: session.spec, at: SourceRange(line: 1, column: 1, length: 1))
        let evaluation = session.network!.evaluate(try XCTUnwrap(validation), loss: .crossentropy)
        XCTAssertEqual(evaluation.loss, recorded, "the restored weights are those of epoch \(best)")
        XCTAssertTrue(line.contains("restored weights from epoch \(best) (val_loss \(Format.fixed(recorded, 4)))"), String(line))
    }

    /// Each sweep row equals running that configuration alone after `reset weights`.
    func testSweepRowEqualsResetWeightsThenTrain() throws {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        XCTAssertEqual(run(interpreter, setup + ["train lr=0.1 epochs=3", "sweep lr=0.1,0.01 epochs=4,6"]), Array(repeating: .ok, count: 7), output.text)
        let sweep = try XCTUnwrap(interpreter.session.lastSweep)
        XCTAssertEqual(sweep.rows.count, 4)
        for row in sweep.rows {
            XCTAssertEqual(run(interpreter, ["reset weights", "train lr=\(Format.general(row.plan.learningRate)) epochs=\(row.plan.epochs)"]), [.ok, .ok])
            XCTAssertEqual(interpreter.session.history.map(\.loss), row.history.map(\.loss), row.label)
            XCTAssertEqual(interpreter.session.network!.weights(), row.network!.weights(), row.label)
        }
        XCTAssertTrue(output.text.contains("sweep results, best first by loss:"), output.text)
    }

    func testUseBestAdoptsTheBestCombination() throws {
        let output = CapturedOutput()
        let interpreter = Interpreter(output: output)
        XCTAssertEqual(run(interpreter, setup + ["sweep lr=0.3,0.001 epochs=5 validation=0.2", "use best", "history", "plot sweep"]),
                       Array(repeating: .ok, count: 9), output.text)
        let sweep = try XCTUnwrap(interpreter.session.lastSweep)
        let best = sweep.rows[try XCTUnwrap(sweep.best)]
        XCTAssertEqual(best.plan.learningRate, 0.3, "lr=0.3 learns more in 5 epochs than 0.001")
        XCTAssertEqual(interpreter.session.network!.weights(), best.network!.weights())
        XCTAssertTrue(output.text.contains("using the best combination, lr=0.3"), output.text)
        XCTAssertTrue(output.text.contains("lr=0.001 had not converged"), output.text)
    }

    func testBadInput() {
        let cases: [(String, String)] = [
            ("sweep lr=", "expected a value after 'lr=' but found the end of the statement"),
            ("sweep lr=0.1,abc", "'lr=' expects numbers separated by commas but 'abc' is not a number"),
            ("sweep lr=0.1,-2", "'lr=' expects a number > 0 and <= 100 but got '-2'"),
            ("sweep dropout=0.1,0.2", "unknown key 'dropout' for sweep"),
            ("train validation=1", "'validation=' expects a number > 0 and < 1 but got '1'"),
            ("train patience=-1", "'patience=' expects a whole number from 0 to 10000000 but got '-1'"),
            ("use best", "use best takes the best combination of a sweep, but no sweep has run"),
            ("train patience=5", "early stopping on val_loss needs validation rows"),
            ("train monitor=val_accuracy patience=3", "monitor=val_accuracy needs validation rows"),
            ("sweep epochs=10,2.5", "'epochs=' expects a whole number from 1 to 10000000 but got '2.5'"),
        ]
        for (line, expected) in cases {
            let output = CapturedOutput()
            let interpreter = Interpreter(output: output)
            _ = run(interpreter, setup + [line])
            XCTAssertTrue(output.text.contains(expected), "«\(line)» should say «\(expected)»:\n\(output.text)")
        }
    }
}
